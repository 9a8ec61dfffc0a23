import { eq } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { errorResponses } from "../../http/schemas.ts";
import { fill } from "../email/templates.ts";
import { readSettings } from "../settings/settings.service.ts";
import { scaleOptions } from "./csat.i18n.ts";
import {
  ZPreview,
  ZPreviewDraft,
  ZPreviewQuery,
  ZTemplateParams,
  ZTemplates,
  ZTemplateTexts,
} from "./csat.schema.ts";
import { loadCsatSettings } from "./csat.service.ts";
import { csatTemplates } from "./csat.table.ts";
import { listTemplates, mergeStrings, saveTemplate } from "./templates.service.ts";

/**
 * The survey as a customer in one language would see it (email and page), with a sample ticket,
 * for the survey admin's preview; `scale` previews a scale before it is saved, `texts` wording
 * before it is saved (over the saved wording).
 */
async function preview(ctx: Ctx, q: z.infer<typeof ZPreviewDraft>) {
  requireCan(ctx.actor, "csat.manage");
  const settings = await loadCsatSettings(ctx.db);
  const org = await readSettings(ctx.db);
  const scale = q.scale ?? settings.scale;
  const [row] = await ctx.db.select().from(csatTemplates).where(eq(csatTemplates.language, q.language));
  const s = mergeStrings(q.language, row?.texts ?? {}, q.texts);
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

const tags = ["csat"];

export const csatPreviewRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/csat/preview",
    {
      schema: {
        tags,
        summary: "The survey email and page in one language, with a sample ticket (administrators)",
        querystring: ZPreviewQuery,
        response: { 200: ZPreview, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => preview(req.ctx, req.query),
  );
  app.post(
    "/csat/preview",
    {
      schema: {
        tags,
        summary: "The preview of wording not saved yet (administrators)",
        body: ZPreviewDraft,
        response: { 200: ZPreview, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => preview(req.ctx, req.body),
  );
  app.get(
    "/csat/templates",
    {
      schema: {
        tags,
        summary: "The survey's wording per language: in use, built-in, changed keys (administrators)",
        response: { 200: ZTemplates, ...errorResponses(401, 403) },
      },
    },
    async (req) => listTemplates(req.ctx),
  );
  app.put(
    "/csat/templates/:language",
    {
      schema: {
        tags,
        summary: "Reword one language (the keys given; the others and {} return to the built-in wording)",
        params: ZTemplateParams,
        body: ZTemplateTexts,
        response: { 200: ZTemplates, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => saveTemplate(req.ctx, req.params.language, req.body),
  );
};
