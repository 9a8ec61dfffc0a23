import { LOCALES, type Locale } from "@rapport/shared";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { z } from "zod";
import { AppError } from "../../lib/errors.ts";
import { escapeHtml } from "../../lib/html.ts";
import { pickLocale } from "../email/templates.ts";
import { SURVEY_STRINGS } from "./csat.i18n.ts";
import { surveyLimit } from "./csat.routes.ts";
import { ZPublicAnswer } from "./csat.schema.ts";
import { answerSurvey, publicSurvey } from "./csat.service.ts";
import { surveyStrings } from "./templates.service.ts";

/**
 * The survey page customers reach from the email's rating links: `GET /survey/:token?rating=`
 * only shows the form with that rating preselected (a mail scanner following every link
 * records nothing); the customer confirms with the button, a form POST. No script, no cookie.
 */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const DIR: Record<Locale, string> = { en: "ltr", vi: "ltr", km: "ltr", ta: "ltr" };

function page(locale: Locale, title: string, body: string) {
  return `<!doctype html>
<html lang="${locale}" dir="${DIR[locale]}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,"Noto Sans","Noto Sans Khmer","Noto Sans Tamil",sans-serif;margin:0;background:#f1f3f5;color:#212529;line-height:1.6}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.35rem;margin:0 0 .5rem}
fieldset{border:0;padding:0;margin:1rem 0}
legend{font-weight:600;margin-bottom:.5rem}
.options{display:flex;flex-wrap:wrap;gap:.5rem}
.options label{flex:1 1 9rem;display:flex;gap:.5rem;align-items:center;border:1px solid #ced4da;border-radius:8px;padding:.6rem .75rem;cursor:pointer}
.options input:checked+span{font-weight:700}
label.block{display:block;font-weight:600;margin:1rem 0 .35rem}
textarea,select{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #ced4da;border-radius:8px}
button{margin-top:1.25rem;font:inherit;font-weight:600;padding:.7rem 1.25rem;border:0;border-radius:8px;background:#1864ab;color:#fff;cursor:pointer;width:100%}
.muted{color:#495057;font-size:.95rem}
.error{color:#c92a2a;font-weight:600}
</style></head>
<body><main>${body}</main></body></html>`;
}

function send(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("content-security-policy", CSP)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("cache-control", "no-store")
    .send(html);
}

/** A refused token (unknown, answered, expired) as a page in the survey's or the asked language. */
function refusal(reply: FastifyReply, e: unknown, lang: string | undefined) {
  if (!(e instanceof AppError)) throw e;
  const details = (e.details ?? {}) as { reason?: string; language?: string };
  const locale = pickLocale(lang ?? details.language);
  const str = SURVEY_STRINGS[locale];
  if (e.status === 400) return null;
  const text =
    details.reason === "answered" ? str.used : details.reason === "expired" ? str.expired : str.unknown;
  return send(
    reply,
    e.status,
    page(locale, str.pageTitle, `<h1>${escapeHtml(str.pageTitle)}</h1><p>${escapeHtml(text)}</p>`),
  );
}

const ZLang = z.enum(LOCALES).optional().catch(undefined);

type View = Awaited<ReturnType<typeof publicSurvey>>;

/**
 * The rating form's fields (the scale's answers, the comment, the reason of a bad rating, the
 * button) in the survey's words: the email link's page and the portal's solved request use it.
 */
export async function ratingFields(
  services: Parameters<typeof publicSurvey>[0],
  s: View,
  opts: { rating?: string; comment?: string; reasonId?: string } = {},
) {
  const str = await surveyStrings(services.db, s.language);
  const options = s.options
    .map(
      (o) =>
        `<label><input type="radio" name="rating" value="${escapeHtml(o.value)}"${o.value === opts.rating ? " checked" : ""} required><span>${escapeHtml(o.label)}</span></label>`,
    )
    .join("");
  const reasons = s.reasons.length
    ? `<label class="block" for="reason">${escapeHtml(str.reasonLabel)}</label>
<select id="reason" name="reasonId"><option value="">${escapeHtml(str.reasonNone)}</option>${s.reasons
        .map(
          (r) =>
            `<option value="${escapeHtml(r.id)}"${r.id === opts.reasonId ? " selected" : ""}>${escapeHtml(r.label)}</option>`,
        )
        .join("")}</select>`
    : "";
  return `<fieldset><legend>${escapeHtml(s.question)}</legend><div class="options">${options}</div></fieldset>
<label class="block" for="comment">${escapeHtml(str.commentLabel)}</label>
<textarea id="comment" name="comment" rows="4" maxlength="5000">${escapeHtml(opts.comment ?? "")}</textarea>
${reasons}
<button type="submit">${escapeHtml(str.submit)}</button>`;
}

async function form(
  reply: FastifyReply,
  services: Parameters<typeof publicSurvey>[0],
  token: string,
  /** `error`: the answer was refused (no or a wrong rating): the page asks again, keeping what was typed. */
  opts: { lang?: string; rating?: string; comment?: string; reasonId?: string; error?: "rating" },
) {
  const s = await publicSurvey(services, token, opts.lang);
  const str = await surveyStrings(services.db, s.language);
  const body = `<h1>${escapeHtml(str.pageTitle)}</h1>
<p class="muted">${escapeHtml(s.organization)} · #${s.ticket.number} ${escapeHtml(s.ticket.subject)}</p>
${opts.error ? `<p class="error" role="alert">${escapeHtml(str.chooseRating)}</p>` : ""}
<form method="post" action="/survey/${encodeURIComponent(token)}?lang=${s.language}">
${await ratingFields(services, s, opts)}
</form>`;
  return send(reply, opts.error ? 400 : 200, page(s.language, str.pageTitle, body));
}

export const csatPageRoutes: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 32_000 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const params = z.object({ token: z.string().max(200) });
  const query = z.object({ rating: z.string().max(10).optional(), lang: z.string().optional() });

  app.get(
    "/survey/:token",
    { config: surveyLimit("page", 60), schema: { hide: true } },
    async (req, reply) => {
      const { token } = params.parse(req.params);
      const q = query.safeParse(req.query);
      const lang = ZLang.parse(q.success ? q.data.lang : undefined);
      try {
        return await form(reply, app.services, token, {
          lang,
          rating: q.success ? q.data.rating : undefined,
        });
      } catch (e) {
        return refusal(reply, e, lang);
      }
    },
  );

  app.post(
    "/survey/:token",
    { config: surveyLimit("answer", 20), schema: { hide: true } },
    async (req, reply) => {
      const { token } = params.parse(req.params);
      const q = query.safeParse(req.query);
      const lang = ZLang.parse(q.success ? q.data.lang : undefined);
      const raw = (req.body ?? {}) as Record<string, string>;
      const fields = {
        rating: raw.rating ?? "",
        comment: raw.comment || undefined,
        reasonId: raw.reasonId || undefined,
      };
      try {
        const parsed = ZPublicAnswer.safeParse(fields);
        if (!parsed.success) {
          return await form(reply, app.services, token, { lang, ...fields, error: "rating" });
        }
        const done = await answerSurvey(app.services, token, parsed.data);
        const locale = pickLocale(lang ?? done.language);
        const str = SURVEY_STRINGS[locale];
        return send(
          reply,
          200,
          page(locale, str.thanks, `<h1>${escapeHtml(str.thanks)}</h1><p>${escapeHtml(str.thanksBody)}</p>`),
        );
      } catch (e) {
        if (e instanceof AppError && e.status === 400)
          return form(reply, app.services, token, { lang, ...fields, error: "rating" });
        return refusal(reply, e, lang);
      }
    },
  );
};
