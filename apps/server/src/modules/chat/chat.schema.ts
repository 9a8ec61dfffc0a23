import { AVAILABILITIES } from "@rapport/shared";
import { z } from "zod";
import { ZSid } from "../portal/deflection.service.ts";

export const CHAT_LOCALES = ["en", "vi", "km", "ta"] as const;
export type ChatLocale = (typeof CHAT_LOCALES)[number];
/** Longest visitor message, in characters. */
export const CHAT_MAX_TEXT = 4000;
/** Longest websocket frame a visitor may send (bytes); larger closes the socket with 1009. */
export const CHAT_MAX_FRAME = 16 * 1024;
/** Widget uploads: smaller than the agent limit, and only these types. */
export const CHAT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
export const CHAT_ATTACHMENT_TYPES = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "text/plain",
];

const noNul = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes("\u0000"), "NUL characters are not allowed");
const ZColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a color as #rrggbb");
const ZOrigin = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "https:" || u.protocol === "http:") && u.origin === s;
    } catch {
      return false;
    }
  }, "an origin such as https://www.example.com (scheme, host and port only)");

export const ZAppearance = z.strictObject({
  color: ZColor,
  position: z.enum(["right", "left"]),
  greeting: z.partialRecord(z.enum(CHAT_LOCALES), noNul(300)),
  /** Greet an identified (signed) visitor by their own loyalty tier (customer value). */
  showTier: z.boolean().optional(),
});
const PRECHAT_FIELDS = ["name", "email", "phone", "topic"] as const;
export const ZPrechat = z.strictObject({
  enabled: z.boolean(),
  fields: z.array(z.enum(PRECHAT_FIELDS)).max(4),
  required: z.array(z.enum(PRECHAT_FIELDS)).max(4),
  topics: z.array(noNul(80).pipe(z.string().trim().min(1))).max(20),
});
const ZHHMM = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/);
export const ZHours = z.strictObject({
  timeZone: z
    .string()
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "an IANA time zone such as Asia/Ho_Chi_Minh"),
  week: z.partialRecord(
    z.enum(["0", "1", "2", "3", "4", "5", "6"]),
    z.array(z.strictObject({ start: ZHHMM, end: ZHHMM })).max(4),
  ),
  holidays: z
    .array(z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), yearly: z.boolean().optional() }))
    .max(100)
    .optional(),
});

export const ZSiteInput = z.strictObject({
  name: noNul(120).pipe(z.string().trim().min(1)),
  allowedOrigins: z.array(ZOrigin).max(50),
  appearance: ZAppearance,
  languages: z.array(z.enum(CHAT_LOCALES)).min(1).max(4),
  prechat: ZPrechat,
  hours: ZHours.nullable(),
  teamId: z.uuid().nullable(),
  active: z.boolean(),
});
export type TSiteInput = z.infer<typeof ZSiteInput>;

export const ZSite = ZSiteInput.extend({
  id: z.uuid(),
  key: z.string(),
  /** Shown to admins only: the identity-signing secret. */
  secret: z.string(),
  snippet: z.string(),
  createdAt: z.string(),
});
export type TSite = z.infer<typeof ZSite>;

export const ZChatSettings = z.strictObject({ maxChatsPerAgent: z.number().int().min(1).max(50) });

/** A message as the visitor sees it: plain text, never HTML. */
export const ZVisitorMessage = z.object({
  id: z.uuid(),
  author: z.enum(["visitor", "agent", "system"]),
  name: z.string(),
  text: z.string(),
  attachments: z.array(
    z.object({ id: z.uuid(), filename: z.string(), contentType: z.string(), size: z.number() }),
  ),
  delivery: z.string().nullable(),
  createdAt: z.string(),
});
export type TVisitorMessage = z.infer<typeof ZVisitorMessage>;

export const ZIdentity = z.strictObject({
  userId: noNul(200).pipe(z.string().min(1)),
  name: noNul(200).optional(),
  email: z.email().max(254).optional(),
  /** Hex HMAC-SHA256 of `userId` (or `userId|email` when an email is passed) with the site secret. */
  signature: z.string().max(200).optional(),
});

export const ZSessionRequest = z.strictObject({
  key: z.string().min(1).max(100),
  token: z.string().max(200).optional(),
  locale: z.string().max(35).optional(),
  pageOrigin: z.string().max(300).optional(),
  identity: ZIdentity.optional(),
});

export const ZProfile = z.strictObject({
  name: noNul(200).pipe(z.string().trim()).optional(),
  email: z.email().max(254).optional(),
  phone: noNul(40).optional(),
  topic: noNul(80).optional(),
});

export const ZOffline = z.strictObject({
  name: noNul(200).pipe(z.string().trim()).optional(),
  email: z.email().max(254),
  message: noNul(CHAT_MAX_TEXT).pipe(z.string().trim().min(1)),
});

/** Frames a visitor sends over /widget/ws. */
export const ZVisitorFrame = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("auth"), token: z.string().max(200) }),
  z.strictObject({
    type: z.literal("message"),
    clientId: z.string().max(64),
    text: z.string().max(CHAT_MAX_TEXT),
    attachmentIds: z.array(z.uuid()).max(5).optional(),
    /** The widget's suggestion session: the articles it suggested are linked to the chat's ticket (first message). */
    sid: ZSid.optional(),
  }),
  z.strictObject({ type: z.literal("typing"), typing: z.boolean() }),
  z.strictObject({ type: z.literal("read"), messageId: z.uuid() }),
  z.strictObject({ type: z.literal("ping") }),
]);
export type TVisitorFrame = z.infer<typeof ZVisitorFrame>;

/** One of my live chats (GET /chat/mine), with what names it. */
export const ZMyChat = z.object({
  ticketId: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  visitorName: z.string().nullable(),
  visitorEmail: z.string().nullable(),
  siteName: z.string(),
  topic: z.string().nullable(),
  startedAt: z.string(),
  /** The customer's loyalty tier for the badge (customer value); null: none. */
  tier: z.object({ name: z.string(), color: z.string() }).nullable(),
});
export type TMyChat = z.infer<typeof ZMyChat>;

/** An agent as the transfer and availability menus show them (GET /chat/agents). */
export const ZChatAgent = z.object({
  id: z.uuid(),
  name: z.string(),
  availability: z.enum(AVAILABILITIES),
  liveChats: z.number(),
});
export const ZSetAvailability = z.strictObject({ availability: z.enum(AVAILABILITIES) });
export const ZAvailabilityState = z.object({ availability: z.enum(AVAILABILITIES) });

/** The chat behind a ticket (GET /chat/tickets/:id): visitor, state, when the visitor last read. */
export const ZChatInfo = z.object({
  ticketId: z.uuid(),
  state: z.string(),
  topic: z.string().nullable(),
  visitor: z.object({
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    identified: z.boolean(),
    locale: z.string(),
  }),
  visitorReadAt: z.string().nullable(),
});

export const ZTransferChat = z.strictObject({
  assigneeId: z.uuid(),
  note: z
    .string()
    .max(2000)
    .refine((s) => !s.includes("\u0000"))
    .default(""),
});
export const ZTransferResult = z.object({ ticketId: z.uuid(), assigneeId: z.uuid() });
