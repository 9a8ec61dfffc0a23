import { z } from "zod";

const ZAddress = z.email().max(254).toLowerCase();
const ZBodyText = z.string().trim().min(1).max(50_000);

export const ZStartSideConversation = z.strictObject({
  to: z.array(ZAddress).min(1).max(10),
  subject: z.string().trim().min(1).max(300),
  body: ZBodyText,
});
export type TStartSideConversation = z.infer<typeof ZStartSideConversation>;

export const ZSideReply = z.strictObject({ body: ZBodyText });
export const ZSideUpdate = z.strictObject({ status: z.enum(["open", "closed"]) });
export const ZSideParams = z.strictObject({ id: z.uuid(), sideId: z.uuid() });

export const ZSideMessage = z.object({
  id: z.uuid(),
  direction: z.enum(["out", "in"]),
  author: z.object({ id: z.uuid().nullable(), name: z.string() }),
  to: z.array(z.string()),
  bodyText: z.string(),
  bodyHtml: z.string(),
  /** Outgoing: where the email stands (queued, sent, failed, bounced). */
  delivery: z.string().nullable(),
  createdAt: z.string(),
});
export const ZSideConversation = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  subject: z.string(),
  participants: z.array(z.string()),
  status: z.enum(["open", "closed"]),
  createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messages: z.array(ZSideMessage),
});
export type TSideConversation = z.infer<typeof ZSideConversation>;
