import type { RapportModule } from "../registry.ts";
import { notificationsRoutes } from "./notifications.routes.ts";
import { unreadCount } from "./notifications.service.ts";

/** The notification centre: one table, one API, pushed over the agent websocket (docs/notifications.md). */
export const notificationsModule: RapportModule = {
  name: "notifications",
  routes: notificationsRoutes,
  /** The bell's unread count on the first screen. */
  bootstrap: { notifications: unreadCount },
};
