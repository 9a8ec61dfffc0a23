import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ZBootstrap } from "./bootstrap.schema.ts";
import { bootstrap } from "./bootstrap.service.ts";

export const bootstrapRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/bootstrap",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary:
          "The agent app's start-up data in one call: me, organization, teams, view counts, module parts",
        description:
          "Without an agent session only `needsSetup` is filled (`me` is null). `parts` holds each module's start-up data, the same JSON as its own endpoint (ticketFields = GET /fields?entity=ticket, notifications = GET /notifications/unread-count, overdueCallbacks, callbackReminders, chatAgents, plannerToday).",
        response: { 200: ZBootstrap },
      },
    },
    async (req) => bootstrap(req.ctx, req.ctx.actor.kind === "agent" ? req.csrfToken : null),
  );
};
