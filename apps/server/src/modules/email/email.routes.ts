import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZCreateMailbox,
  ZEmailMessage,
  ZInbound,
  ZInboundQuery,
  ZMailbox,
  ZOutbound,
  ZOutboundQuery,
  ZTicketMessageParams,
  ZUpdateMailbox,
} from "./email.schema.ts";
import { getInbound, listInbound, retryInbound, toInbound } from "./inbound.service.ts";
import {
  createMailbox,
  deleteMailbox,
  getMailbox,
  listMailboxes,
  updateMailbox,
} from "./mailboxes.service.ts";
import { allowImages, listOutbound, retryOutbound, ticketEmail } from "./outbound.service.ts";

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const emailRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ["email"];
  app.get(
    "/email/mailboxes",
    {
      schema: {
        tags,
        summary: "Mailboxes (admins)",
        response: { 200: z.array(ZMailbox), ...errorResponses(401, 403) },
      },
    },
    async (req) => listMailboxes(req.ctx),
  );
  app.post(
    "/email/mailboxes",
    {
      schema: {
        tags,
        summary: "Add a mailbox (admins); passwords are write-only",
        body: ZCreateMailbox,
        response: { 201: ZMailbox, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createMailbox(req.ctx, req.body)),
  );
  app.get(
    "/email/mailboxes/:id",
    {
      schema: {
        tags,
        summary: "One mailbox (admins)",
        params: ZIdParams,
        response: { 200: ZMailbox, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => getMailbox(req.ctx, req.params.id),
  );
  app.patch(
    "/email/mailboxes/:id",
    {
      schema: {
        tags,
        summary: "Change a mailbox (admins); send a password to replace it, null to clear it",
        params: ZIdParams,
        body: ZUpdateMailbox,
        response: { 200: ZMailbox, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateMailbox(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/email/mailboxes/:id",
    {
      schema: {
        tags,
        summary: "Delete a mailbox (admins)",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteMailbox(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    "/email/inbound",
    {
      schema: {
        tags,
        summary: "Received emails, newest first; status=failed lists the failed mail with its error (admins)",
        querystring: ZInboundQuery,
        response: { 200: page(ZInbound), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => listInbound(req.ctx, req.query),
  );
  app.get(
    "/email/inbound/:id",
    {
      schema: {
        tags,
        summary: "One received email (admins)",
        params: ZIdParams,
        response: { 200: ZInbound, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => toInbound(await getInbound(req.ctx, req.params.id)),
  );
  app.get(
    "/email/inbound/:id/raw",
    {
      schema: {
        tags,
        summary: "The raw MIME source, as received (admins)",
        params: ZIdParams,
        response: { 200: z.any().describe("The raw message"), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const row = await getInbound(req.ctx, req.params.id);
      return reply
        .type("message/rfc822")
        .header("content-disposition", `attachment; filename="${row.id}.eml"`)
        .header("x-content-type-options", "nosniff")
        .send(row.raw);
    },
  );
  app.post(
    "/email/inbound/:id/retry",
    {
      schema: {
        tags,
        summary: "Process a failed email again (admins)",
        params: ZIdParams,
        response: { 200: ZInbound, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => retryInbound(req.ctx, req.params.id),
  );
  app.get(
    "/email/outbound",
    {
      schema: {
        tags,
        summary: "The outbound queue, newest first, with each email's status and last error (admins)",
        querystring: ZOutboundQuery,
        response: { 200: page(ZOutbound), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => listOutbound(req.ctx, req.query),
  );
  app.post(
    "/email/outbound/:id/retry",
    {
      schema: {
        tags,
        summary: "Send a failed email again (admins)",
        params: ZIdParams,
        response: { 200: ZOutbound, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => retryOutbound(req.ctx, req.params.id),
  );
  app.get(
    "/tickets/:id/email",
    {
      schema: {
        tags,
        summary:
          "Email details of a ticket's messages: full original, quoted history, images, delivery status",
        params: ZIdParams,
        response: { 200: z.array(ZEmailMessage), ...errorResponses(401, 404) },
      },
    },
    async (req) => ticketEmail(req.ctx, req.params.id),
  );
  app.post(
    "/tickets/:id/email/:messageId/allow-images",
    {
      schema: {
        tags,
        summary: "Show the remote images of one received email",
        params: ZTicketMessageParams,
        response: { 200: ZEmailMessage, ...errorResponses(401, 404) },
      },
    },
    async (req) => allowImages(req.ctx, req.params.id, req.params.messageId),
  );
};
