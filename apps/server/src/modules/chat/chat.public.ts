import fs from "node:fs";
import path from "node:path";
import { LOCALES } from "@rapport/shared";
import { eq } from "drizzle-orm";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { WebSocketServer } from "ws";
import { z } from "zod";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import { AppError, badRequest, notFound } from "../../lib/errors.ts";
import { type TPublicAnswer, ZPublicAnswer } from "../csat/csat.schema.ts";
import { answerTicketSurvey, ticketSurvey } from "../csat/csat.service.ts";
import { requestCallback } from "../phone/callbacks.service.ts";
import { storeAttachment } from "../tickets/attachments.service.ts";
import { attachments } from "../tickets/tickets.table.ts";
import { chatHub, envInt } from "./chat.hub.ts";
import {
  CHAT_ATTACHMENT_MAX_BYTES,
  CHAT_ATTACHMENT_TYPES,
  CHAT_MAX_FRAME,
  ZOffline,
  ZProfile,
  ZSessionRequest,
} from "./chat.schema.ts";
import {
  currentConversation,
  lastChatTicket,
  leaveOfflineMessage,
  openSession,
  originAllowed,
  pageOriginAllowed,
  sendTranscript,
  siteByKey,
  updateProfile,
  visitorAttachment,
  visitorByToken,
} from "./chat.service.ts";
import { chatSites } from "./chat.table.ts";

/** Where the widget's Vite build lands (apps/widget/dist). */
export const WIDGET_DIST = path.resolve(import.meta.dirname, "../../../../widget/dist");

const ASSET_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".mp3": "audio/mpeg",
};

function sendAsset(reply: FastifyReply, file: string, cache: string) {
  const full = path.join(WIDGET_DIST, file);
  if (!full.startsWith(WIDGET_DIST + path.sep) || !fs.existsSync(full)) throw notFound("File");
  return reply
    .header("content-type", ASSET_TYPES[path.extname(full)] ?? "application/octet-stream")
    .header("cache-control", cache)
    .header("x-content-type-options", "nosniff")
    .send(fs.createReadStream(full));
}

const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The visitor's token travels in a header; the visitor API never reads cookies. */
async function visitorOf(req: FastifyRequest) {
  const token = req.headers["x-visitor-token"];
  const v = typeof token === "string" ? await visitorByToken(req.server.services.db, token) : null;
  if (!v) throw new AppError("unauthenticated", 401, "Unknown visitor");
  return v;
}

/** The raw upgrade head @fastify/websocket keeps on the request (empty for normal clients). */
function upgradeHead(raw: object): Buffer {
  const sym = Object.getOwnPropertySymbols(raw).find((s) => s.description === "ws-head");
  const head = sym ? (raw as Record<symbol, unknown>)[sym] : undefined;
  return Buffer.isBuffer(head) ? head : Buffer.alloc(0);
}

/**
 * Per-address limits of the widget's own (the global public limit counts every public
 * route of an address together, and one office behind a NAT would soon exhaust it).
 */
const perIp = (name: string, max: number) => ({
  public: true,
  rateLimit: { max, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `widget-${name}:${req.ip}` },
});
const pub = perIp("files", envInt("CHAT_IP_FILES_PER_MINUTE", 600));
const api = perIp("api", envInt("CHAT_IP_REQUESTS_PER_MINUTE", 120));
const hide = { hide: true } as const;

/**
 * The widget's public surface (outside /api/v1): its files, the visitor API and the
 * visitor websocket. Visitors authenticate with their own token; agent sessions are never read here.
 */
