import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { addLink, listLinks, removeLink } from "./links.service.ts";
import { mergeTickets } from "./merge.service.ts";
import { splitMessage } from "./split.service.ts";
import {
  ZAddLink,
  ZMergeResult,
  ZMergeTickets,
  ZRemoveLink,
  ZSplitMessage,
  ZSplitParams,
  ZSplitResult,
  ZTicketLinks,
} from "./ticketops.schema.ts";

export const ticketopsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/tickets/:id/merge",
    {
      schema: {
        tags: ["tickets"],
        summary: "Merge tickets into this one: their conversations move here, they are closed with a link",
        description:
          "Each source's messages, timeline, followers, promises, call-backs and files move to this ticket; the customer is told in both threads in their language. Tickets of another customer answer 409 `conflict` (details.reason `cross_customer`) unless `confirmCrossCustomer` is true.",
        params: ZIdParams,
        body: ZMergeTickets,
        response: { 200: ZMergeResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => mergeTickets(req.ctx, req.params.id, req.body),
  );
  app.get(
    "/tickets/:id/links",
    {
      schema: {
        tags: ["tickets"],
        summary: "Related tickets, and what this ticket was merged into or from",
        params: ZIdParams,
        response: { 200: ZTicketLinks, ...errorResponses(401, 404) },
      },
    },
    async (req) => listLinks(req.ctx, req.params.id),
  );
  app.post(
    "/tickets/:id/links",
    {
      schema: {
        tags: ["tickets"],
        summary: "Link a related ticket (shown on both tickets)",
        params: ZIdParams,
        body: ZAddLink,
        response: { 200: ZTicketLinks, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => addLink(req.ctx, req.params.id, req.body.ticketId),
  );
  app.delete(
    "/tickets/:id/links",
    {
      schema: {
        tags: ["tickets"],
        summary: "Remove a related link (`?ticketId=` the other ticket)",
        params: ZIdParams,
        querystring: ZRemoveLink,
        response: { 200: ZTicketLinks, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => removeLink(req.ctx, req.params.id, req.query.ticketId),
  );
  app.post(
    "/tickets/:id/messages/:messageId/split",
    {
      schema: {
        tags: ["tickets"],
        summary: "Split one message off into a new ticket for the same requester",
        params: ZSplitParams,
        body: ZSplitMessage,
        response: { 201: ZSplitResult, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await splitMessage(req.ctx, req.params.id, req.params.messageId, req.body)),
  );
};
