import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZCreateToneRule,
  ZToneCheck,
  ZToneCheckResult,
  ZToneReport,
  ZToneReportQuery,
  ZToneRule,
  ZToneRuleList,
  ZToneRuleQuery,
  ZUpdateToneRule,
} from "./tone.schema.ts";
import {
  checkTone,
  createToneRule,
  deleteToneRule,
  listToneRules,
  toneReport,
  updateToneRule,
} from "./tone.service.ts";

const tags = ["tone"];

export const toneRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/tone/check",
    {
      schema: {
        tags,
        summary:
          "Phrases of a reply that sound negative, dismissive or blaming, with offsets and suggestions",
        body: ZToneCheck,
        response: { 200: ZToneCheckResult, ...errorResponses(400, 401, 413) },
      },
    },
    async (req) => checkTone(req.ctx, req.body),
  );
  app.get(
    "/tone/rules",
    {
      schema: {
        tags,
        summary: "Tone rules (per language; cursor-paged)",
        querystring: ZToneRuleQuery,
        response: { 200: ZToneRuleList, ...errorResponses(400, 401) },
      },
    },
    async (req) => listToneRules(req.ctx, req.query),
  );
  app.post(
    "/tone/rules",
    {
      schema: {
        tags,
        summary: "Add a tone rule (administrators)",
        body: ZCreateToneRule,
        response: { 201: ZToneRule, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.code(201).send(await createToneRule(req.ctx, req.body)),
  );
  app.patch(
    "/tone/rules/:id",
    {
      schema: {
        tags,
        summary: "Change a tone rule (administrators)",
        params: ZIdParams,
        body: ZUpdateToneRule,
        response: { 200: ZToneRule, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateToneRule(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/tone/rules/:id",
    {
      schema: {
        tags,
        summary: "Delete a tone rule (administrators; its report history stays)",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteToneRule(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/tone/report",
    {
      schema: {
        tags,
        summary: "Most frequent flagged phrases per team, and how often agents took the suggestion",
        querystring: ZToneReportQuery,
        response: { 200: ZToneReport, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => toneReport(req.ctx, req.query),
  );
};
