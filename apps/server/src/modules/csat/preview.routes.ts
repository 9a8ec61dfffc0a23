import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { errorResponses } from "../../http/schemas.ts";
import { fill } from "../email/templates.ts";
import { readSettings } from "../settings/settings.service.ts";
import { SURVEY_STRINGS, scaleOptions } from "./csat.i18n.ts";
import { ZPreview, ZPreviewQuery } from "./csat.schema.ts";
import { loadCsatSettings } from "./csat.service.ts";

/**
 * The survey as a customer in one language would see it (email and page), with a sample ticket,
 * for the survey admin's preview; `scale` previews a scale before it is saved.
 */
async function preview(ctx: Ctx, q: z.infer<typeof ZPreviewQuery>) {
  requireCan(ctx.actor, "csat.manage");
  const settings = await loadCsatSettings(ctx.db);
  const org = await readSettings(ctx.db);
  const scale = q.scale ?? settings.scale;
  const s = SURVEY_STRINGS[q.language];
  const values = { number: 1042, subject: "…", name: "…", days: settings.expiryDays };
  return {
    language: q.language,
    scale,
    subject: fill(s.emailSubject, values),
    intro: fill(s.emailIntro, values),
    options: scaleOptions(scale, s).reverse(),
    outro: `${fill(s.emailOutro, values)}\n\n— ${org?.name ?? "Rapport"}`,
    question: fill(s.question, values),
    commentLabel: s.commentLabel,
    reasonLabel: s.reasonLabel,
    thanks: s.thanks,
  };
}

export const csatPreviewRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/csat/preview",
    {
      schema: {
        tags: ["csat"],
        summary: "The survey email and page in one language, with a sample ticket (administrators)",
        querystring: ZPreviewQuery,
        response: { 200: ZPreview, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => preview(req.ctx, req.query),
  );
};
