import { ZBulkResult, ZViewCounts } from "@rapport/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZPage, ZTicket } from "../tickets/tickets.schema.ts";
import { ZCreateView, ZCustomView, ZUpdateView, ZViewTicketsQuery } from "./custom-views.schema.ts";
import {
  createCustomView,
  customViewTickets,
  deleteCustomView,
  getCustomView,
  listCustomViews,
  updateCustomView,
} from "./custom-views.service.ts";
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
  app.get(
    "/views",
    {
      schema: {
        tags: ["views"],
        summary: "Your custom views: your own and those shared with your teams",
        response: { 200: z.array(ZCustomView), ...errorResponses(401) },
      },
    },
    async (req) => listCustomViews(req.ctx),
  );
  app.post(
    "/views",
    {
      schema: {
        tags: ["views"],
        summary: "Create a custom view (filters, columns, sort; personal, or shared with teams)",
        description:
          "Filters: status, priority, channel (lists), assignee (`me`, `none` or a user id; `me` is whoever looks), team, tags (all of them), requester, language, sla (`overdue`, `due_soon`: within 60 minutes, `running`, `none`), q, cf (custom fields as in GET /tickets). An agent shares with their own teams; managers and admins with any team. Its count is pushed over the websocket as `view:<id>`.",
        body: ZCreateView,
        response: { 201: ZCustomView, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createCustomView(req.ctx, req.body)),
  );
  app.get(
    "/views/:id",
    {
      schema: {
        tags: ["views"],
        summary: "One custom view",
        params: ZIdParams,
        response: { 200: ZCustomView, ...errorResponses(401, 404) },
      },
    },
    async (req) => getCustomView(req.ctx, req.params.id),
  );
  app.patch(
    "/views/:id",
    {
      schema: {
        tags: ["views"],
        summary: "Change a custom view (its owner; a shared one: also managers and admins)",
        params: ZIdParams,
        body: ZUpdateView,
        response: { 200: ZCustomView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateCustomView(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/views/:id",
    {
      schema: {
        tags: ["views"],
        summary: "Delete a custom view",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteCustomView(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    "/views/:id/tickets",
    {
      schema: {
        tags: ["views"],
        summary: "The tickets of a custom view, in its sort, as you may see them",
        params: ZIdParams,
        querystring: ZViewTicketsQuery,
        response: { 200: ZPage(ZTicket), ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => customViewTickets(req.ctx, req.params.id, req.query),
  );
};
