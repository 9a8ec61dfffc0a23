/** The notification centre (modules/notifications): the bell's list, unread count, preferences. */
import type { z } from "zod";
import type {
  ZNotification,
  ZNotificationPage,
  ZNotificationPreference,
  ZNotificationPreferences,
  ZReadAll,
  ZSetNotificationPreferences,
  ZUnread,
} from "../modules/notifications/notifications.schema.ts";

export type Notice = z.output<typeof ZNotification>;
export type NoticePage = z.output<typeof ZNotificationPage>;
export type NoticeUnread = z.output<typeof ZUnread>;
export type NoticeReadAll = z.output<typeof ZReadAll>;
export type NoticePreference = z.output<typeof ZNotificationPreference>;
export type NoticePreferences = z.output<typeof ZNotificationPreferences>;
export type SetNoticePreferencesBody = z.input<typeof ZSetNotificationPreferences>;
