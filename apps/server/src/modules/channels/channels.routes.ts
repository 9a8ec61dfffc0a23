import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZChannel,
  ZChannelList,
  ZChannelWithSecret,
  ZCreateChannel,
  ZInboundHeaders,
  ZInboundMessage,
  ZInboundResult,
  ZOutboundMessage,
  ZRefusalList,
  ZUpdateChannel,
} from "./channels.schema.ts";
import {
  createChannel,
  listChannels,
  listRefusals,
  rotateSecret,
  updateChannel,
} from "./channels.service.ts";
import { receiveInbound } from "./inbound.ts";

const tags = ["channels"];
/** Base64 attachments make bodies large; the route has its own limit. */
const INBOUND_BODY_LIMIT = 20 * 1024 * 1024;

/** The bridge's endpoint: the raw body is kept as bytes (the signature covers them exactly). */
const inboundRoute: FastifyPluginAsyncZod = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: INBOUND_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );
  app.post(
    "/channels/inbound/:key",
    {
      bodyLimit: INBOUND_BODY_LIMIT,
      config: {
        public: true,
        rateLimit: { max: 1200, timeWindow: 60_000, keyGenerator: (req) => `channel-inbound:${req.ip}` },
      },
      // The body is verified byte for byte before it is parsed; the schemas below document the contract.
      validatorCompiler: () => (data) => ({ value: data }),
      schema: {
        tags,
        summary: "Webhook channel, inbound: a bridge posts one customer message (signed with HMAC-SHA256)",
        description: [
          "Sign `${timestamp}.${rawBody}` with the channel secret (HMAC-SHA256, hex) and send it as",
          "`X-Rapport-Signature: sha256=<hex>` with `X-Rapport-Timestamp: <unix seconds>` and an optional unique",
          "`X-Rapport-Delivery`. Refused, logged for admins, and nothing else written: unknown channel (404),",
          "unsigned or bad signature (401 `unsigned`/`bad_signature`), timestamp more than 300 s away (401 `replayed`),",
          "repeated delivery id or signature (409 `replayed`), malformed payload (400 `malformed`).",
          "Replies go to the channel's outbound URL as this body, signed the same way:",
          JSON.stringify(z.toJSONSchema(ZOutboundMessage)),
        ].join(" "),
        security: [],
        params: z.strictObject({ key: z.string().min(10).max(100) }),
        headers: ZInboundHeaders,
        body: ZInboundMessage,
        response: { 200: ZInboundResult, ...errorResponses(400, 401, 404, 409, 413, 429) },
      },
    },
    async (req) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return receiveInbound(req.ctx, req.params.key, raw, req.headers, req.ip);
    },
  );
};

export const channelsRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(inboundRoute);
  app.get(
    "/channels",
    {
      schema: {
        tags,
        summary: "Webhook channels (admins)",
        response: { 200: ZChannelList, ...errorResponses(401, 403) },
      },
    },
    async (req) => listChannels(req.ctx),
  );
  app.post(
    "/channels",
    {
      schema: {
        tags,
        summary: "Create a webhook channel: returns its inbound URL and its secret (shown once)",
        body: ZCreateChannel,
        response: { 201: ZChannelWithSecret, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await createChannel(req.ctx, req.body)),
  );
  app.patch(
    "/channels/:id",
    {
      schema: {
        tags,
        summary: "Rename a channel, set its outbound URL or team, or deactivate it",
        params: ZIdParams,
        body: ZUpdateChannel,
        response: { 200: ZChannel, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateChannel(req.ctx, req.params.id, req.body),
  );
  app.post(
    "/channels/:id/rotate-secret",
    {
      schema: {
        tags,
        summary:
          "Replace the channel's secret (the old one stops working at once); the new one is shown once",
        params: ZIdParams,
        response: { 200: ZChannelWithSecret, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => rotateSecret(req.ctx, req.params.id),
  );
  app.get(
    "/channels/refusals",
    {
      schema: {
        tags,
        summary:
          "Refused inbound calls (unsigned, bad signature, replayed, malformed), newest first (admins)",
        querystring: z.strictObject({
          channelId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: ZRefusalList, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => listRefusals(req.ctx, req.query),
  );
};
