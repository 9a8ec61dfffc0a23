import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZSideConversation,
  ZSideParams,
  ZSideReply,
  ZSideUpdate,
  ZStartSideConversation,
} from "./sideconv.schema.ts";
import {
  listSideConversations,
  replySideConversation,
  setSideStatus,
  startSideConversation,
} from "./sideconv.service.ts";

export const sideconvRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/tickets/:id/side-conversations",
    {
      schema: {
        tags: ["tickets"],
        summary: "The ticket's side conversations (emails with third parties), with their messages",
        params: ZIdParams,
        response: { 200: z.array(ZSideConversation), ...errorResponses(401, 404) },
      },
    },
    async (req) => listSideConversations(req.ctx, req.params.id),
  );
  app.post(
    "/tickets/:id/side-conversations",
    {
      schema: {
        tags: ["tickets"],
        summary: "Email a third party (a supplier, a courier) from the ticket, in a thread of its own",
        description:
          "Sent through the outbound email path with its own Message-ID and a reply-to token; replies thread back into this side conversation (by token, In-Reply-To or References), never into the customer's thread. The customer never sees it.",
        params: ZIdParams,
        body: ZStartSideConversation,
        response: { 201: ZSideConversation, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await startSideConversation(req.ctx, req.params.id, req.body)),
  );
  app.post(
    "/tickets/:id/side-conversations/:sideId/messages",
    {
      schema: {
        tags: ["tickets"],
        summary: "Write again in a side conversation",
        params: ZSideParams,
        body: ZSideReply,
        response: { 201: ZSideConversation, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await replySideConversation(req.ctx, req.params.id, req.params.sideId, req.body.body)),
  );
  app.patch(
    "/tickets/:id/side-conversations/:sideId",
    {
      schema: {
        tags: ["tickets"],
        summary: "Close or reopen a side conversation",
        params: ZSideParams,
        body: ZSideUpdate,
        response: { 200: ZSideConversation, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => setSideStatus(req.ctx, req.params.id, req.params.sideId, req.body.status),
  );
};
