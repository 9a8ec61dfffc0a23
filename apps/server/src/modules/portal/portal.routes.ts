import fs from "node:fs";
import path from "node:path";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { safeEqual } from "../../auth/crypto.ts";
import { withActor } from "../../context.ts";
import { readFields } from "../../http/multipart.ts";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { AppError, unauthenticated } from "../../lib/errors.ts";
import { sendStoredFile } from "../tickets/attachments.service.ts";
import {
  articlesSeenBefore,
  deflectionStats,
  openSuggestion,
  recordRequested,
  recordShown,
  ZDeflectionEvent,
  ZDeflectionQuery,
  ZSeenArticles,
  ZSid,
} from "./deflection.service.ts";
import {
  cancelCallback,
  closeRequest,
  createRequest,
  getProfile,
  getRequest,
  listCallbacks,
  listRequests,
  MAX_FILES,
  portalAttachment,
  replyToRequest,
  requestLink,
  requestPortalCallback,
  resolvePortalSession,
  setOrganizationSharing,
  signOut,
  updateProfile,
  verifyLink,
  ZLinkRequest,
  ZNewRequest,
  ZPortalCallback,
  ZProfile,
  ZReply,
  ZVerify,
} from "./portal.service.ts";

export const PORTAL_COOKIE = "rapport_portal";
const tags = ["portal"];
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * Portal routes: the customer session cookie is read (and its CSRF token checked on writes);
     * `customer`: 401 without a customer session, before the body is read.
     */
    portal?: "customer" | "open";
  }
}

/**
 * Resolves the customer of a portal request from the portal cookie (never the agent cookie:
 * the agent API resolves only agent sessions, and this hook runs only on portal routes).
 * Cookie-authenticated writes carry the session's CSRF token in `X-CSRF-Token` (or the
 * `_csrf` field of a page's form).
 */
export async function portalActor(req: FastifyRequest, csrfSent: () => string | undefined) {
  const cookie = req.cookies[PORTAL_COOKIE];
  const services = req.server.services;
  const session = cookie ? await resolvePortalSession(services, cookie) : null;
  if (!session) return { ctx: withActor(services, { kind: "anonymous" }), csrf: null, token: null };
  if (!SAFE.has(req.method)) {
    const sent = csrfSent();
    if (typeof sent !== "string" || !safeEqual(sent, session.csrfToken))
      throw new AppError("csrf_failed", 403, "Missing or wrong X-CSRF-Token header");
  }
  return { ctx: withActor(services, session.actor), csrf: session.csrfToken, token: cookie ?? null };
}

export function setPortalCookie(reply: FastifyReply, secure: boolean, token: string, expires: Date) {
  reply.setCookie(PORTAL_COOKIE, token, { path: "/", httpOnly: true, sameSite: "lax", secure, expires });
}
export function clearPortalCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(PORTAL_COOKIE, { path: "/", httpOnly: true, sameSite: "lax", secure });
}

