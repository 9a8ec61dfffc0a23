import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { readFields } from "../../http/multipart.ts";
import { errorResponses } from "../../http/schemas.ts";
import { ZFormConfig, ZFormSubmissionStats, ZFormSubmitResult } from "./forms.schema.ts";
import { formConfig, MAX_FILES, submissionStats, submitForm, ZFormSubmission } from "./forms.service.ts";

const tags = ["forms"];

/**
 * The form's own rate-limit buckets per address: the global public bucket is shared with every
 * page asset a visitor loads, so a person who opens the page and sends it would be refused.
 * The per-address submission limit (5 in 10 minutes, across processes) is in forms.service.ts.
 */
const formKey = (route: string) => (req: { ip: string }) => `forms-${route}:${req.ip}`;

export const formsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/forms/config",
    {
      config: { public: true, rateLimit: { max: 120, timeWindow: 60_000, keyGenerator: formKey("config") } },
      schema: {
        tags,
        summary:
          "The public contact form: a fresh timing token (sign-in not needed) and the public custom fields",
        security: [],
        response: { 200: ZFormConfig },
      },
    },
    async (req) => formConfig(req.ctx),
  );
  app.post(
    "/forms/submit",
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: formKey("submit") } },
      schema: {
        tags,
        summary:
          "Send the public contact form (multipart/form-data with `attachments` files, or JSON without files). Refused: a filled honeypot (`website`), a form sent under 3 s after its token or with a bad/expired token, more than 5 submissions per address in 10 minutes (429)",
        description: `Fields: ${Object.keys(ZFormSubmission.shape).join(", ")}. At most ${MAX_FILES} files.`,
        consumes: ["multipart/form-data", "application/json"],
        security: [],
        response: {
          201: ZFormSubmitResult,
          ...errorResponses(400, 413, 415, 429),
        },
      },
    },
    async (req, reply) => {
      const { fields, files } = await readFields(req, {
        maxFiles: MAX_FILES,
        notString: "Every form field is a string",
      });
      const result = await submitForm(req.ctx, req.ip, fields, files);
      return reply.status(201).send(result);
    },
  );
  app.get(
    "/forms/submissions",
    {
      schema: {
        tags,
        summary:
          "Admins: the last 7 days of form submissions by outcome (accepted, honeypot, too fast, rate limited...)",
        response: {
          200: ZFormSubmissionStats,
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => submissionStats(req.ctx),
  );
};
