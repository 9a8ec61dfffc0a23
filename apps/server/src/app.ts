import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { sha256 } from "./auth/crypto.ts";
import type { Services } from "./context.ts";
import { registerAuth } from "./http/auth.ts";
import { registerErrorHandler } from "./http/errors.ts";
import { registerJsonParser } from "./http/json.ts";
import { registerWeb } from "./http/web.ts";
import { authRoutes } from "./modules/auth/auth.routes.ts";
import { passwordResetRoutes } from "./modules/auth/password-reset.routes.ts";
import { bootstrapRoutes } from "./modules/bootstrap/bootstrap.routes.ts";
import { contactsMergeRoutes } from "./modules/contacts/contacts.merge.ts";
import { contactsRoutes } from "./modules/contacts/contacts.routes.ts";
import { dossierRoutes } from "./modules/dossier/dossier.routes.ts";
import { emailRoutes } from "./modules/email/email.routes.ts";
import { healthRoutes } from "./modules/health/health.routes.ts";
import { plannerRoutes } from "./modules/planner/planner.routes.ts";
import { modules } from "./modules/registry.ts";
import { searchRoutes } from "./modules/search/search.routes.ts";
import { settingsRoutes } from "./modules/settings/settings.routes.ts";
import { teamsRoutes } from "./modules/teams/teams.routes.ts";
import { ticketsRoutes } from "./modules/tickets/tickets.routes.ts";
import { usersRoutes } from "./modules/users/users.routes.ts";
import { viewsRoutes } from "./modules/views/views.routes.ts";
import { realtimeRoutes } from "./realtime/ws.routes.ts";

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
  }
}

export const API_PREFIX = "/api/v1";

export type BuildOptions = { logger?: boolean };

/** Builds the Fastify app from the modules. Listening is the caller's business (main.ts, tests). */
export async function buildApp(services: Services, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: services.config.logLevel },
    bodyLimit: services.config.bodyLimitBytes,
    trustProxy: services.config.trustProxy,
    routerOptions: { maxParamLength: 200 },
    // avvio's default (10 s) failed the start of @fastify/swagger-ui on a 2-core machine at
    // load average 30; a plugin that truly hangs still fails, after a minute.
    pluginTimeout: 60_000,
  }).withTypeProvider<ZodTypeProvider>();
  app.decorate("services", services);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerJsonParser(app);
  registerErrorHandler(app);

  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    // Token-less writes (setup, password reset, and later forms and webhooks) get the low
    // public limit; cheap public reads the app makes on every page load do not.
    max: (req) =>
      req.routeOptions.config?.public === true && req.method !== "GET"
        ? services.config.rateLimits.publicPerMinute
        : services.config.rateLimits.apiPerMinute,
    timeWindow: 60_000,
    // Public routes (login, setup, password reset) are limited per client address: a
    // credential there is not checked, so keying on it would let anyone rotate fake
    // tokens past the limit. Authenticated routes are limited per credential (hashed so
    // the key never holds a secret), which keeps colleagues behind one NAT apart.
    keyGenerator: (req) => {
      // Public writes count in their own bucket: page assets and cheap reads loaded
      // before a form is sent must not use up the low write limit.
      if (req.routeOptions.config?.public === true)
        return req.method === "GET" ? `ip:${req.ip}` : `public-write:${req.ip}`;
      const credential = req.headers.authorization ?? req.cookies?.rapport_session;
      return credential ? `cred:${sha256(credential)}` : `ip:${req.ip}`;
    },
  });
  await app.register(multipart, {
    limits: { fileSize: services.config.attachmentMaxBytes, files: 1, fields: 10, fieldSize: 10_000 },
    throwFileSizeLimit: true,
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Rapport API",
        version: "1.0.0",
        description:
          "The help desk and CRM API. Authenticate with `Authorization: Bearer <api token>`, or with the session cookie plus `X-CSRF-Token` for writes.",
      },
      servers: [{ url: "/" }],
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          session: { type: "apiKey", in: "cookie", name: "rapport_session" },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: `${API_PREFIX}/docs`, uiConfig: { docExpansion: "list" } });

  await app.register(
    async (api) => {
      registerAuth(api, services);
      await api.register(healthRoutes);
      await api.register(settingsRoutes);
      await api.register(authRoutes);
      await api.register(bootstrapRoutes);
      await api.register(passwordResetRoutes);
      await api.register(usersRoutes);
      await api.register(teamsRoutes);
      await api.register(contactsRoutes);
      await api.register(ticketsRoutes);
      await api.register(searchRoutes);
      await api.register(emailRoutes);
      await api.register(viewsRoutes);
      await api.register(plannerRoutes);
      await api.register(dossierRoutes);
      await api.register(contactsMergeRoutes);
      await api.register(realtimeRoutes);
      for (const m of modules) if (m.routes) await api.register(m.routes);
      api.get("/openapi.json", { config: { public: true }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
    },
    { prefix: API_PREFIX },
  );

  for (const m of modules) if (m.rootRoutes) await app.register(m.rootRoutes);
  await registerWeb(app, services.config.webDistDir);
  return app;
}
