import { eq } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireAgent } from "../../auth/policies.ts";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { updateMe } from "../users/users.service.ts";
import { chatHub } from "./chat.hub.ts";
import {
  ZAvailabilityState,
  ZChatAgent,
  ZChatInfo,
  ZChatSettings,
  ZMyChat,
  ZSetAvailability,
  ZSite,
  ZSiteInput,
  ZTransferChat,
  ZTransferResult,
} from "./chat.schema.ts";
import {
  chatNameOf,
  conversationOfTicket,
  createSite,
  getSettings,
  listChatAgents,
  listSites,
  myLiveChats,
  rebalance,
  rotateSecret,
  setSettings,
  transferChat,
  updateSite,
} from "./chat.service.ts";
import { chatVisitors } from "./chat.table.ts";

const tags = ["chat"];

/** The agents' side of the chat: sites (admin), settings, availability, typing, transfer. */
export const chatRoutes: FastifyPluginAsyncZod = async (app) => {
  const hub = chatHub(app.services, (msg, err) => app.log.error({ err }, msg));

  app.get(
    "/chat/sites",
    {
      schema: {
        tags,
        summary: "Chat widget sites (admins)",
        response: { 200: z.array(ZSite), ...errorResponses(401, 403) },
      },
    },
    async (req) => listSites(req.ctx),
  );
  app.post(
    "/chat/sites",
    {
      schema: {
        tags,
        summary: "Create a chat widget site; returns its key, secret and script snippet",
        body: ZSiteInput,
        response: { 201: ZSite, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.code(201).send(await createSite(req.ctx, req.body)),
  );
  app.patch(
    "/chat/sites/:id",
    {
      schema: {
        tags,
        summary: "Change a site's origins, appearance, languages, pre-chat form or hours",
        params: ZIdParams,
        body: ZSiteInput.partial(),
        response: { 200: ZSite, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateSite(req.ctx, req.params.id, req.body),
  );
  app.post(
    "/chat/sites/:id/rotate-secret",
    {
      schema: {
        tags,
        summary: "Replace the identity-signing secret (signatures made with the old one stop working)",
        params: ZIdParams,
        response: { 200: ZSite, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => rotateSecret(req.ctx, req.params.id),
  );

  app.get(
    "/chat/settings",
    {
      schema: { tags, summary: "Chat settings", response: { 200: ZChatSettings, ...errorResponses(401) } },
    },
    async (req) => {
      requireAgent(req.ctx.actor);
      return getSettings(req.ctx.db);
    },
  );
  app.put(
    "/chat/settings",
    {
      schema: {
        tags,
        summary: "Change the per-agent limit of concurrent chats (admins)",
        body: ZChatSettings,
        response: { 200: ZChatSettings, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const s = await setSettings(req.ctx, req.body);
      await rebalance(req.ctx);
      return s;
    },
  );

  app.get(
    "/chat/agents",
    {
      schema: {
        tags,
        summary: "Agents with their availability and number of live chats (transfer, availability)",
        response: {
          200: z.array(ZChatAgent),
          ...errorResponses(401),
        },
      },
    },
    async (req) => listChatAgents(req.ctx),
  );

  app.put(
    "/chat/availability",
    {
      schema: {
        tags,
        summary: "Set your availability; going away or offline hands your live chats to others",
        body: ZSetAvailability,
        response: { 200: ZAvailabilityState, ...errorResponses(400, 401) },
      },
    },
    async (req) => {
      const me = requireAgent(req.ctx.actor);
      const user = await updateMe(req.ctx, { availability: req.body.availability });
      await rebalance(req.ctx);
      app.log.debug({ userId: me.userId }, "availability changed");
      return { availability: user.availability };
    },
  );

  app.get(
    "/chat/tickets/:id",
    {
      schema: {
        tags,
        summary: "The chat behind a ticket: visitor, state, whether the visitor is connected",
        params: ZIdParams,
        response: {
          200: ZChatInfo,
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const c = await conversationOfTicket(req.ctx, req.params.id);
      const [v] = await req.ctx.db.select().from(chatVisitors).where(eq(chatVisitors.id, c.visitorId));
      return {
        ticketId: c.ticketId,
        state: c.state,
        topic: c.topic,
        visitor: {
          name: v?.name ?? null,
          email: v?.email ?? null,
          phone: v?.phone ?? null,
          identified: !!v?.externalId,
          locale: v?.locale ?? "en",
        },
        visitorReadAt: c.visitorReadAt?.toISOString() ?? null,
      };
    },
  );

  app.post(
    "/chat/tickets/:id/typing",
    {
      schema: {
        tags,
        summary: "Show the visitor that you are typing (or stopped)",
        params: ZIdParams,
        body: z.strictObject({ typing: z.boolean() }),
        response: { 204: z.null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const me = requireAgent(req.ctx.actor);
      const c = await conversationOfTicket(req.ctx, req.params.id);
      await hub.agentTyping(
        c.ticketId,
        c.visitorId,
        await chatNameOf(req.ctx.db, me.userId),
        req.body.typing,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/chat/tickets/:id/transfer",
    {
      schema: {
        tags,
        summary: "Transfer a chat to another agent with a note (recorded on the timeline)",
        params: ZIdParams,
        body: ZTransferChat,
        response: {
          200: ZTransferResult,
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (req) => transferChat(req.ctx, req.params.id, req.body),
  );

  app.get(
    "/chat/mine",
    {
      schema: {
        tags,
        summary: "Your live chats",
        response: { 200: z.array(ZMyChat), ...errorResponses(401) },
      },
    },
    async (req) => myLiveChats(req.ctx),
  );
};
