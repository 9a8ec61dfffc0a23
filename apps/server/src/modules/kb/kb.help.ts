import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { type Ctx, withActor } from "../../context.ts";
import { AppError } from "../../lib/errors.ts";
import { escapeHtml as esc, htmlToText } from "../../lib/html.ts";
import { fill, type HelpStrings, helpStrings, languageName } from "./kb.i18n.ts";
import {
  articleUrl,
  nameIn,
  popularArticles,
  publicArticle,
  publicCategories,
  publicCategoryArticles,
  recordFeedback,
  searchArticles,
  sitemapEntries,
} from "./kb.public.service.ts";
import { visitorKey } from "./kb.routes.ts";
import type { TKbSettings } from "./kb.schema.ts";
import { readHelpSettings, readKbSettings } from "./kb.service.ts";

/**
 * The public help centre: server-rendered HTML without any script (works without JavaScript,
 * light on a phone), in every help-centre language, with the organization's name, logo and
 * colour. Reads go through the same public services as /api/v1/public/kb (published,
 * non-internal articles only).
 */

type Page = {
  ctx: Ctx;
  language: string;
  settings: TKbSettings;
  orgName: string;
  t: HelpStrings;
};

// ---- Colours: the brand colour where it is readable, a dark fallback where not ------------

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = c.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
};
function palette(color: string) {
  const brand = /^#[0-9a-f]{6}$/i.test(color) ? color : "#1864ab";
  const onBrand = contrast(brand, "#ffffff") >= 4.5 ? "#ffffff" : "#111111";
  const link = contrast(brand, "#ffffff") >= 4.5 ? brand : "#1a4f8b";
  return { brand, onBrand, link };
}

const CSS = (p: ReturnType<typeof palette>) => `
:root{--brand:${p.brand};--on-brand:${p.onBrand};--link:${p.link}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Khmer","Khmer OS","Noto Sans Tamil",sans-serif;color:#1b1f24;background:#f6f7f9}
a{color:var(--link)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:2}
header{background:var(--brand);color:var(--on-brand)}
header .bar{max-width:960px;margin:0 auto;padding:12px 16px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
header a.home{color:var(--on-brand);text-decoration:none;font-weight:700;font-size:1.15rem;display:flex;gap:10px;align-items:center;margin-right:auto}
header img{height:32px;width:auto}
header form.lang{display:flex;gap:6px;align-items:center}
header label{font-size:.9rem}
select,input,textarea,button{font:inherit}
select{padding:4px 6px;border-radius:6px;border:1px solid #8a939c;background:#fff;color:#1b1f24}
.hero{background:var(--brand);color:var(--on-brand);padding:8px 16px 28px}
.hero h1{max-width:960px;margin:0 auto 12px;font-size:1.6rem;line-height:1.3}
form.search{max-width:960px;margin:0 auto;display:flex;gap:8px}
form.search input{flex:1;min-width:0;padding:10px 12px;border-radius:8px;border:1px solid #8a939c}
button{padding:10px 16px;border-radius:8px;border:1px solid #1b1f24;background:#1b1f24;color:#fff;cursor:pointer}
main{max-width:960px;margin:0 auto;padding:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px;padding:0;list-style:none}
.card{background:#fff;border:1px solid #d9dde2;border-radius:10px;padding:14px 16px}
.card h3{margin:0 0 4px;font-size:1.05rem}
.muted{color:#555d66;font-size:.92rem}
nav.crumbs ol{list-style:none;padding:0;margin:0 0 12px;display:flex;flex-wrap:wrap;gap:6px;font-size:.92rem}
nav.crumbs li+li::before{content:"›";margin-right:6px;color:#555d66}
article.body{background:#fff;border:1px solid #d9dde2;border-radius:10px;padding:16px 20px;overflow-wrap:anywhere}
article.body img{max-width:100%;height:auto}
article.body table{border-collapse:collapse;display:block;overflow-x:auto}
article.body td,article.body th{border:1px solid #d9dde2;padding:6px 8px}
article.body pre{background:#f1f3f5;padding:10px;overflow-x:auto;border-radius:6px}
article.body blockquote{margin:12px 0;padding:8px 14px;border-left:4px solid var(--brand);background:#f1f6fc}
article.body .callout{margin:12px 0;padding:10px 14px;border-radius:6px;border:1px solid #a5d8ff;background:#e7f5ff}
article.body .callout-tip{border-color:#8ce99a;background:#ebfbee}
article.body .callout-warning{border-color:#ffd43b;background:#fff9db}
.note{background:#fff8db;border:1px solid #e0c65c;border-radius:8px;padding:10px 14px}
.results li{margin-bottom:14px}
mark{background:#ffe066;color:inherit;padding:0 1px}
details.faq{background:#fff;border:1px solid #d9dde2;border-radius:10px;padding:10px 16px;margin-bottom:8px}
details.faq summary{font-weight:600;cursor:pointer}
fieldset{border:1px solid #d9dde2;border-radius:10px;padding:12px 16px;background:#fff}
legend{font-weight:600;padding:0 4px}
.vote{display:flex;gap:16px;margin:8px 0}
textarea{width:100%;min-height:70px;padding:8px;border:1px solid #8a939c;border-radius:8px}
footer{max-width:960px;margin:24px auto;padding:16px;border-top:1px solid #d9dde2}
@media (max-width:600px){.hero h1{font-size:1.3rem}form.search{flex-direction:column}}
`;

