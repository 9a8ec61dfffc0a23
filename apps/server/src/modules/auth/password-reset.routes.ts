import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../../http/schemas.ts";
import { ZForgotPassword, ZResetPassword } from "./password-reset.schema.ts";
import { requestPasswordReset, resetPassword } from "./password-reset.service.ts";

export const passwordResetRoutes: FastifyPluginAsyncZod = async (app) => {
  const rateLimit = { max: app.services.config.rateLimits.loginPerMinute, timeWindow: 60_000 };
  app.post(
    "/auth/forgot-password",
    {
      config: { public: true, rateLimit },
      schema: {
        tags: ["auth"],
        summary: "Email a password reset link; answers 202 whether or not the account exists",
        body: ZForgotPassword,
        response: { 202: z.null(), ...errorResponses(400, 429) },
      },
    },
    async (req, reply) => {
      // Answered before the lookup, so the response time does not tell whether the account exists.
      requestPasswordReset(req.ctx, req.body.email).catch((err) =>
        req.log.error({ err }, "password reset request failed"),
      );
      return reply.status(202).send(null);
    },
  );
  app.post(
    "/auth/reset-password",
    {
      config: { public: true, rateLimit },
      schema: {
        tags: ["auth"],
        summary: "Set a new password with the token of a reset or invitation link; ends every session",
        body: ZResetPassword,
        response: { 204: z.null(), ...errorResponses(400, 429) },
      },
    },
    async (req, reply) => {
      await resetPassword(req.ctx, req.body);
      return reply.status(204).send(null);
    },
  );
};
