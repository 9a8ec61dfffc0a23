import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZNotificationPage,
  ZNotificationPreferences,
  ZNotificationQuery,
  ZReadAll,
  ZSetNotificationPreferences,
  ZUnread,
} from "./notifications.schema.ts";
import {
  getPreferences,
  listNotifications,
  markAllRead,
  markRead,
  setPreferences,
  unreadCount,
} from "./notifications.service.ts";

const tags = ["notifications"];

/** The notification centre (docs/notifications.md): every route acts on the caller's own notices. */
export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/notifications",
    {
      schema: {
        tags,
        summary: "The caller's notices, newest first (cursor-paginated; `unread=true` for unread only)",
        querystring: ZNotificationQuery,
        response: { 200: ZNotificationPage, ...errorResponses(400, 401) },
      },
    },
    async (req) => listNotifications(req.ctx, req.query),
  );
  app.get(
    "/notifications/unread-count",
    {
      schema: {
        tags,
        summary: "How many of the caller's notices are unread",
        response: { 200: ZUnread, ...errorResponses(401) },
      },
    },
    async (req) => unreadCount(req.ctx),
  );
  app.post(
    "/notifications/read-all",
    {
      schema: {
        tags,
        summary: "Mark every notice of the caller read",
        response: { 200: ZReadAll, ...errorResponses(401) },
      },
    },
    async (req) => markAllRead(req.ctx),
  );
  app.post(
    "/notifications/:id/read",
    {
      schema: {
        tags,
        summary: "Mark one of the caller's notices read",
        params: ZIdParams,
        response: { 200: ZUnread, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => markRead(req.ctx, req.params.id),
  );
  app.get(
    "/notifications/preferences",
    {
      schema: {
        tags,
        summary: "The caller's choice per kind: in the app and/or by email",
        response: { 200: ZNotificationPreferences, ...errorResponses(401) },
      },
    },
    async (req) => getPreferences(req.ctx),
  );
  app.put(
    "/notifications/preferences",
    {
      schema: {
        tags,
        summary: "Change the caller's choices for the kinds given",
        body: ZSetNotificationPreferences,
        response: { 200: ZNotificationPreferences, ...errorResponses(400, 401) },
      },
    },
    async (req) => setPreferences(req.ctx, req.body.items),
  );
};