// ---- Layout -----------------------------------------------------------------------------------

type Head = {
  title: string;
  description?: string;
  canonical: string;
  alternates?: Array<{ language: string; href: string }>;
  ogType?: string;
  noindex?: boolean;
};

function layout(p: Page, head: Head, body: string, opts: { hero?: string; path: (lang: string) => string }) {
  const base = p.ctx.config.publicUrl.replace(/\/$/, "");
  const abs = (href: string) => `${base}${href}`;
  const { t, language, settings } = p;
  const pal = palette(settings.color);
  const alternates = head.alternates ?? [];
  const xDefault = alternates.find((a) => a.language === settings.defaultLanguage);
  const logo = settings.logoUrl ? `<img src="${esc(settings.logoUrl)}" alt="">` : "";
  const options = settings.languages
    .map(
      (l) =>
        `<option value="${esc(opts.path(l))}"${l === language ? " selected" : ""} lang="${esc(l)}">${esc(languageName(l))}</option>`,
    )
    .join("");
  return `<!doctype html>
<html lang="${esc(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(head.title)}</title>
${head.description ? `<meta name="description" content="${esc(head.description)}">` : ""}
${head.noindex ? '<meta name="robots" content="noindex">' : ""}
<link rel="canonical" href="${esc(abs(head.canonical))}">
${alternates.map((a) => `<link rel="alternate" hreflang="${esc(a.language)}" href="${esc(abs(a.href))}">`).join("\n")}
${xDefault ? `<link rel="alternate" hreflang="x-default" href="${esc(abs(xDefault.href))}">` : ""}
<meta property="og:type" content="${head.ogType ?? "website"}">
<meta property="og:title" content="${esc(head.title)}">
${head.description ? `<meta property="og:description" content="${esc(head.description)}">` : ""}
<meta property="og:url" content="${esc(abs(head.canonical))}">
<meta property="og:site_name" content="${esc(p.orgName)}">
<meta property="og:locale" content="${esc(language)}">
${settings.logoUrl ? `<meta property="og:image" content="${esc(settings.logoUrl.startsWith("/") ? abs(settings.logoUrl) : settings.logoUrl)}">` : ""}
<style>${CSS(pal)}</style>
</head>
<body>
<a class="skip" href="#main">${esc(t.skip)}</a>
<header><div class="bar">
<a class="home" href="/help/${esc(language)}">${logo}<span>${esc(p.orgName)} · ${esc(t.helpCentre)}</span></a>
<form class="lang" method="get" action="/help/go"><label for="lang">${esc(t.language)}</label>
<select id="lang" name="to">${options}</select><button type="submit">→<span class="skip">${esc(t.language)}</span></button></form>
</div></header>
${opts.hero ?? ""}
<main id="main">${body}</main>
<footer><p>${esc(t.contact)} <a href="/support/new?lang=${esc(language)}">${esc(t.contactLink)}</a></p></footer>
</body>
</html>`;
}