export function parseWith<T extends z.ZodType>(schema: T, fields: unknown): z.infer<T> {
  const r = schema.safeParse(fields);
  if (!r.success)
    throw new AppError("validation_failed", 400, "Some fields are missing or not valid", {
      issues: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  return r.data;
}

const ZAttachment = z.object({
  id: z.uuid(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});
const ZPortalMessage = z.object({
  id: z.uuid(),
  author: z.enum(["customer", "support"]),
  authorName: z.string(),
  bodyHtml: z.string(),
  createdAt: z.iso.datetime(),
  attachments: z.array(ZAttachment),
});
const ZPortalRequest = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: z.string(),
  promisedBy: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  mine: z.boolean(),
  requester: z.string(),
});
const ZPortalRequestFull = ZPortalRequest.extend({ messages: z.array(ZPortalMessage) });
const ZCallback = z.object({
  id: z.uuid(),
  phone: z.string(),
  topic: z.string(),
  windowStart: z.iso.datetime().nullable(),
  windowEnd: z.iso.datetime().nullable(),
  dueAt: z.iso.datetime(),
  status: z.enum(["open", "done", "cancelled"]),
  ticketId: z.uuid().nullable(),
});
const ZProfileOut = z.object({
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  language: z.string(),
  membership: z.object({
    tier: z
      .object({
        name: z.string(),
        color: z.string(),
        discountPercent: z.number().int(),
        benefits: z.string(),
      })
      .nullable(),
    points: z.number().int(),
  }),
});
const ERR = errorResponses(400, 401, 403, 404, 409, 413, 415, 429);
const portalConfig = { public: true, portal: "customer" } as const;
const openConfig = { public: true, portal: "open" } as const;
const csrfHeader = (req: FastifyRequest) => () => {
  const v = req.headers["x-csrf-token"];
  return typeof v === "string" ? v : undefined;
};

/**
 * The customer portal's API (docs/portal.md) under /api/v1/portal, and the deflection
 * endpoints: the suggestion events of the web form, widget and portal, and the editors' figures.
 */
export const portalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook("onRequest", async (req) => {
    const mode = req.routeOptions.config?.portal;
    if (!mode) return;
    // Open routes (sign-in, suggestion events) never fail on a stale portal cookie: anonymous then.
    req.ctx =
      mode === "open"
        ? ((await portalActor(req, csrfHeader(req)).catch(() => null))?.ctx ??
          withActor(req.server.services, { kind: "anonymous" }))
        : (await portalActor(req, csrfHeader(req))).ctx;
    if (mode === "customer" && req.ctx.actor.kind !== "customer") throw unauthenticated();
  });

  app.post(
    "/portal/auth/link",
    {
      config: {
        ...openConfig,
        rateLimit: { max: 10, timeWindow: 60_000, keyGenerator: (req) => `portal-link:${req.ip}` },
      },
      schema: {
        tags,
        summary:
          "Email a one-time sign-in link (works once, for 15 minutes). The answer is the same whether or not the address belongs to a customer; 429 after 3 links per address or 20 per network in 15 minutes",
        security: [],
        body: ZLinkRequest,
        response: { 202: z.object({ sent: z.literal(true) }), ...errorResponses(400, 429) },
      },
    },
    async (req, reply) => {
      await requestLink(req.ctx, req.ip, req.body);
      return reply.status(202).send({ sent: true });
    },
  );
  app.post(
    "/portal/auth/verify",
    {
      config: {
        ...openConfig,
        rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: (req) => `portal-verify:${req.ip}` },
      },
      schema: {
        tags,
        summary:
          "Trade a sign-in link's token for a customer session (cookie `rapport_portal`; send `csrfToken` as `X-CSRF-Token` on writes). A used or expired link: 410",
        security: [],
        body: ZVerify,
        response: {
          200: z.object({ csrfToken: z.string(), expiresAt: z.iso.datetime(), profile: ZProfileOut }),
          ...errorResponses(400, 410, 429),
        },
      },
    },
    async (req, reply) => {
      const s = await verifyLink(req.server.services, req.body.token, {
        ip: req.ip,
        userAgent: req.headers["user-agent"],
      });
      setPortalCookie(reply, req.server.services.config.cookieSecure, s.sessionToken, s.expiresAt);
      const profile = await getProfile(
        withActor(req.server.services, { kind: "customer", contactId: s.contactId }),
      );
      return { csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString(), profile };
    },
  );
  app.post(
    "/portal/auth/logout",
    {
      config: openConfig,
      schema: { tags, summary: "End the customer session", security: [], response: { 204: z.null() } },
    },
    async (req, reply) => {
      const cookie = req.cookies[PORTAL_COOKIE];
      if (cookie && req.ctx.actor.kind === "customer") await signOut(req.server.services, cookie);
      clearPortalCookie(reply, req.server.services.config.cookieSecure);
      return reply.status(204).send(null);
    },
  );
  app.get(
    "/portal/requests",
    {
      config: portalConfig,
      schema: {
        tags,
        summary:
          "The customer's requests (newest first) with status, number and promised answer time; `scope=organization` adds their organization's when it shares them",
        querystring: z.strictObject({
          scope: z.enum(["mine", "organization"]).default("mine"),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        }),
        response: {
          200: z.object({ organizationShared: z.boolean(), items: z.array(ZPortalRequest) }),
          ...ERR,
        },
      },
    },
    async (req) => listRequests(req.ctx, req.query),
  );
  app.post(
    "/portal/requests",
    {
      config: portalConfig,
      schema: {
        tags,
        summary:
          "Open a new request: JSON `{subject, body, sid?}` or multipart/form-data with `attachments` files (at most 5). `sid`: the suggestion session of the page (deflection)",
        consumes: ["application/json", "multipart/form-data"],
        response: { 201: ZPortalRequestFull, ...ERR },
      },
    },
    async (req, reply) => {
      const { fields, files } = await readFields(req, { maxFiles: MAX_FILES });
      const created = await createRequest(req.ctx, parseWith(ZNewRequest, fields), files);
      return reply.status(201).send(created);
    },
  );
  app.get(
    "/portal/requests/:id",
    {
      config: portalConfig,
      schema: {
        tags,
        summary: "One request with its thread",
        params: ZIdParams,
        response: { 200: ZPortalRequestFull, ...ERR },
      },
    },
    async (req) => getRequest(req.ctx, req.params.id),
  );
  app.get(
    "/portal/requests/:id/messages",
    {
      config: portalConfig,
      schema: {
        tags,
        summary:
          "The thread of a request: the customer's messages and support's replies, never internal notes",
        params: ZIdParams,
        response: { 200: z.object({ items: z.array(ZPortalMessage) }), ...ERR },
      },
    },
    async (req) => ({ items: (await getRequest(req.ctx, req.params.id)).messages }),
  );
  app.post(
    "/portal/requests/:id/messages",
    {
      config: portalConfig,
      schema: {
        tags,
        summary:
          "Reply on a request: JSON `{body}` or multipart/form-data with `attachments` files (at most 5). A solved request opens again; a closed one: 409",
        params: ZIdParams,
        consumes: ["application/json", "multipart/form-data"],
        response: { 201: ZPortalMessage, ...ERR },
      },
    },
    async (req, reply) => {
      const { fields, files } = await readFields(req, { maxFiles: MAX_FILES });
      const m = await replyToRequest(req.ctx, req.params.id, parseWith(ZReply, fields), files);
      return reply.status(201).send(m);
    },
  );
  app.post(
    "/portal/requests/:id/close",
    {
      config: portalConfig,
      schema: {
        tags,
        summary: "Close a request (it becomes solved; a later reply opens it again)",
        params: ZIdParams,
        body: z.strictObject({}).optional(),
        response: { 200: ZPortalRequestFull, ...ERR },
      },
    },
    async (req) => closeRequest(req.ctx, req.params.id),
  );
  app.get(
    "/portal/attachments/:id",
    {
      config: portalConfig,
      schema: { tags, summary: "A file on a message the customer may see", params: ZIdParams },
    },
    async (req, reply) => {
      const row = await portalAttachment(req.ctx, req.params.id);
      const stream = fs.createReadStream(
        path.join(req.server.services.config.attachmentsDir, row.storageKey),
      );
      return sendStoredFile(reply, row, stream);
    },
  );
  app.get(
    "/portal/callbacks",
    {
      config: portalConfig,
      schema: {
        tags,
        summary: "The customer's call-backs",
        response: { 200: z.object({ items: z.array(ZCallback) }), ...ERR },
      },
    },
    async (req) => ({ items: await listCallbacks(req.ctx) }),
  );
  app.post(
    "/portal/callbacks",
    {
      config: portalConfig,
      schema: {
        tags,
        summary:
          "Ask for a call-back at a chosen time (the call-back queue, source `portal`): `windowStart` (and `windowEnd`, default 30 minutes later) as ISO date-times, or local `YYYY-MM-DDTHH:MM` in the customer's time zone",
        body: ZPortalCallback,
        response: { 201: ZCallback, ...ERR },
      },
    },
    async (req, reply) => reply.status(201).send(await requestPortalCallback(req.ctx, req.body)),
  );
  app.post(
    "/portal/callbacks/:id/cancel",
    {
      config: portalConfig,
      schema: {
        tags,
        summary: "Cancel one of the customer's open call-backs",
        params: ZIdParams,
        body: z.strictObject({}).optional(),
        response: { 200: ZCallback, ...ERR },
      },
    },
    async (req) => cancelCallback(req.ctx, req.params.id),
  );
  app.get(
    "/portal/profile",
    {
      config: portalConfig,
      schema: {
        tags,
        summary: "The customer's name, email, phone and preferred language",
        response: { 200: ZProfileOut, ...ERR },
      },
    },
    async (req) => getProfile(req.ctx),
  );
  app.patch(
    "/portal/profile",
    {
      config: portalConfig,
      schema: {
        tags,
        summary:
          "Change the customer's name, phone (E.164 after parsing; null removes it) or preferred language",
        body: ZProfile,
        response: { 200: ZProfileOut, ...ERR },
      },
    },
    async (req) => updateProfile(req.ctx, req.body),
  );
  app.put(
    "/portal/organizations/:id",
    {
      schema: {
        tags,
        summary: "Admins: whether an organization's members see each other's requests in the portal",
        params: ZIdParams,
        body: z.strictObject({ shareRequests: z.boolean() }),
        response: {
          200: z.object({ organizationId: z.uuid(), shareRequests: z.boolean() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (req) => setOrganizationSharing(req.ctx, req.params.id, req.body.shareRequests),
  );

  // ---- Deflection ---------------------------------------------------------------------------
  const atLeastPublic = (max: number) => (req: FastifyRequest) =>
    Math.max(max, req.server.services.config.rateLimits.publicPerMinute);
  app.post(
    "/public/deflection/events",
    {
      config: {
        ...openConfig,
        // At least RATE_LIMIT_PUBLIC_PER_MINUTE, like the help centre's buckets (kbLimit).
        rateLimit: {
          max: atLeastPublic(120),
          timeWindow: 60_000,
          keyGenerator: (req) => `deflection:${req.ip}`,
        },
      },
      schema: {
        tags: ["knowledge base (public)"],
        summary:
          "Suggestions shown to a visitor before a request (`shown`, with the article ids), one of them read inside the widget (`opened`, its id), or the visitor went on to ask (`requested`, the widget's first message). `sid`: a random id the page keeps for the visit",
        security: [],
        body: ZDeflectionEvent,
        response: { 202: z.object({ recorded: z.number().int() }), ...errorResponses(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (b.event === "requested") {
        await recordRequested(req.ctx, b.sid);
        return reply.status(202).send({ recorded: 1 });
      }
      if (b.event === "opened") {
        const [articleId, ...more] = b.articleIds;
        if (!articleId || more.length > 0)
          throw new AppError("validation_failed", 400, "An opened event names exactly one article");
        await openSuggestion(req.ctx, { sid: b.sid, articleId, language: b.language });
        return reply.status(202).send({ recorded: 1 });
      }
      const contactId = req.ctx.actor.kind === "customer" ? req.ctx.actor.contactId : null;
      return reply.status(202).send({ recorded: await recordShown(req.ctx, { ...b, contactId }) });
    },
  );
  app.get(
    "/public/deflection/open",
    {
      config: {
        ...openConfig,
        rateLimit: {
          max: atLeastPublic(300),
          timeWindow: 60_000,
          keyGenerator: (req) => `deflection-open:${req.ip}`,
        },
      },
      schema: {
        tags: ["knowledge base (public)"],
        summary:
          "Open a suggested article: records the open for the suggestion session and redirects (303) to the article on /help",
        security: [],
        querystring: z.strictObject({
          article: z.uuid(),
          lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/),
          sid: ZSid.optional(),
        }),
        response: { 303: z.null(), ...errorResponses(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const url = await openSuggestion(req.ctx, {
        sid: req.query.sid,
        articleId: req.query.article,
        language: req.query.lang,
      });
      return reply.redirect(url, 303);
    },
  );
  app.get(
    "/kb/deflection",
    {
      schema: {
        tags: ["knowledge base"],
        summary:
          "Managers: deflection per article and language (shown, opened, deflected, not deflected, pending, rate; solved by an agent's link and not reopened within 7 days)",
        querystring: ZDeflectionQuery,
        response: {
          200: z.object({
            since: z.iso.datetime(),
            totals: z.object({
              shown: z.number().int(),
              opened: z.number().int(),
              deflected: z.number().int(),
              notDeflected: z.number().int(),
              rate: z.number().nullable(),
            }),
            items: z.array(
              z.object({
                articleId: z.uuid(),
                language: z.string(),
                title: z.string(),
                shown: z.number().int(),
                opened: z.number().int(),
                deflected: z.number().int(),
                notDeflected: z.number().int(),
                pending: z.number().int(),
                rate: z.number().nullable(),
                solvedByLink: z.number().int(),
                solvedByLinkReopened: z.number().int(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => deflectionStats(req.ctx, req.query),
  );
  app.get(
    "/tickets/:id/seen-articles",
    {
      schema: {
        tags: ["knowledge base"],
        summary:
          "The help-centre articles suggested to the customer before this ticket (web form, widget, portal), opened ones first",
        params: ZIdParams,
        response: { 200: ZSeenArticles, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => ({ items: await articlesSeenBefore(req.ctx, req.params.id) }),
  );
};
