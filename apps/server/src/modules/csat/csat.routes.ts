import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZCsatSettings,
  ZPublicAnswer,
  ZPublicAnswered,
  ZPublicSurvey,
  ZReason,
  ZReasonInput,
  ZReasonList,
  ZResponses,
  ZResponsesQuery,
  ZSurveyToken,
  ZTicketCsat,
  ZUpdateCsatSettings,
  ZUpdateReason,
} from "./csat.schema.ts";
import {
  answerSurvey,
  createReason,
  getCsatSettings,
  listReasons,
  listResponses,
  publicSurvey,
  setSkip,
  ticketCsat,
  updateCsatSettings,
  updateReason,
} from "./csat.service.ts";

const tags = ["csat"];
/** Per-address buckets for the public survey API (a link is opened by one customer). */
export const surveyLimit = (name: string, max: number) => ({
  public: true,
  rateLimit: { max, timeWindow: 60_000, keyGenerator: (req: { ip: string }) => `survey-${name}:${req.ip}` },
});

export const csatRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/csat/settings",
    {
      schema: {
        tags,
        summary: "How surveys are sent",
        response: { 200: ZCsatSettings, ...errorResponses(401) },
      },
    },
    async (req) => getCsatSettings(req.ctx),
  );
  app.patch(
    "/csat/settings",
    {
      schema: {
        tags,
        summary: "Admins: survey delay, expiry, scale and channels",
        body: ZUpdateCsatSettings,
        response: { 200: ZCsatSettings, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => updateCsatSettings(req.ctx, req.body),
  );
  app.get(
    "/csat/reasons",
    {
      schema: {
        tags,
        summary: "Reasons a customer may give with a bad rating",
        response: { 200: ZReasonList, ...errorResponses(401) },
      },
    },
    async (req) => listReasons(req.ctx),
  );
  app.post(
    "/csat/reasons",
    {
      schema: {
        tags,
        summary: "Admins: add a reason (labels per language)",
        body: ZReasonInput,
        response: { 201: ZReason, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.code(201).send(await createReason(req.ctx, req.body)),
  );
  app.patch(
    "/csat/reasons/:id",
    {
      schema: {
        tags,
        summary: "Admins: change or retire a reason",
        params: ZIdParams,
        body: ZUpdateReason,
        response: { 200: ZReason, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateReason(req.ctx, req.params.id, req.body),
  );
  app.get(
    "/csat/responses",
    {
      schema: {
        tags,
        summary:
          "Rated surveys, newest first, on tickets the caller may see; with the response rate and CSAT % of the filter",
        querystring: ZResponsesQuery,
        response: { 200: ZResponses, ...errorResponses(400, 401) },
      },
    },
    async (req) => listResponses(req.ctx, req.query),
  );
  app.get(
    "/tickets/:id/csat",
    {
      schema: {
        tags,
        summary: "A ticket's surveys and ratings, and whether an agent skipped surveying it",
        params: ZIdParams,
        response: { 200: ZTicketCsat, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => ticketCsat(req.ctx, req.params.id),
  );
  app.post(
    "/tickets/:id/csat/skip",
    {
      schema: {
        tags,
        summary: "Send no survey for this ticket (a scheduled one is discarded)",
        params: ZIdParams,
        response: { 200: ZTicketCsat, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => setSkip(req.ctx, req.params.id, true),
  );
  app.delete(
    "/tickets/:id/csat/skip",
    {
      schema: {
        tags,
        summary: "Survey this ticket again when it is next solved",
        params: ZIdParams,
        response: { 200: ZTicketCsat, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => setSkip(req.ctx, req.params.id, false),
  );

  // ---- public: the customer's survey, by its token (no sign-in)
  app.get(
    "/public/surveys/:token",
    {
      config: surveyLimit("get", 60),
      schema: {
        tags,
        summary:
          "A survey by its token: the question, answers and reasons in the customer's language. Reading never records a rating. 404 unknown token, 409 answered, 410 expired or withdrawn",
        security: [],
        params: ZSurveyToken,
        querystring: z.strictObject({ lang: z.string().max(20).optional() }),
        response: { 200: ZPublicSurvey, ...errorResponses(404, 409, 410, 429) },
      },
    },
    async (req) => publicSurvey(req.server.services, req.params.token, req.query.lang),
  );
  app.post(
    "/public/surveys/:token",
    {
      config: surveyLimit("post", 20),
      schema: {
        tags,
        summary: "Answer a survey once: rating, optional comment, and for a bad rating an optional reason",
        security: [],
        params: ZSurveyToken,
        body: ZPublicAnswer,
        response: { 200: ZPublicAnswered, ...errorResponses(400, 404, 409, 410, 429) },
      },
    },
    async (req) => answerSurvey(req.server.services, req.params.token, req.body),
  );
};