function searchForm(p: Page, q = "") {
  return `<form class="search" role="search" method="get" action="/help/${esc(p.language)}/search">
<label class="skip" for="q">${esc(p.t.searchLabel)}</label>
<input id="q" name="q" type="search" value="${esc(q)}" placeholder="${esc(p.t.searchPlaceholder)}" maxlength="200">
<button type="submit">${esc(p.t.search)}</button></form>`;
}

function crumbs(p: Page, items: Array<{ href?: string; name: string }>) {
  const all = [{ href: `/help/${p.language}`, name: p.t.helpCentre }, ...items];
  return `<nav class="crumbs" aria-label="${esc(p.t.breadcrumbs)}"><ol>${all
    .map((c, i) =>
      c.href && i < all.length - 1
        ? `<li><a href="${esc(c.href)}">${esc(c.name)}</a></li>`
        : `<li aria-current="page">${esc(c.name)}</li>`,
    )
    .join("")}</ol></nav>`;
}

// ---- Routes -----------------------------------------------------------------------------------

function pickLanguage(req: FastifyRequest, settings: TKbSettings): string {
  const header = String(req.headers["accept-language"] ?? "");
  for (const part of header.split(",")) {
    const code = part.split(";")[0]?.trim().toLowerCase() ?? "";
    if (settings.languages.includes(code)) return code;
    const base = code.split("-")[0] ?? "";
    if (settings.languages.includes(base)) return base;
  }
  return settings.defaultLanguage;
}

const send = (reply: FastifyReply, html: string, status = 200) =>
  reply
    .status(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-cache")
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "strict-origin-when-cross-origin")
    .header(
      "content-security-policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
    )
    .send(html);

const NOT_FOUND = Symbol("not found");

