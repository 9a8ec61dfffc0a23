import { randomBytes } from "node:crypto";
import { LOCALES } from "@rapport/shared";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { Ctx } from "../../context.ts";
import { readFields } from "../../http/multipart.ts";
import { AppError } from "../../lib/errors.ts";
import { escapeHtml as esc } from "../../lib/html.ts";
import { SURVEY_STRINGS } from "../csat/csat.i18n.ts";
import { ratingFields } from "../csat/csat.page.ts";
import { ZPublicAnswer } from "../csat/csat.schema.ts";
import { answerTicketSurvey, ticketSurvey } from "../csat/csat.service.ts";
import { surveyStrings } from "../csat/templates.service.ts";
import { readSettings } from "../settings/settings.service.ts";
import { LOCALE_NAMES, type PortalStrings, portalStrings } from "./portal.i18n.ts";
import { clearPortalCookie, parseWith, portalActor, setPortalCookie } from "./portal.routes.ts";
import {
  cancelCallback,
  closeRequest,
  createRequest,
  fillIn,
  getProfile,
  getRequest,
  listCallbacks,
  listRequests,
  MAX_FILES,
  type PortalLocale,
  pickLocale,
  replyToRequest,
  requestLink,
  requestPortalCallback,
  signOut,
  updateProfile,
  verifyLink,
  ZNewRequest,
  ZPortalCallback,
  ZProfile,
  ZReply,
} from "./portal.service.ts";

