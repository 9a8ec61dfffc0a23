import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireAgent } from "../../auth/policies.ts";
import { clearSessionCookie, setSessionCookie } from "../../http/auth.ts";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { readSettings } from "../settings/settings.service.ts";
import { ZUpdateMe } from "../users/users.schema.ts";
import { getUser, updateMe } from "../users/users.service.ts";
import { ZApiToken, ZCreateApiToken, ZCreatedApiToken, ZLogin, ZMe, ZSessionInfo } from "./auth.schema.ts";
import { createApiToken, listApiTokens, login, logout, revokeApiToken } from "./auth.service.ts";

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/auth/login",
    {
      config: {
        public: true,
        rateLimit: { max: app.services.config.rateLimits.loginPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ["auth"],
        summary: "Sign in with email and password; sets an httpOnly session cookie",
        body: ZLogin,
        response: { 200: ZSessionInfo, ...errorResponses(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const session = await login(req.ctx, req.body, { ip: req.ip, userAgent: req.headers["user-agent"] });
      setSessionCookie(reply, req.ctx, session.sessionToken, session.expiresAt);
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  app.post(
    "/auth/logout",
    {
      schema: {
        tags: ["auth"],
        summary: "End the current session",
        response: { 204: z.null(), ...errorResponses(401, 403) },
      },
    },
    async (req, reply) => {
      if (req.sessionToken) await logout(req.ctx, req.sessionToken);
      clearSessionCookie(reply, req.ctx);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/me",
    {
      schema: {
        tags: ["auth"],
        summary: "The signed-in agent, their CSRF token and the organization",
        response: { 200: ZMe, ...errorResponses(401) },
      },
    },
    async (req) => {
      const me = requireAgent(req.ctx.actor);
      const [user, organization] = await Promise.all([getUser(req.ctx, me.userId), readSettings(req.ctx.db)]);
      return { user, csrfToken: req.csrfToken, organization };
    },
  );

  app.patch(
    "/me",
    {
      schema: {
        tags: ["auth"],
        summary: "Change your own name, languages, UI language, time zone or availability",
        body: ZUpdateMe,
        response: { 200: ZMe.shape.user, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => updateMe(req.ctx, req.body),
  );

  app.get(
    "/api-tokens",
    {
      schema: {
        tags: ["auth"],
        summary: "Your API tokens (never their secrets)",
        response: { 200: z.array(ZApiToken), ...errorResponses(401) },
      },
    },
    async (req) => listApiTokens(req.ctx),
  );

  app.post(
    "/api-tokens",
    {
      schema: {
        tags: ["auth"],
        summary: "Create an API token; the secret is returned once and stored only as a hash",
        body: ZCreateApiToken,
        response: { 201: ZCreatedApiToken, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createApiToken(req.ctx, req.body)),
  );

  app.delete(
    "/api-tokens/:id",
    {
      schema: {
        tags: ["auth"],
        summary: "Revoke an API token",
        params: ZIdParams,
        response: { 200: ZApiToken, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => revokeApiToken(req.ctx, req.params.id),
  );
};
