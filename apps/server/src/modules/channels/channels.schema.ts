import { z } from "zod";

/** Headers of every signed call, inbound (bridge -> Rapport) and outbound (Rapport -> bridge). */
export const SIGNATURE_HEADER = "x-rapport-signature";
export const TIMESTAMP_HEADER = "x-rapport-timestamp";
export const DELIVERY_HEADER = "x-rapport-delivery";
/** A signed call whose timestamp is further than this from the server's clock is a replay. */
export const REPLAY_WINDOW_S = 300;

const ZUrl = z
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), { message: "an http(s) URL" });

export const ZInboundAttachment = z
  .strictObject({
    url: ZUrl.optional(),
    base64: z.string().max(14_000_000).optional(),
    filename: z.string().trim().min(1).max(255),
    contentType: z.string().trim().min(3).max(200),
  })
  .refine((a) => Boolean(a.url) !== Boolean(a.base64), { message: "give exactly one of url and base64" });

/** What a bridge posts for each message a customer sends on the messenger. */
export const ZInboundMessage = z
  .strictObject({
    externalConversationId: z.string().trim().min(1).max(200),
    sender: z.strictObject({
      id: z.string().trim().min(1).max(200),
      name: z.string().trim().max(200).default(""),
      phone: z.string().trim().max(40).optional(),
      email: z.email().max(320).optional(),
    }),
    text: z.string().max(50_000).default(""),
    attachments: z.array(ZInboundAttachment).max(10).default([]),
    /** When the customer sent it (ISO 8601 or Unix seconds), as the messenger reports. */
    timestamp: z.union([z.iso.datetime({ offset: true }), z.number().int().positive()]),
  })
  .refine((m) => m.text.trim() !== "" || m.attachments.length > 0, {
    message: "text or attachments required",
  });
export type TInboundMessage = z.infer<typeof ZInboundMessage>;

/** What a bridge posts when the messenger reports a reply delivered, read, or failed. */
export const ZInboundStatus = z.strictObject({
  type: z.literal("status"),
  /** The `deliveryId` of Rapport's outbound call. */
  deliveryId: z.uuid(),
  status: z.enum(["delivered", "read", "failed"]),
  error: z.string().max(500).optional(),
  timestamp: z.union([z.iso.datetime({ offset: true }), z.number().int().positive()]),
});
export type TInboundStatus = z.infer<typeof ZInboundStatus>;

export const ZInboundHeaders = z.object({
  [SIGNATURE_HEADER]: z
    .string()
    .describe("sha256=<hex HMAC-SHA256 of `${timestamp}.${rawBody}` with the secret>"),
  [TIMESTAMP_HEADER]: z
    .string()
    .describe("Unix seconds; refused when more than 300 s from the server's clock"),
  [DELIVERY_HEADER]: z.string().optional().describe("A unique id per call; a repeated id is a replay"),
});

export const ZInboundResult = z.union([
  z.object({
    status: z.literal("processed"),
    ticketId: z.uuid(),
    ticketNumber: z.number().int(),
    messageId: z.uuid(),
  }),
  z.object({
    status: z.literal("updated"),
    messageId: z.uuid(),
    delivery: z.enum(["delivered", "read", "failed"]),
  }),
]);

/** What Rapport posts to the channel's outbound URL for each public agent reply. */
export const ZOutboundMessage = z.object({
  type: z.literal("message"),
  deliveryId: z.uuid(),
  channelId: z.uuid(),
  externalConversationId: z.string(),
  recipient: z.object({ id: z.string().nullable(), name: z.string() }),
  message: z.object({
    id: z.uuid(),
    text: z.string(),
    html: z.string(),
    attachments: z.array(
      z.object({ filename: z.string(), contentType: z.string(), size: z.number().int(), base64: z.string() }),
    ),
  }),
  agent: z.object({ name: z.string() }),
  timestamp: z.number().int(),
});

export const ZChannel = z.object({
  id: z.uuid(),
  name: z.string(),
  inboundUrl: z.string(),
  outboundUrl: z.string().nullable(),
  team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  active: z.boolean(),
  secretFingerprint: z.string(),
  createdAt: z.iso.datetime(),
});
export type TChannel = z.infer<typeof ZChannel>;
export const ZChannelList = z.object({ items: z.array(ZChannel) });

export const ZChannelWithSecret = ZChannel.extend({
  /** Shown once, at creation and after a rotation. */
  secret: z.string(),
});

export const ZCreateChannel = z.strictObject({
  name: z.string().trim().min(1).max(100),
  outboundUrl: ZUrl.nullable().optional(),
  teamId: z.uuid().nullable().optional(),
});

export const ZUpdateChannel = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  outboundUrl: ZUrl.nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  active: z.boolean().optional(),
});

export const ZRefusal = z.object({
  id: z.uuid(),
  channelId: z.uuid().nullable(),
  code: z.string(),
  reason: z.string(),
  ip: z.string().nullable(),
  deliveryId: z.string().nullable(),
  excerpt: z.string(),
  createdAt: z.iso.datetime(),
});
export const ZRefusalList = z.object({ items: z.array(ZRefusal) });