export const chatPublicRoutes: FastifyPluginAsync = async (app) => {
  const services = app.services;
  const hub = chatHub(services, (msg, err) => app.log.error({ err }, msg));
  app.addHook("onReady", () => hub.start());
  app.addHook("preClose", () => hub.stop());
  const wss = new WebSocketServer({ noServer: true, maxPayload: CHAT_MAX_FRAME });

  app.get("/widget/loader.js", { config: pub, schema: hide }, async (_req, reply) =>
    sendAsset(reply, "loader.js", "public, max-age=300"),
  );
  app.get("/widget/app/assets/:file", { config: pub, schema: hide }, async (req, reply) => {
    const file = (req.params as { file: string }).file;
    if (!/^[\w.-]+$/.test(file)) throw notFound("File");
    return sendAsset(reply, path.join("app", "assets", file), "public, max-age=31536000, immutable");
  });

  /** The iframe page. `frame-ancestors` lets only the site's allowed origins embed it. */
  app.get("/widget/app/frame.html", { config: pub, schema: hide }, async (req, reply) => {
    const { key } = z.object({ key: z.string().max(100) }).parse(req.query);
    const site = await siteByKey(services.db, key);
    const indexFile = path.join(WIDGET_DIST, "app", "index.html");
    if (!fs.existsSync(indexFile)) throw notFound("Widget build");
    const ancestors = site.allowedOrigins.length ? site.allowedOrigins.join(" ") : "'none'";
    return reply
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer")
      .header(
        "content-security-policy",
        `default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors ${ancestors}; base-uri 'none'; form-action 'none'`,
      )
      .send(fs.readFileSync(indexFile, "utf8").replace("__SITE_KEY__", escapeAttr(site.key)));
  });

  /** A demo page with the widget (for trying a site out, and for the end-to-end test). */
  app.get("/widget/demo.html", { config: pub, schema: hide }, async (req, reply) => {
    const q = z
      .object({
        key: z.string().max(100),
        lang: z.string().max(10).optional(),
        user: z.string().max(3000).optional(),
      })
      .parse(req.query);
    const base = services.config.publicUrl.replace(/\/$/, "");
    const identity = q.user ? ` data-rapport-identity="${escapeAttr(q.user)}"` : "";
    return reply
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .send(`<!doctype html><html lang="${escapeAttr(q.lang ?? "en")}"><head><meta charset="utf-8"><title>Widget demo</title>
<style>body{font-family:Georgia,serif;background:#fafafa;margin:40px}h1{color:#a00}
/* hostile page CSS: the widget must not be affected */
*{box-sizing:content-box!important;font-size:22px}iframe{border:5px solid red}</style></head>
<body><h1>Acme Shop</h1><p>A demo page with the Rapport chat widget.</p>
<script src="${base}/widget/loader.js" data-rapport-site="${escapeAttr(q.key)}"${identity} async></script></body></html>`);
  });

  // -------------------------------------------------------------- visitor API

  app.post(
    "/widget/api/session",
    { config: api, schema: { ...hide, body: ZSessionRequest } },
    async (req, reply) => {
      const body = req.body as z.infer<typeof ZSessionRequest>;
      const site = await siteByKey(services.db, body.key);
      if (!pageOriginAllowed(site, body.pageOrigin))
        throw new AppError("forbidden", 403, "This page may not use the chat widget", {
          reason: "origin_not_allowed",
        });
      if (!body.token && !hub.allowSession(site.id))
        throw new AppError("rate_limited", 429, "Too many new chats on this site; try again in a minute");
      return reply.header("cache-control", "no-store").send(await openSession(services, site, body));
    },
  );

  app.post("/widget/api/profile", { config: api, schema: { ...hide, body: ZProfile } }, async (req) => {
    const visitor = await visitorOf(req);
    return updateProfile(services, visitor, req.body as z.infer<typeof ZProfile>);
  });

  app.post(
    "/widget/api/offline",
    { config: api, schema: { ...hide, body: ZOffline } },
    async (req, reply) => {
      const visitor = await visitorOf(req);
      return reply
        .code(201)
        .send(await leaveOfflineMessage(services, visitor, req.body as z.infer<typeof ZOffline>));
    },
  );

  app.post(
    "/widget/api/transcript",
    { config: api, schema: { ...hide, body: z.strictObject({ email: z.email().max(254).optional() }) } },
    async (req, reply) => {
      const visitor = await visitorOf(req);
      return reply
        .code(202)
        .send(await sendTranscript(services, visitor, (req.body as { email?: string }).email));
    },
  );

  app.post(
    "/widget/api/callback",
    {
      config: api,
      schema: {
        ...hide,
        body: z.strictObject({
          name: z.string().max(200).optional(),
          phone: z.string().min(3).max(40),
          windowStart: z.iso.datetime({ offset: true }).optional(),
          windowEnd: z.iso.datetime({ offset: true }).optional(),
          topic: z.string().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      const visitor = await visitorOf(req);
      const b = req.body as {
        name?: string;
        phone: string;
        windowStart?: string;
        windowEnd?: string;
        topic?: string;
      };
      if (b.phone.includes("\u0000") || b.topic?.includes("\u0000"))
        throw badRequest("NUL characters are not allowed");
      const [site] = await services.db.select().from(chatSites).where(eq(chatSites.id, visitor.siteId));
      const conv = await currentConversation(services.db, visitor.id);
      const row = await requestCallback(withActor(services, SYSTEM), {
        source: "widget",
        phone: b.phone,
        name: b.name ?? visitor.name ?? undefined,
        email: visitor.email ?? undefined,
        contactId: visitor.contactId ?? undefined,
        topic: b.topic,
        windowStart: b.windowStart,
        windowEnd: b.windowEnd,
        ticketId: conv?.ticketId,
        teamId: site?.teamId ?? null,
      });
      return reply.code(201).send({ id: row.id, dueAt: row.dueAt.toISOString() });
    },
  );

  // The in-chat rating (issue 16): the survey of the visitor's latest chat once it is solved,
  // through the CSAT service (the same answer as the email link's, with its triggers and webhook).
  const ratingOf = async (req: FastifyRequest) => {
    const ticketId = await lastChatTicket(services.db, (await visitorOf(req)).id);
    if (!ticketId) throw notFound("Survey");
    return ticketId;
  };
  app.get(
    "/widget/api/rating",
    { config: api, schema: { ...hide, querystring: z.strictObject({ lang: z.enum(LOCALES).optional() }) } },
    async (req, reply) => {
      const ticketId = await ratingOf(req);
      const { lang } = req.query as { lang?: string };
      return reply.header("cache-control", "no-store").send(await ticketSurvey(services, ticketId, lang));
    },
  );
  app.post("/widget/api/rating", { config: api, schema: { ...hide, body: ZPublicAnswer } }, async (req) =>
    answerTicketSurvey(services, await ratingOf(req), req.body as TPublicAnswer, "chat"),
  );

  /** A file for the visitor's current chat: images, PDF or text, at most 5 MB. */
  app.post("/widget/api/attachments", { config: api, schema: hide }, async (req, reply) => {
    const visitor = await visitorOf(req);
    const conv = await currentConversation(services.db, visitor.id);
    if (!conv || conv.state !== "live")
      throw badRequest("Start the chat with a message before sending files");
    const file = await req.file({ limits: { fileSize: CHAT_ATTACHMENT_MAX_BYTES, files: 1 } });
    if (!file) throw badRequest("No file");
    if (!CHAT_ATTACHMENT_TYPES.includes(file.mimetype))
      throw new AppError("unsupported_media_type", 415, "Only images, PDF and text files can be sent");
    const stored = await storeAttachment(withActor(services, SYSTEM), conv.ticketId, {
      filename: file.filename,
      mimetype: file.mimetype,
      stream: file.file,
    });
    if (!CHAT_ATTACHMENT_TYPES.includes(stored.contentType)) {
      const [row] = await services.db.delete(attachments).where(eq(attachments.id, stored.id)).returning();
      if (row)
        await fs.promises.rm(path.join(services.config.attachmentsDir, row.storageKey), { force: true });
      throw new AppError("unsupported_media_type", 415, "Only images, PDF and text files can be sent");
    }
    return reply
      .code(201)
      .send({ id: stored.id, filename: stored.filename, size: stored.size, contentType: stored.contentType });
  });

  app.get("/widget/api/attachments/:id", { config: api, schema: hide }, async (req, reply) => {
    const visitor = await visitorOf(req);
    const { id } = z.object({ id: z.uuid() }).parse(req.params);
    const row = await visitorAttachment(services.db, visitor.id, id);
    const file = path.join(services.config.attachmentsDir, row.storageKey);
    return reply
      .header("content-type", row.contentType)
      .header("x-content-type-options", "nosniff")
      .header("content-security-policy", "default-src 'none'; sandbox")
      .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(row.filename)}`)
      .send(fs.createReadStream(file));
  });

  // -------------------------------------------------------------- visitor websocket

  app.get(
    "/widget/ws",
    {
      config: api,
      schema: hide,
      // A refused upgrade leaves the raw socket open: end it.
      onResponse: async (req, reply) => {
        if (req.headers.upgrade) reply.raw.socket?.destroy();
      },
    },
    async (req, reply) => {
      if ((req.headers.upgrade ?? "").toLowerCase() !== "websocket")
        throw new AppError("bad_request", 426, "Connect with a websocket");
      const { key } = z.object({ key: z.string().max(100) }).parse(req.query);
      const site = await siteByKey(services.db, key);
      if (!originAllowed(site, req.headers.origin, services.config.publicUrl, req.headers.host))
        throw new AppError("forbidden", 403, "Websocket from an origin this site does not allow");
      reply.hijack();
      wss.handleUpgrade(req.raw, req.raw.socket, upgradeHead(req.raw), (ws) => hub.attach(ws, site.id));
    },
  );
};
