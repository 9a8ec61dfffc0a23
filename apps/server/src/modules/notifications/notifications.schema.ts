import { NOTIFICATION_KINDS } from "@rapport/shared";
import { z } from "zod";

export const ZNotification = z.object({
  id: z.uuid(),
  /** One of NOTIFICATION_KINDS (an unknown kind only from a newer server's row). */
  kind: z.string(),
  /** Rendered in the reader's language from the kind and its params. */
  title: z.string(),
  body: z.string(),
  /** A path in the web app (`/tickets/42`), or null. */
  link: z.string().nullable(),
  ticketId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  subject: z.object({ type: z.string(), id: z.string() }).nullable(),
  params: z.record(z.string(), z.unknown()),
  readAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type TNotification = z.infer<typeof ZNotification>;

export const ZNotificationPage = z.object({
  items: z.array(ZNotification),
  nextCursor: z.string().nullable(),
});

export const ZNotificationQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  unread: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  /** Only notices of this kind (the planner's morning banner). */
  kind: z.enum(NOTIFICATION_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const ZUnread = z.object({ unread: z.number().int() });
export const ZReadAll = z.object({ unread: z.number().int(), marked: z.number().int() });

export const ZNotificationPreference = z.strictObject({
  kind: z.enum(NOTIFICATION_KINDS),
  inApp: z.boolean(),
  email: z.boolean(),
});
export type TNotificationPreference = z.infer<typeof ZNotificationPreference>;
export const ZNotificationPreferences = z.object({ items: z.array(ZNotificationPreference) });
export const ZSetNotificationPreferences = z.strictObject({
  items: z.array(ZNotificationPreference).max(NOTIFICATION_KINDS.length),
});
