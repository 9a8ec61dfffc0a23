/**
 * The notification centre's vocabulary (docs/notifications.md): every in-app notice has one
 * of these kinds. The server renders titles and bodies from the kind and its params in the
 * recipient's language; the web lists the kinds on the preferences page. A new producer adds
 * its kind here (and its templates on the server, its label in the web catalogs).
 */
export const NOTIFICATION_KINDS = [
  "sla.warning",
  "sla.breach",
  "ticket.pending_until",
  "ticket.assigned",
  "ticket.runaround",
  "promise.reminder",
  "promise.overdue",
  "planner.morning_plan",
  "callback.due",
  "automation.notify",
  "approval.requested",
  "approval.escalated",
  "approval.decided",
  "value.reminder",
  "recognition.won",
  "ticket.negative_sentiment",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Whether a kind is delivered in the app and by email when the user has not chosen. */
export const NOTIFICATION_DEFAULTS: Record<NotificationKind, { inApp: boolean; email: boolean }> = {
  "sla.warning": { inApp: true, email: false },
  "sla.breach": { inApp: true, email: false },
  "ticket.pending_until": { inApp: true, email: false },
  "ticket.assigned": { inApp: true, email: false },
  "ticket.runaround": { inApp: true, email: false },
  "promise.reminder": { inApp: true, email: true },
  "promise.overdue": { inApp: true, email: false },
  "planner.morning_plan": { inApp: true, email: false },
  "callback.due": { inApp: true, email: false },
  "automation.notify": { inApp: true, email: false },
  "approval.requested": { inApp: true, email: true },
  "approval.escalated": { inApp: true, email: true },
  "approval.decided": { inApp: true, email: true },
  "value.reminder": { inApp: true, email: false },
  "recognition.won": { inApp: true, email: true },
  "ticket.negative_sentiment": { inApp: true, email: false },
};

/** The object a notice is about (the bell links to it). */
export const NOTIFICATION_SUBJECTS = [
  "ticket",
  "contact",
  "promise",
  "plan",
  "callback",
  "approval",
] as const;
export type NotificationSubject = (typeof NOTIFICATION_SUBJECTS)[number];

/** Pushed over the agent websocket when a notice is filed for the socket's user. */
export type TNotificationFrame<TNotice = unknown> = {
  type: "notification";
  notification: TNotice;
  unread: number;
};
/** Pushed when the user's unread count changed otherwise (read in another tab, read-all). */
export type TNotificationsUnreadFrame = { type: "notifications.unread"; unread: number };