/**
 * The customer portal's pages at /portal: server-rendered HTML that works without JavaScript
 * (forms post and redirect), in the customer's language, light on a phone. The one script, on
 * the new-request page, lists suggested articles as the customer types (the public suggest API).
 * Every page calls the same services as /api/v1/portal.
 */

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Khmer","Khmer OS","Noto Sans Tamil",sans-serif;color:#1b1f24;background:#f6f7f9}
a{color:#1a4f8b}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:2}
header{background:#1a4f8b;color:#fff}
header .bar{max-width:960px;margin:0 auto;padding:10px 16px;display:flex;gap:8px 16px;align-items:center;flex-wrap:wrap}
header .home{color:#fff;font-weight:700;text-decoration:none;margin-right:auto}
header nav ul{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:0;padding:0}
header nav a{color:#fff}
header nav a[aria-current]{font-weight:700}
header form{display:inline}
header button.link{background:none;border:0;color:#fff;text-decoration:underline;padding:0;cursor:pointer}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;line-height:1.3}
label{display:block;font-weight:600;margin:12px 0 4px}
input,select,textarea,button{font:inherit}
input[type=email],input[type=text],input[type=tel],input[type=datetime-local],select,textarea{width:100%;max-width:560px;padding:9px 11px;border:1px solid #6b737c;border-radius:8px;background:#fff;color:#1b1f24}
textarea{min-height:120px;max-width:100%}
button{margin-top:12px;padding:10px 16px;border-radius:8px;border:1px solid #1b1f24;background:#1b1f24;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1b1f24}
.card{background:#fff;border:1px solid #d9dde2;border-radius:10px;padding:12px 16px;margin-bottom:10px}
.muted{color:#555d66;font-size:.92rem}
.note{background:#e7f5ec;border:1px solid #5c9c72;border-radius:8px;padding:10px 14px}
.error{background:#fdecec;border:1px solid #c0392b;border-radius:8px;padding:10px 14px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:8px;border-bottom:1px solid #d9dde2;vertical-align:top}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;background:#e9ecef;color:#1b1f24;font-size:.85rem}
.msg{background:#fff;border:1px solid #d9dde2;border-radius:10px;padding:10px 14px;margin:10px 0;overflow-wrap:anywhere}
.msg.customer{border-left:4px solid #1a4f8b}
.msg.support{border-left:4px solid #5c9c72}
.msg img{max-width:100%;height:auto}
ul.suggest{padding-left:18px}
@media (max-width:640px){
  table thead{display:none}
  table,tbody,tr,td{display:block;width:100%}
  tr{border-bottom:1px solid #d9dde2;padding:6px 0}
  td{border:0;padding:2px 8px}
  td::before{content:attr(data-label) ": ";font-weight:600}
}
`;

type P = {
  lang: PortalLocale;
  t: PortalStrings;
  org: string;
  signedIn: boolean;
  csrf: string | null;
  path: string;
};

function layout(p: P, title: string, body: string, opts: { nonce?: string; script?: string } = {}) {
  const nav = p.signedIn
    ? `<nav aria-label="${esc(p.t.portal)}"><ul>
${[
  ["/portal", p.t.myRequests],
  ["/portal/new", p.t.newRequest],
  ["/portal/callbacks", p.t.callbacks],
  ["/portal/profile", p.t.profile],
]
  .map(
    ([href, name]) =>
      `<li><a href="${href}?lang=${p.lang}"${p.path === href ? ' aria-current="page"' : ""}>${esc(name ?? "")}</a></li>`,
  )
  .join("")}
<li><form method="post" action="/portal/signout" enctype="multipart/form-data"><input type="hidden" name="_csrf" value="${esc(p.csrf ?? "")}"><button class="link" type="submit">${esc(p.t.signOut)}</button></form></li>
</ul></nav>`
    : "";
  const langs = LOCALES.map(
    (l) =>
      `<option value="${l}"${l === p.lang ? " selected" : ""} lang="${l}">${esc(LOCALE_NAMES[l] ?? l)}</option>`,
  ).join("");
  return `<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)} · ${esc(p.org)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">${esc(p.t.skip)}</a>
<header><div class="bar">
<a class="home" href="/portal?lang=${p.lang}">${esc(p.org)} · ${esc(p.t.portal)}</a>
${nav}
<form method="get" action="${esc(p.path)}"><label for="lang" class="skip">${esc(p.t.language)}</label>
<select id="lang" name="lang">${langs}</select> <button type="submit" class="secondary" style="margin:0;padding:4px 10px">${esc(p.t.language)}</button></form>
</div></header>
<main id="main">${body}</main>
${opts.script && opts.nonce ? `<script nonce="${opts.nonce}">${opts.script}</script>` : ""}
</body>
</html>`;
}

function send(reply: FastifyReply, html: string, status = 200, nonce?: string) {
  return reply
    .status(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header(
      "content-security-policy",
      `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; connect-src 'self'${nonce ? `; script-src 'nonce-${nonce}'` : ""}`,
    )
    .send(html);
}

function pickLanguage(req: FastifyRequest, fallback: string | null): PortalLocale {
  const q = (req.query as { lang?: string }).lang;
  if (q && (LOCALES as readonly string[]).includes(q)) return q as PortalLocale;
  if (fallback) return pickLocale(fallback);
  for (const part of String(req.headers["accept-language"] ?? "").split(",")) {
    const code = (part.split(";")[0] ?? "").trim().toLowerCase().split("-")[0] ?? "";
    if ((LOCALES as readonly string[]).includes(code)) return code as PortalLocale;
  }
  return "en";
}

const fmt = (lang: string, iso: string | null, tz: string) =>
  iso
    ? new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: tz }).format(
        new Date(iso),
      )
    : "—";

const errorText = (t: PortalStrings, e: unknown) => {
  if (e instanceof AppError) {
    if (e.code === "rate_limited") return t.rateLimited;
    const issues = (e.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues;
    return fillIn(t.error, {
      message: issues?.length ? issues.map((i) => `${i.path}: ${i.message}`).join("; ") : e.message,
    });
  }
  throw e;
};

export const portalPages: FastifyPluginAsync = async (app) => {
  const limit = (name: string, max: number) => ({
    rateLimit: {
      max,
      timeWindow: 60_000,
      keyGenerator: (req: FastifyRequest) => `portal-page-${name}:${req.ip}`,
    },
  });

  /** The page's context: the customer (if signed in), the language, the organization's name. */
  async function page(req: FastifyRequest, path: string, csrfFromForm?: string) {
    const who = await portalActor(req, () => csrfFromForm);
    const ctx = who.ctx;
    const profile = ctx.actor.kind === "customer" ? await getProfile(ctx).catch(() => null) : null;
    const settings = await readSettings(ctx.db);
    const lang = pickLanguage(req, profile?.language ?? null);
    const p: P = {
      lang,
      t: portalStrings(lang),
      org: settings?.name ?? "Rapport",
      signedIn: profile !== null,
      csrf: who.csrf,
      path,
    };
    return { ctx, p, tz: settings?.timeZone ?? "UTC", profile };
  }

  const signInPage = (p: P, notice = "") =>
    layout(
      p,
      p.t.signInTitle,
      `<h1>${esc(p.t.signInTitle)}</h1>${notice}
<p>${esc(p.t.signInIntro)}</p>
<form method="post" action="/portal/link" enctype="multipart/form-data">
<input type="hidden" name="lang" value="${p.lang}">
<label for="email">${esc(p.t.email)}</label>
<input id="email" name="email" type="email" required autocomplete="email" maxlength="320">
<button type="submit">${esc(p.t.sendLink)}</button>
</form>`,
    );

  const flash = (p: P, done: string | undefined, extra: Record<string, string> = {}) => {
    const map: Record<string, string> = {
      created: fillIn(p.t.created, { number: extra.number ?? "" }),
      replied: p.t.replied,
      callback: p.t.callbackRequested,
      cancelled: p.t.callbackCancelled,
      closed: p.t.requestClosed,
      saved: p.t.saved,
      rated: SURVEY_STRINGS[p.lang].thanks,
    };
    return done && map[done] ? `<p class="note" role="status">${esc(map[done])}</p>` : "";
  };

  // ---- Sign-in ---------------------------------------------------------------------------------
  app.get("/portal", { schema: { hide: true }, config: limit("home", 300) }, async (req, reply) => {
    const { ctx, p, tz } = await page(req, "/portal");
    const q = req.query as { sent?: string; done?: string; number?: string };
    if (!p.signedIn) {
      const notice = q.sent ? `<p class="note" role="status">${esc(p.t.linkSent)}</p>` : "";
      return send(reply, signInPage(p, notice));
    }
    const mine = await listRequests(ctx, { scope: "mine", limit: 100 });
    const org = mine.organizationShared
      ? await listRequests(ctx, { scope: "organization", limit: 100 })
      : null;
    const table = (items: typeof mine.items, withRequester: boolean) =>
      items.length === 0
        ? `<p>${esc(p.t.noRequests)}</p>`
        : `<table><thead><tr><th scope="col">${esc(p.t.number)}</th><th scope="col">${esc(p.t.subject)}</th><th scope="col">${esc(p.t.status)}</th><th scope="col">${esc(p.t.promised)}</th>${withRequester ? `<th scope="col">${esc(p.t.requester)}</th>` : ""}<th scope="col">${esc(p.t.updated)}</th></tr></thead><tbody>${items
            .map(
              (r) => `<tr data-testid="portal-request">
<td data-label="${esc(p.t.number)}">#${r.number}</td>
<td data-label="${esc(p.t.subject)}"><a href="/portal/requests/${r.id}?lang=${p.lang}">${esc(r.subject)}</a></td>
<td data-label="${esc(p.t.status)}"><span class="badge">${esc(p.t[`status_${r.status}` as keyof PortalStrings] ?? r.status)}</span></td>
<td data-label="${esc(p.t.promised)}">${esc(fmt(p.lang, r.promisedBy, tz))}</td>
${withRequester ? `<td data-label="${esc(p.t.requester)}">${esc(r.requester)}</td>` : ""}
<td data-label="${esc(p.t.updated)}">${esc(fmt(p.lang, r.updatedAt, tz))}</td></tr>`,
            )
            .join("")}</tbody></table>`;
    const body = `${flash(p, q.done, { number: q.number ?? "" })}<h1>${esc(p.t.myRequests)}</h1>
<p><a href="/portal/new?lang=${p.lang}">${esc(p.t.newRequest)}</a></p>
${table(mine.items, false)}
${
  org
    ? `<h2>${esc(p.t.orgRequests)}</h2>${table(
        org.items.filter((r) => !r.mine),
        true,
      )}`
    : ""
}`;
    return send(reply, layout(p, p.t.myRequests, body));
  });

  app.post("/portal/link", { schema: { hide: true }, config: limit("link", 10) }, async (req, reply) => {
    const { fields } = await readFields(req, { maxFiles: 0 });
    const { ctx, p } = await page(req, "/portal");
    const lang = pickLocale(fields.lang);
    try {
      await requestLink(ctx, req.ip, { email: String(fields.email ?? "").slice(0, 400), lang });
    } catch (e) {
      if (e instanceof AppError && e.code !== "rate_limited" && e.status < 500) {
        const pl = { ...p, lang, t: portalStrings(lang) };
        return send(
          reply,
          signInPage(pl, `<p class="error" role="alert">${esc(errorText(pl.t, e))}</p>`),
          400,
        );
      }
      if (e instanceof AppError && e.code === "rate_limited") {
        const pl = { ...p, lang, t: portalStrings(lang) };
        return send(reply, signInPage(pl, `<p class="error" role="alert">${esc(pl.t.rateLimited)}</p>`), 429);
      }
      throw e;
    }
    return reply.redirect(`/portal?sent=1&lang=${lang}`, 303);
  });

  // A link only shows a button: mail scanners that open links never use up the customer's link.
  app.get("/portal/verify", { schema: { hide: true }, config: limit("verify", 60) }, async (req, reply) => {
    const { p } = await page(req, "/portal/verify");
    const token = String((req.query as { token?: string }).token ?? "").slice(0, 200);
    return send(
      reply,
      layout(
        p,
        p.t.verifyTitle,
        `<h1>${esc(p.t.verifyTitle)}</h1><p>${esc(p.t.verifyIntro)}</p>
<form method="post" action="/portal/verify?lang=${p.lang}" enctype="multipart/form-data"><input type="hidden" name="token" value="${esc(token)}">
<button type="submit">${esc(p.t.verifyButton)}</button></form>`,
      ),
    );
  });

  app.post(
    "/portal/verify",
    { schema: { hide: true }, config: limit("verify-post", 30) },
    async (req, reply) => {
      const { fields } = await readFields(req, { maxFiles: 0 });
      const { p } = await page(req, "/portal/verify");
      try {
        const s = await verifyLink(app.services, String(fields.token ?? ""), {
          ip: req.ip,
          userAgent: req.headers["user-agent"],
        });
        setPortalCookie(reply, app.services.config.cookieSecure, s.sessionToken, s.expiresAt);
        return reply.redirect("/portal", 303);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== "invalid_token") throw e;
        const reason = (e.details as { reason?: string } | undefined)?.reason;
        const text =
          reason === "used" ? p.t.linkUsed : reason === "expired" ? p.t.linkExpired : p.t.linkInvalid;
        return send(
          reply,
          layout(
            p,
            p.t.verifyTitle,
            `<h1>${esc(p.t.verifyTitle)}</h1><p class="error" role="alert">${esc(text)}</p><p><a href="/portal?lang=${p.lang}">${esc(p.t.askAgain)}</a></p>`,
          ),
          e.status,
        );
      }
    },
  );

  app.post(
    "/portal/signout",
    { schema: { hide: true }, config: limit("signout", 30) },
    async (req, reply) => {
      const { fields } = await readFields(req, { maxFiles: 0 });
      const { p } = await page(req, "/portal", fields._csrf);
      const cookie = req.cookies.rapport_portal;
      if (p.signedIn && cookie) await signOut(app.services, cookie);
      clearPortalCookie(reply, app.services.config.cookieSecure);
      return reply.redirect(`/portal?lang=${p.lang}`, 303);
    },
  );

  // ---- Requests --------------------------------------------------------------------------------
  const requestPage = async (
    ctx: Ctx,
    p: P,
    tz: string,
    id: string,
    notice: string,
    rated: { rating?: string; comment?: string; reasonId?: string } = {},
  ) => {
    const r = await getRequest(ctx, id);
    const closed = r.status === "closed";
    const thread = r.messages
      .map(
        (
          m,
        ) => `<article class="msg ${m.author}" data-testid="portal-message"><p class="muted">${esc(m.author === "customer" ? m.authorName || p.t.you : `${p.t.support}${m.authorName ? ` · ${m.authorName}` : ""}`)} · ${esc(fmt(p.lang, m.createdAt, tz))}</p>
${m.bodyHtml}
${m.attachments.length ? `<ul>${m.attachments.map((a) => `<li><a href="/api/v1/portal/attachments/${a.id}">${esc(a.filename)}</a></li>`).join("")}</ul>` : ""}</article>`,
      )
      .join("");
    const csrf = `<input type="hidden" name="_csrf" value="${esc(p.csrf ?? "")}">`;
    const forms = closed
      ? `<p class="note">${esc(p.t.closedNote)}</p>`
      : `<form method="post" action="/portal/requests/${r.id}/reply?lang=${p.lang}" enctype="multipart/form-data">${csrf}
<label for="body">${esc(p.t.yourReply)}</label><textarea id="body" name="body" required maxlength="20000"></textarea>
<label for="files">${esc(p.t.attachments)}</label><input id="files" name="attachments" type="file" multiple>
<button type="submit">${esc(p.t.send)}</button></form>
${r.status === "solved" ? "" : `<form method="post" action="/portal/requests/${r.id}/close?lang=${p.lang}" enctype="multipart/form-data">${csrf}<button type="submit" class="secondary">${esc(p.t.closeRequest)}</button></form>`}`;
    // A solved request whose satisfaction survey is open: the customer rates it here.
    const survey =
      r.status === "solved" || r.status === "closed"
        ? await ticketSurvey(ctx, r.id, p.lang).catch((e: unknown) => {
            if (e instanceof AppError && e.status < 500) return null;
            throw e;
          })
        : null;
    const rating = survey
      ? `<section data-testid="portal-rating"><h2>${esc((await surveyStrings(ctx.db, survey.language)).pageTitle)}</h2>
<form method="post" action="/portal/requests/${r.id}/rating?lang=${p.lang}" enctype="multipart/form-data">${csrf}
${await ratingFields(ctx, survey, rated)}</form></section>`
      : "";
    return layout(
      p,
      `#${r.number} ${r.subject}`,
      `${notice}<p><a href="/portal?lang=${p.lang}">${esc(p.t.back)}</a></p>
<h1>#${r.number} ${esc(r.subject)}</h1>
<p><span class="badge">${esc(p.t[`status_${r.status}` as keyof PortalStrings] ?? r.status)}</span> · ${esc(p.t.promised)}: ${esc(fmt(p.lang, r.promisedBy, tz))}</p>
${thread}${forms}${rating}`,
    );
  };

  const idOf = (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError("not_found", 404, "Request not found");
    return id;
  };
  const needSignIn = (p: P, reply: FastifyReply) => reply.redirect(`/portal?lang=${p.lang}`, 303);

  app.get(
    "/portal/requests/:id",
    { schema: { hide: true }, config: limit("request", 300) },
    async (req, reply) => {
      const { ctx, p, tz } = await page(req, "/portal/requests");
      if (!p.signedIn) return needSignIn(p, reply);
      const q = req.query as { done?: string; number?: string };
      return send(
        reply,
        await requestPage(ctx, p, tz, idOf(req), flash(p, q.done, { number: q.number ?? "" })),
      );
    },
  );

  app.post(
    "/portal/requests/:id/reply",
    { schema: { hide: true }, config: limit("reply", 30) },
    async (req, reply) => {
      const { fields, files } = await readFields(req, { maxFiles: MAX_FILES });
      const { ctx, p, tz } = await page(req, "/portal/requests", fields._csrf);
      if (!p.signedIn) return needSignIn(p, reply);
      const id = idOf(req);
      try {
        await replyToRequest(ctx, id, parseWith(ZReply, { body: fields.body ?? "" }), files);
      } catch (e) {
        const notice = `<p class="error" role="alert">${esc(errorText(p.t, e))}</p>`;
        return send(reply, await requestPage(ctx, p, tz, id, notice), (e as AppError).status);
      }
      return reply.redirect(`/portal/requests/${id}?lang=${p.lang}&done=replied`, 303);
    },
  );

  app.post(
    "/portal/requests/:id/rating",
    { schema: { hide: true }, config: limit("rating", 20) },
    async (req, reply) => {
      const { fields } = await readFields(req, { maxFiles: 0 });
      const { ctx, p, tz } = await page(req, "/portal/requests", fields._csrf);
      if (!p.signedIn) return needSignIn(p, reply);
      const id = idOf(req);
      // The request must be the customer's (404 otherwise) before its survey is touched.
      await getRequest(ctx, id);
      const answer = {
        rating: fields.rating ?? "",
        comment: fields.comment || undefined,
        reasonId: fields.reasonId || undefined,
      };
      try {
        await answerTicketSurvey(ctx, id, parseWith(ZPublicAnswer, answer), "portal");
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500) throw e;
        const notice = `<p class="error" role="alert">${esc(
          e.status === 400 ? SURVEY_STRINGS[p.lang].chooseRating : errorText(p.t, e),
        )}</p>`;
        return send(reply, await requestPage(ctx, p, tz, id, notice, answer), e.status);
      }
      return reply.redirect(`/portal/requests/${id}?lang=${p.lang}&done=rated`, 303);
    },
  );

  app.post(
    "/portal/requests/:id/close",
    { schema: { hide: true }, config: limit("close", 30) },
    async (req, reply) => {
      const { fields } = await readFields(req, { maxFiles: 0 });
      const { ctx, p } = await page(req, "/portal/requests", fields._csrf);
      if (!p.signedIn) return needSignIn(p, reply);
      const id = idOf(req);
      await closeRequest(ctx, id);
      return reply.redirect(`/portal/requests/${id}?lang=${p.lang}&done=closed`, 303);
    },
  );

  // ---- New request, with suggestions as the customer types ------------------------------------
  const newPage = (p: P, values: { subject?: string; body?: string }, notice = "") => {
    const nonce = randomBytes(16).toString("base64");
    const sid = randomBytes(12).toString("base64url");
    const csrf = `<input type="hidden" name="_csrf" value="${esc(p.csrf ?? "")}">`;
    const body = `${notice}<h1>${esc(p.t.newRequest)}</h1>
<form method="post" action="/portal/new?lang=${p.lang}" enctype="multipart/form-data">${csrf}<input type="hidden" name="sid" value="${sid}">
<label for="subject">${esc(p.t.subject)}</label><input id="subject" name="subject" type="text" required maxlength="300" value="${esc(values.subject ?? "")}">
<section aria-live="polite" id="suggestions" data-testid="portal-suggestions" hidden><h2>${esc(p.t.suggestions)}</h2><ul class="suggest"></ul></section>
<label for="body">${esc(p.t.describe)}</label><textarea id="body" name="body" required maxlength="20000">${esc(values.body ?? "")}</textarea>
<label for="files">${esc(p.t.attachments)}</label><input id="files" name="attachments" type="file" multiple>
<button type="submit">${esc(p.t.sendRequest)}</button></form>`;
    const script = `(function(){var s=document.getElementById("subject"),b=document.getElementById("body"),box=document.getElementById("suggestions"),ul=box.querySelector("ul"),lang=${JSON.stringify(p.lang)},sid=${JSON.stringify(sid)},csrf=${JSON.stringify(p.csrf ?? "")},timer=0,last="",seq=0;
function run(){var q=(s.value+" "+b.value).trim().slice(0,200);if(q===last)return;last=q;var my=++seq;if(q.length<3){box.hidden=true;return}
fetch("/api/v1/public/kb/suggest?limit=5&lang="+encodeURIComponent(lang)+"&q="+encodeURIComponent(q)).then(function(r){return r.ok?r.json():{items:[]}}).then(function(d){if(my!==seq)return;ul.textContent="";var ids=[];(d.items||[]).forEach(function(h){ids.push(h.id);var li=document.createElement("li"),a=document.createElement("a");a.href="/api/v1/public/deflection/open?article="+h.id+"&lang="+encodeURIComponent(h.language)+"&sid="+sid;a.target="_blank";a.rel="noopener";a.textContent=h.title;li.appendChild(a);ul.appendChild(li)});box.hidden=ids.length===0;
if(ids.length)fetch("/api/v1/public/deflection/events",{method:"POST",headers:{"content-type":"application/json","x-csrf-token":csrf},body:JSON.stringify({sid:sid,source:"portal",event:"shown",language:lang,articleIds:ids})})}).catch(function(){})}
function later(){clearTimeout(timer);timer=setTimeout(run,250)}s.addEventListener("input",later);b.addEventListener("input",later);run()})();`;
    return { html: layout(p, p.t.newRequest, body, { nonce, script }), nonce };
  };

  app.get("/portal/new", { schema: { hide: true }, config: limit("new", 120) }, async (req, reply) => {
    const { p } = await page(req, "/portal/new");
    if (!p.signedIn) return needSignIn(p, reply);
    const { html, nonce } = newPage(p, {});
    return send(reply, html, 200, nonce);
  });

  app.post("/portal/new", { schema: { hide: true }, config: limit("new-post", 20) }, async (req, reply) => {
    const { fields, files } = await readFields(req, { maxFiles: MAX_FILES });
    const { ctx, p } = await page(req, "/portal/new", fields._csrf);
    if (!p.signedIn) return needSignIn(p, reply);
    try {
      const input = parseWith(ZNewRequest, {
        subject: fields.subject ?? "",
        body: fields.body ?? "",
        ...(fields.sid ? { sid: fields.sid } : {}),
      });
      const r = await createRequest(ctx, input, files);
      return reply.redirect(`/portal/requests/${r.id}?lang=${p.lang}&done=created&number=${r.number}`, 303);
    } catch (e) {
      const { html, nonce } = newPage(
        p,
        { subject: fields.subject, body: fields.body },
        `<p class="error" role="alert">${esc(errorText(p.t, e))}</p>`,
      );
      return send(reply, html, (e as AppError).status, nonce);
    }
  });

  // ---- Call-backs ------------------------------------------------------------------------------
  const callbacksPage = async (ctx: Ctx, p: P, tz: string, phone: string | null, notice: string) => {
    const items = await listCallbacks(ctx);
    const csrf = `<input type="hidden" name="_csrf" value="${esc(p.csrf ?? "")}">`;
    const list = items.length
      ? items
          .map(
            (
              c,
            ) => `<div class="card" data-testid="portal-callback"><p><strong>${esc(fmt(p.lang, c.windowStart ?? c.dueAt, tz))}</strong> – ${esc(fmt(p.lang, c.windowEnd, tz))} · ${esc(c.phone)} · <span class="badge">${esc(p.t[`cb_${c.status}` as keyof PortalStrings])}</span></p>
${c.topic ? `<p>${esc(c.topic)}</p>` : ""}
${c.status === "open" ? `<form method="post" action="/portal/callbacks/${c.id}/cancel?lang=${p.lang}" enctype="multipart/form-data">${csrf}<button type="submit" class="secondary">${esc(p.t.cancel)}</button></form>` : ""}</div>`,
          )
          .join("")
      : `<p>${esc(p.t.noCallbacks)}</p>`;
    return layout(
      p,
      p.t.callbacks,
      `${notice}<h1>${esc(p.t.callbacks)}</h1>${list}
<h2>${esc(p.t.callbackTitle)}</h2><p class="muted">${esc(fillIn(p.t.callbackIntro, { tz }))}</p>
<form method="post" action="/portal/callbacks?lang=${p.lang}" enctype="multipart/form-data">${csrf}
<label for="phone">${esc(p.t.phone)}</label><input id="phone" name="phone" type="tel" required autocomplete="tel" maxlength="40" value="${esc(phone ?? "")}">
<label for="start">${esc(p.t.from)}</label><input id="start" name="windowStart" type="datetime-local" required>
<label for="end">${esc(p.t.until)}</label><input id="end" name="windowEnd" type="datetime-local">
<label for="topic">${esc(p.t.topic)}</label><textarea id="topic" name="topic" maxlength="2000"></textarea>
<button type="submit">${esc(p.t.requestCallback)}</button></form>`,
    );
  };

  app.get(
    "/portal/callbacks",
    { schema: { hide: true }, config: limit("callbacks", 120) },
    async (req, reply) => {
      const { ctx, p, tz, profile } = await page(req, "/portal/callbacks");
      if (!p.signedIn) return needSignIn(p, reply);
      const done = (req.query as { done?: string }).done;
      return send(reply, await callbacksPage(ctx, p, tz, profile?.phone ?? null, flash(p, done)));
    },
  );

  app.post(
    "/portal/callbacks",
    { schema: { hide: true }, config: limit("callbacks-post", 20) },
    async (req, reply) => {
      const { fields } = await readFields(req, { maxFiles: 0 });
      const { ctx, p, tz, profile } = await page(req, "/portal/callbacks", fields._csrf);
      if (!p.signedIn) return needSignIn(p, reply);
      try {
        await requestPortalCallback(
          ctx,
          parseWith(ZPortalCallback, {
            phone: fields.phone ?? "",
            windowStart: fields.windowStart ?? "",
            ...(fields.windowEnd ? { windowEnd: fields.windowEnd } : {}),
            ...(fields.topic ? { topic: fields.topic } : {}),
          }),
        );
      } catch (e) {
        const notice = `<p class="error" role="alert">${esc(errorText(p.t, e))}</p>`;
        return send(
          reply,
          await callbacksPage(ctx, p, tz, profile?.phone ?? null, notice),
          (e as AppError).status,
        );
      }
      return reply.redirect(`/portal/callbacks?lang=${p.lang}&done=callback`, 303);
    },
  );

  app.post(
    "/portal/callbacks/:id/cancel",
    { schema: { hide: true }, config: limit("callbacks-cancel", 20) },
    async (req, reply) => {
      const { fields } = await readFields(req, { maxFiles: 0 });
      const { ctx, p } = await page(req, "/portal/callbacks", fields._csrf);
      if (!p.signedIn) return needSignIn(p, reply);
      await cancelCallback(ctx, idOf(req));
      return reply.redirect(`/portal/callbacks?lang=${p.lang}&done=cancelled`, 303);
    },
  );

  // ---- Profile ---------------------------------------------------------------------------------
  /** The customer's own loyalty tier, its benefits and the points (customer value). */
  const membershipCard = (p: P, m: Awaited<ReturnType<typeof getProfile>>["membership"]) => {
    const points = new Intl.NumberFormat(p.lang).format(m.points);
    if (!m.tier)
      return `<section class="card" data-testid="portal-membership" aria-labelledby="membership-h"><h2 id="membership-h">${esc(p.t.membership)}</h2><p>${esc(fillIn(p.t.memberNone, { points }))}</p></section>`;
    const lines = [
      `<p><strong>${esc(fillIn(p.t.memberWelcome, { tier: m.tier.name }))}</strong></p>`,
      `<p><span class="badge" data-testid="portal-tier">${esc(fillIn(p.t.memberTier, { tier: m.tier.name }))}</span> · ${esc(fillIn(p.t.memberPoints, { points }))}</p>`,
      m.tier.discountPercent > 0
        ? `<p>${esc(fillIn(p.t.memberDiscount, { percent: new Intl.NumberFormat(p.lang).format(m.tier.discountPercent) }))}</p>`
        : "",
      m.tier.benefits ? `<p>${esc(m.tier.benefits)}</p>` : "",
    ];
    return `<section class="card" data-testid="portal-membership" aria-labelledby="membership-h"><h2 id="membership-h">${esc(p.t.membership)}</h2>${lines.join("")}</section>`;
  };
  const profilePage = (p: P, pr: Awaited<ReturnType<typeof getProfile>>, notice: string) => {
    const options = LOCALES.map(
      (l) =>
        `<option value="${l}"${l === pr.language ? " selected" : ""} lang="${l}">${esc(LOCALE_NAMES[l] ?? l)}</option>`,
    ).join("");
    return layout(
      p,
      p.t.profile,
      `${notice}<h1>${esc(p.t.profile)}</h1><p class="muted">${esc(p.t.email)}: ${esc(pr.email)}</p>
${membershipCard(p, pr.membership)}
<form method="post" action="/portal/profile" enctype="multipart/form-data"><input type="hidden" name="_csrf" value="${esc(p.csrf ?? "")}">
<label for="name">${esc(p.t.name)}</label><input id="name" name="name" type="text" required maxlength="200" autocomplete="name" value="${esc(pr.name)}">
<label for="phone">${esc(p.t.phone)}</label><input id="phone" name="phone" type="tel" maxlength="40" autocomplete="tel" value="${esc(pr.phone ?? "")}">
<label for="language">${esc(p.t.preferredLanguage)}</label><select id="language" name="language">${options}</select>
<button type="submit">${esc(p.t.save)}</button></form>`,
    );
  };

  app.get(
    "/portal/profile",
    { schema: { hide: true }, config: limit("profile", 120) },
    async (req, reply) => {
      const { p, profile } = await page(req, "/portal/profile");
      if (!p.signedIn || !profile) return needSignIn(p, reply);
      return send(reply, profilePage(p, profile, flash(p, (req.query as { done?: string }).done)));
    },
  );

  app.post(
    "/portal/profile",
    { schema: { hide: true }, config: limit("profile-post", 20) },
    async (req, reply) => {
      const { fields } = await readFields(req, { maxFiles: 0 });
      const { ctx, p, profile } = await page(req, "/portal/profile", fields._csrf);
      if (!p.signedIn || !profile) return needSignIn(p, reply);
      try {
        const saved = await updateProfile(
          ctx,
          parseWith(ZProfile, {
            name: fields.name ?? "",
            phone: fields.phone?.trim() ? fields.phone : null,
            language: fields.language,
          }),
        );
        return reply.redirect(`/portal/profile?lang=${saved.language}&done=saved`, 303);
      } catch (e) {
        const notice = `<p class="error" role="alert">${esc(errorText(p.t, e))}</p>`;
        return send(reply, profilePage(p, profile, notice), (e as AppError).status);
      }
    },
  );
};