export const helpCentreRoutes: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 16_384 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const limit = (name: string, max: number) => ({
    rateLimit: {
      max: (req: FastifyRequest) => Math.max(max, req.server.services.config.rateLimits.publicPerMinute),
      timeWindow: 60_000,
      keyGenerator: (req: FastifyRequest) => `help-${name}:${req.ip}`,
    },
  });

  async function page(req: FastifyRequest, lang: string | undefined): Promise<Page | typeof NOT_FOUND> {
    const ctx = withActor(app.services, { kind: "anonymous" });
    const { settings, orgName } = await readHelpSettings(ctx.db);
    const language = lang ?? pickLanguage(req, settings);
    if (!settings.languages.includes(language)) return NOT_FOUND;
    return { ctx, language, settings, orgName: orgName ?? "Rapport", t: helpStrings(language) };
  }

  async function notFoundPage(req: FastifyRequest, reply: FastifyReply, lang?: string) {
    let p = await page(req, lang);
    if (p === NOT_FOUND) p = (await page(req, undefined)) as Page;
    const body = `<h1>${esc(p.t.notFound)}</h1><p>${esc(p.t.notFoundText)}</p><p><a href="/help/${esc(p.language)}">${esc(p.t.backHome)}</a></p>`;
    const path = (l: string) => `/help/${l}`;
    return send(
      reply,
      layout(p, { title: p.t.notFound, canonical: path(p.language), noindex: true }, body, { path }),
      404,
    );
  }

  app.get("/help", { schema: { hide: true }, config: limit("page", 600) }, async (req, reply) => {
    const p = (await page(req, undefined)) as Page;
    return reply.redirect(`/help/${p.language}`, 302);
  });

  /** The language menu without JavaScript: a GET form whose value is the page in that language. */
  app.get<{ Querystring: { to?: string } }>(
    "/help/go",
    { schema: { hide: true }, config: limit("page", 600) },
    async (req, reply) => {
      const to = String(req.query.to ?? "");
      return reply.redirect(
        /^\/help\/[a-z0-9-]{2,12}(\/[^\s]*)?$/.test(to) && !to.includes("//") ? to : "/help",
        303,
      );
    },
  );

  app.get(
    "/help/sitemap.xml",
    { schema: { hide: true }, config: limit("page", 120) },
    async (_req, reply) => {
      const ctx = withActor(app.services, { kind: "anonymous" });
      const base = ctx.config.publicUrl.replace(/\/$/, "");
      const [entries, settings] = await Promise.all([sitemapEntries(ctx), readKbSettings(ctx.db)]);
      const byArticle = new Map<string, typeof entries>();
      for (const e of entries) byArticle.set(e.articleId, [...(byArticle.get(e.articleId) ?? []), e]);
      const urls = [
        ...settings.languages.map((l) => `<url><loc>${esc(`${base}/help/${l}`)}</loc></url>`),
        ...entries.map((e) => {
          const alts = (byArticle.get(e.articleId) ?? [])
            .map(
              (a) =>
                `<xhtml:link rel="alternate" hreflang="${esc(a.language)}" href="${esc(base + articleUrl(a.language, a.slug))}"/>`,
            )
            .join("");
          return `<url><loc>${esc(base + articleUrl(e.language, e.slug))}</loc><lastmod>${e.updatedAt.toISOString()}</lastmod>${alts}</url>`;
        }),
      ];
      return reply
        .header("content-type", "application/xml; charset=utf-8")
        .send(
          `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join("\n")}\n</urlset>\n`,
        );
    },
  );

  app.get<{ Params: { lang: string } }>(
    "/help/:lang",
    { schema: { hide: true }, config: limit("page", 600) },
    async (req, reply) => {
      const p = await page(req, req.params.lang);
      if (p === NOT_FOUND) return notFoundPage(req, reply);
      const { t, language } = p;
      const cats = await publicCategories(p.ctx, language);
      const top = cats.filter((c) => c.parentId === null);
      const count = (id: string): number =>
        (cats.find((c) => c.id === id)?.articleCount ?? 0) +
        cats.filter((c) => c.parentId === id).reduce((n, c) => n + count(c.id), 0);
      const { items: popular } = await popularArticles(p.ctx, language, 6, p.settings);
      const body = `<h2>${esc(t.categories)}</h2>
${
  top.length
    ? `<ul class="grid">${top
        .map((c) => {
          const desc =
            c.names[language]?.description ?? c.names[p.settings.defaultLanguage]?.description ?? "";
          return `<li class="card"><h3><a href="/help/${esc(language)}/categories/${esc(c.slug)}">${esc(nameIn(c.names, language, p.settings.defaultLanguage))}</a></h3>${desc ? `<p>${esc(desc)}</p>` : ""}<p class="muted">${esc(fill(t.articles, { n: count(c.id) }))}</p></li>`;
        })
        .join("")}</ul>`
    : `<p>${esc(t.empty)}</p>`
}
${popular.length ? `<h2>${esc(t.popular)}</h2><ul>${popular.map((a) => `<li><a href="${esc(articleUrl(language, a.slug))}">${esc(a.title)}</a></li>`).join("")}</ul>` : ""}`;
      const hero = `<div class="hero"><h1>${esc(t.howCanWeHelp)}</h1>${searchForm(p)}</div>`;
      const path = (l: string) => `/help/${l}`;
      return send(
        reply,
        layout(
          p,
          {
            title: `${p.orgName} · ${t.helpCentre}`,
            description: t.howCanWeHelp,
            canonical: path(language),
            alternates: p.settings.languages.map((l) => ({ language: l, href: path(l) })),
          },
          body,
          { hero, path },
        ),
      );
    },
  );

  app.get<{ Params: { lang: string; slug: string } }>(
    "/help/:lang/categories/:slug",
    { schema: { hide: true }, config: limit("page", 600) },
    async (req, reply) => {
      const p = await page(req, req.params.lang);
      if (p === NOT_FOUND) return notFoundPage(req, reply);
      const { t, language } = p;
      const cats = await publicCategories(p.ctx, language);
      const cat = cats.find((c) => c.slug === req.params.slug);
      if (!cat) return notFoundPage(req, reply, language);
      const name = (c: (typeof cats)[number]) => nameIn(c.names, language, p.settings.defaultLanguage);
      const parent = cat.parentId ? cats.find((c) => c.id === cat.parentId) : undefined;
      const sections = cats.filter((c) => c.parentId === cat.id);
      const list = async (c: (typeof cats)[number]) => {
        const items = await publicCategoryArticles(p.ctx, c.id, language);
        if (items.length === 0) return "";
        if (c.faq)
          return items
            .map(
              (a) =>
                `<details class="faq" id="${esc(a.slug)}"><summary>${esc(a.title)}</summary><div>${a.body}</div><p class="muted"><a href="${esc(articleUrl(language, a.slug))}">${esc(a.title)}</a></p></details>`,
            )
            .join("");
        return `<ul>${items.map((a) => `<li><a href="${esc(articleUrl(language, a.slug))}">${esc(a.title)}</a></li>`).join("")}</ul>`;
      };
      const own = await list(cat);
      const parts = await Promise.all(
        sections.map(async (s) => {
          const html = await list(s);
          return html
            ? `<section><h2><a href="/help/${esc(language)}/categories/${esc(s.slug)}">${esc(name(s))}</a></h2>${html}</section>`
            : "";
        }),
      );
      const desc = cat.names[language]?.description ?? "";
      const content = own + parts.join("");
      const body = `${crumbs(p, [
        ...(parent ? [{ href: `/help/${language}/categories/${parent.slug}`, name: name(parent) }] : []),
        { name: name(cat) },
      ])}
<h1>${esc(name(cat))}</h1>${cat.faq ? `<p class="muted">${esc(t.faq)}</p>` : ""}${desc ? `<p>${esc(desc)}</p>` : ""}
${content || `<p>${esc(t.empty)}</p>`}`;
      const path = (l: string) => `/help/${l}/categories/${cat.slug}`;
      return send(
        reply,
        layout(
          p,
          {
            title: `${name(cat)} · ${p.orgName}`,
            description: desc || undefined,
            canonical: path(language),
            alternates: p.settings.languages.map((l) => ({ language: l, href: path(l) })),
          },
          body,
          { hero: `<div class="hero">${searchForm(p)}</div>`, path },
        ),
      );
    },
  );

  app.get<{ Params: { lang: string; slug: string }; Querystring: { thanks?: string } }>(
    "/help/:lang/articles/:slug",
    { schema: { hide: true }, config: limit("article", 600) },
    async (req, reply) => {
      const p = await page(req, req.params.lang);
      if (p === NOT_FOUND) return notFoundPage(req, reply);
      const { t, language } = p;
      let a: Awaited<ReturnType<typeof publicArticle>>;
      try {
        a = await publicArticle(p.ctx, req.params.slug, language, { countView: true }, p.settings);
      } catch (e) {
        if (e instanceof AppError && e.status === 404) return notFoundPage(req, reply, language);
        throw e;
      }
      // Another language's slug for an article that has this language: go to its own address.
      if (!a.fallback && a.slug !== req.params.slug) return reply.redirect(articleUrl(language, a.slug), 301);
      visitorKey(req, reply);
      const total = a.helpful.yes + a.helpful.no;
      const date = new Intl.DateTimeFormat(language, { dateStyle: "long" }).format(new Date(a.updatedAt));
      const note = a.fallback
        ? `<p class="note" role="note">${esc(fill(t.fallback, { language: languageName(language), fallback: languageName(a.language) }))}</p>`
        : "";
      const feedback =
        req.query.thanks === "1"
          ? `<p class="note" role="status">${esc(t.thanks)}</p>`
          : `<form method="post" action="${esc(`${articleUrl(language, a.slug)}/feedback`)}"><fieldset><legend>${esc(t.wasHelpful)}</legend>
<div class="vote"><label><input type="radio" name="helpful" value="yes" required> ${esc(t.yes)}</label><label><input type="radio" name="helpful" value="no"> ${esc(t.no)}</label></div>
<label for="comment">${esc(t.commentLabel)}</label><textarea id="comment" name="comment" maxlength="2000"></textarea>
<p><button type="submit">${esc(t.send)}</button></p></fieldset></form>`;
      const body = `${crumbs(p, [
        ...a.breadcrumbs.map((c) => ({ href: `/help/${language}/categories/${c.slug}`, name: c.name })),
        { name: a.title },
      ])}
${note}
<article class="body" lang="${esc(a.language)}"><h1>${esc(a.title)}</h1><p class="muted">${esc(fill(t.updated, { date }))}</p>${a.body}</article>
${total > 0 ? `<p class="muted">${esc(fill(t.votes, { yes: a.helpful.yes, total }))}</p>` : ""}
${feedback}
${a.related.length ? `<h2>${esc(t.related)}</h2><ul>${a.related.map((r) => `<li><a href="${esc(articleUrl(a.language, r.slug))}">${esc(r.title)}</a></li>`).join("")}</ul>` : ""}`;
      const slugIn = (l: string) => a.translations.find((x) => x.language === l)?.slug ?? a.slug;
      const path = (l: string) => articleUrl(l, slugIn(l));
      return send(
        reply,
        layout(
          p,
          {
            title: `${a.title} · ${p.orgName}`,
            description: htmlToText(a.body).replace(/\s+/g, " ").slice(0, 200),
            canonical: articleUrl(a.language, a.slug),
            alternates: a.translations.map((x) => ({
              language: x.language,
              href: articleUrl(x.language, x.slug),
            })),
            ogType: "article",
          },
          body,
          { hero: `<div class="hero">${searchForm(p)}</div>`, path },
        ),
      );
    },
  );

  app.post<{ Params: { lang: string; slug: string }; Body: Record<string, string> }>(
    "/help/:lang/articles/:slug/feedback",
    { schema: { hide: true }, config: limit("feedback", 30) },
    async (req, reply) => {
      const p = await page(req, req.params.lang);
      if (p === NOT_FOUND) return notFoundPage(req, reply);
      const body = req.body && typeof req.body === "object" ? req.body : {};
      if (body.helpful !== "yes" && body.helpful !== "no")
        throw new AppError("validation_failed", 400, "Choose yes or no", { field: "helpful" });
      let a: Awaited<ReturnType<typeof publicArticle>>;
      try {
        a = await publicArticle(p.ctx, req.params.slug, p.language, { countView: false }, p.settings);
      } catch (e) {
        if (e instanceof AppError && e.status === 404) return notFoundPage(req, reply, p.language);
        throw e;
      }
      await recordFeedback(p.ctx, a.id, visitorKey(req, reply), {
        helpful: body.helpful === "yes",
        language: a.language,
        comment: typeof body.comment === "string" ? body.comment.slice(0, 2000) : undefined,
      });
      return reply.redirect(`${articleUrl(p.language, req.params.slug)}?thanks=1`, 303);
    },
  );

  app.get<{ Params: { lang: string }; Querystring: { q?: string } }>(
    "/help/:lang/search",
    { schema: { hide: true }, config: limit("search", 120) },
    async (req, reply) => {
      const p = await page(req, req.params.lang);
      if (p === NOT_FOUND) return notFoundPage(req, reply);
      const { t, language } = p;
      const q = String(req.query.q ?? "").slice(0, 200);
      const res = q.trim()
        ? await searchArticles(
            p.ctx,
            { q, lang: language, limit: 30, source: "search", log: true },
            p.settings,
          )
        : { items: [] };
      const body = `${crumbs(p, [{ name: t.search }])}
<h1>${esc(fill(t.resultsFor, { q }))}</h1>
<p class="muted" role="status">${esc(fill(t.resultCount, { n: res.items.length }))}</p>
${
  res.items.length
    ? `<ol class="results">${res.items.map((h) => `<li><a href="${esc(h.url)}">${esc(h.title)}</a> <span class="muted">· ${esc(h.category.name)}</span><br><span>${h.snippet}</span></li>`).join("")}</ol>`
    : `<p>${esc(t.noResults)}</p><p><a href="/support/new?lang=${esc(language)}">${esc(t.contactLink)}</a></p>`
}`;
      const path = (l: string) => `/help/${l}/search?q=${encodeURIComponent(q)}`;
      return send(
        reply,
        layout(
          p,
          { title: `${fill(t.resultsFor, { q })} · ${p.orgName}`, canonical: path(language), noindex: true },
          body,
          {
            hero: `<div class="hero">${searchForm(p, q)}</div>`,
            path,
          },
        ),
      );
    },
  );
};
