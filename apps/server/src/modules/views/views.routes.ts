import { ZBulkResult, ZViewCounts } from "@rapport/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZBulkUpdate } from "./views.schema.ts";
import { bulkUpdate, countViews, markRead } from "./views.service.ts";

export const viewsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/views/counts",
    {
      schema: {
        tags: ["views"],
        summary: "Ticket count per inbox view (mine, unassigned, all_open, pending, solved, team:<id>)",
        description:
          "A count stops at 10000 (REALTIME_COUNT_CAP): 10000 means at least that many. The websocket pushes deltas.",
        response: { 200: ZViewCounts, ...errorResponses(401) },
      },
    },
    async (req) => countViews(req.ctx),
  );
  app.post(
    "/tickets/:id/read",
    {
      schema: {
        tags: ["tickets"],
        summary: "Mark a ticket read for yourself (clears its unread marker)",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await markRead(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/tickets/bulk",
    {
      schema: {
        tags: ["tickets"],
        summary: "Apply one change to up to 200 tickets; each is authorized separately",
        body: ZBulkUpdate,
        response: { 200: ZBulkResult, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => bulkUpdate(req.ctx, req.body.ids, req.body.patch),
  );
};
