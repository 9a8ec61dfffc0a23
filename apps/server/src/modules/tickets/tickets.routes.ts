import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { AppError } from "../../lib/errors.ts";
import { gatherCustomFieldParams } from "../fields/fields.schema.ts";
import { openAttachment, sendStoredFile, storeAttachment } from "./attachments.service.ts";
import { addMessage, listEvents, listMessages } from "./messages.service.ts";
import {
  ZAttachment,
  ZCreateMessage,
  ZCreateTicket,
  ZMessage,
  ZPage,
  ZTicket,
  ZTicketEvent,
  ZTicketQuery,
  ZUpdateTicket,
} from "./tickets.schema.ts";
import { createTicket, getTicket, listTickets, updateTicket } from "./tickets.service.ts";

export const ticketsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/tickets",
    {
      schema: {
        tags: ["tickets"],
        summary: "Tickets the caller may see, filtered and sorted, with cursor pagination",
        description:
          "Filters: status, priority and channel take comma-separated lists; assignee is `me`, `none` or a user id; team is `none` or a team id; q searches subjects and tags; `cf.<key>=value` filters on a custom field (`cf.<key>.gte`, `.lte`, `.gt`, `.lt`, `.ne`, `.in`, `.contains`, `.empty`).",
        querystring: ZTicketQuery,
        response: { 200: ZPage(ZTicket), ...errorResponses(400, 401) },
      },
      preValidation: async (req) => {
        req.query = gatherCustomFieldParams(req.query) as typeof req.query;
      },
    },
    async (req) => listTickets(req.ctx, req.query),
  );
  app.post(
    "/tickets",
    {
      schema: {
        tags: ["tickets"],
        summary: "Create a ticket; the requester is given by id or found/created by email or phone",
        body: ZCreateTicket,
        response: { 201: ZTicket, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createTicket(req.ctx, req.body)),
  );
  app.get(
    "/tickets/:id",
    {
      schema: {
        tags: ["tickets"],
        summary: "One ticket, with what the caller may do with it",
        params: ZIdParams,
        response: { 200: ZTicket, ...errorResponses(401, 404) },
      },
    },
    async (req) => getTicket(req.ctx, req.params.id),
  );
  app.patch(
    "/tickets/:id",
    {
      schema: {
        tags: ["tickets"],
        summary: "Change status, priority, assignee, team, tags, subject or language",
        params: ZIdParams,
        body: ZUpdateTicket,
        response: { 200: ZTicket, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateTicket(req.ctx, req.params.id, req.body),
  );
  app.get(
    "/tickets/:id/messages",
    {
      schema: {
        tags: ["tickets"],
        summary:
          "Messages, newest page first, each page in chronological order; nextCursor pages to older ones",
        params: ZIdParams,
        querystring: z.strictObject({
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: ZPage(ZMessage), ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => listMessages(req.ctx, req.params.id, req.query),
  );
  app.post(
    "/tickets/:id/messages",
    {
      schema: {
        tags: ["tickets"],
        summary: "Reply to the customer, or add an internal note (internal: true)",
        params: ZIdParams,
        body: ZCreateMessage,
        response: { 201: ZMessage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await addMessage(req.ctx, req.params.id, req.body)),
  );
  app.get(
    "/tickets/:id/events",
    {
      schema: {
        tags: ["tickets"],
        summary: "The ticket's timeline of changes",
        params: ZIdParams,
        response: { 200: z.array(ZTicketEvent), ...errorResponses(401, 404) },
      },
    },
    async (req) => listEvents(req.ctx, req.params.id),
  );
  app.post(
    "/tickets/:id/attachments",
    {
      schema: {
        tags: ["tickets"],
        summary: "Upload one file (multipart/form-data, field `file`); send its id with a message",
        consumes: ["multipart/form-data"],
        params: ZIdParams,
        response: { 201: ZAttachment, ...errorResponses(400, 401, 404, 413, 415) },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError("unsupported_media_type", 415, "Send multipart/form-data with a `file` field");
      const file = await req.file();
      if (!file) throw new AppError("bad_request", 400, "No file in the request");
      const stored = await storeAttachment(req.ctx, req.params.id, {
        filename: file.filename,
        mimetype: file.mimetype,
        stream: file.file,
      });
      return reply.status(201).send(stored);
    },
  );
  app.get(
    "/attachments/:id",
    {
      schema: {
        tags: ["tickets"],
        summary: "Download an attachment",
        params: ZIdParams,
        response: { 200: z.any().describe("The file's bytes"), ...errorResponses(401, 404) },
      },
    },
    async (req, reply) => {
      const { row, stream } = await openAttachment(req.ctx, req.params.id);
      return sendStoredFile(reply, row, stream);
    },
  );
};
