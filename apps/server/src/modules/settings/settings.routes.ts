import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { setSessionCookie } from "../../http/auth.ts";
import { errorResponses } from "../../http/schemas.ts";
import { login } from "../auth/auth.service.ts";
import { emailSending, gettingStarted, setGettingStartedDismissed } from "./getting-started.ts";
import {
  ZEmailSending,
  ZGettingStarted,
  ZGettingStartedUpdate,
  ZPublicAddress,
  ZSettings,
  ZSetup,
  ZSetupResult,
  ZSetupState,
  ZUpdateSettings,
} from "./settings.schema.ts";
import { getSettings, needsSetup, publicAddress, runSetup, updateSettings } from "./settings.service.ts";

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/setup",
    {
      config: { public: true },
      schema: {
        tags: ["setup"],
        summary: "Whether Rapport still needs its first admin",
        response: { 200: ZSetupState },
      },
    },
    async (req) => ({ needsSetup: await needsSetup(req.ctx) }),
  );

  app.post(
    "/setup",
    {
      config: {
        public: true,
        rateLimit: { max: app.services.config.rateLimits.loginPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ["setup"],
        summary: "Create the organization and the first admin (only while no user exists), and sign in",
        body: ZSetup,
        response: { 201: ZSetupResult, ...errorResponses(400, 409, 429) },
      },
    },
    async (req, reply) => {
      const result = await runSetup(req.ctx, req.body);
      const session = await login(
        req.ctx,
        { email: req.body.admin.email, password: req.body.admin.password },
        { ip: req.ip },
      );
      setSessionCookie(reply, req.ctx, session.sessionToken, session.expiresAt);
      return reply.status(201).send(result);
    },
  );

  app.get(
    "/settings",
    {
      schema: {
        tags: ["settings"],
        summary: "Organization settings",
        response: { 200: ZSettings, ...errorResponses(401, 404) },
      },
    },
    async (req) => getSettings(req.ctx),
  );

  app.get(
    "/settings/public-address",
    {
      schema: {
        tags: ["settings"],
        summary:
          "The public address (PUBLIC_URL) every snippet and link uses, and whether it only works on this machine",
        response: { 200: ZPublicAddress, ...errorResponses(401, 403) },
      },
    },
    async (req) => publicAddress(req.ctx),
  );

  app.patch(
    "/settings",
    {
      schema: {
        tags: ["settings"],
        summary: "Change organization settings (admins)",
        body: ZUpdateSettings,
        response: { 200: ZSettings, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateSettings(req.ctx, req.body),
  );

  app.get(
    "/getting-started",
    {
      schema: {
        tags: ["settings"],
        summary: "The new organization's checklist, each step ticked from the data it is about (admins)",
        response: { 200: ZGettingStarted, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => gettingStarted(req.ctx),
  );

  app.patch(
    "/getting-started",
    {
      schema: {
        tags: ["settings"],
        summary: "Put the checklist away or bring it back (admins)",
        body: ZGettingStartedUpdate,
        response: { 200: ZGettingStarted, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => setGettingStartedDismissed(req.ctx, req.body.dismissed),
  );

  app.get(
    "/email/sending",
    {
      schema: {
        tags: ["email"],
        summary: "Whether an active mailbox can send email (agents; the reply box warns when none can)",
        response: { 200: ZEmailSending, ...errorResponses(401) },
      },
    },
    async (req) => emailSending(req.ctx),
  );
};
