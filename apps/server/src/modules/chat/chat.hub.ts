import { sql } from "drizzle-orm";
import type { WebSocket } from "ws";
import type { Services } from "../../context.ts";
import { isDatabaseUnavailable } from "../../db/errors.ts";
import { AppError } from "../../lib/errors.ts";
import type { DomainEvent } from "../../realtime/bus.ts";
import { ZVisitorFrame } from "./chat.schema.ts";
import {
  currentConversation,
  markDelivery,
  rebalance,
  visitorByToken,
  visitorMessages,
  visitorSays,
} from "./chat.service.ts";
import { chatConversations } from "./chat.table.ts";

export const CHAT_CHANNEL = "rapport_chat";

export const envInt = (name: string, dflt: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
/** Limits (per process). Documented in docs/widget.md. */
export const chatLimits = {
  visitorMessagesPerMinute: envInt("CHAT_VISITOR_MESSAGES_PER_MINUTE", 30),
  visitorBurst: 8,
  siteMessagesPerMinute: envInt("CHAT_SITE_MESSAGES_PER_MINUTE", 600),
  siteSessionsPerMinute: envInt("CHAT_SITE_SESSIONS_PER_MINUTE", 120),
  framesBurst: 30,
  framesPerSecond: 10,
  authTimeoutMs: 10_000,
};

/** A token bucket: `take()` is false when empty. */
export class Bucket {
  private tokens: number;
  private at = Date.now();
  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  get idle() {
    return Date.now() - this.at;
  }
}

type Frame = Record<string, unknown> & { type: string };

class VisitorConn {
  visitorId: string | null = null;
  readonly frames = new Bucket(chatLimits.framesBurst, chatLimits.framesPerSecond);
  constructor(
    readonly socket: WebSocket,
    readonly siteId: string,
  ) {}
  send(frame: Frame) {
    if (this.socket.readyState !== 1) return;
    if (this.socket.bufferedAmount > 1024 * 1024) return this.socket.close(1013, "too slow");
    this.socket.send(JSON.stringify(frame));
  }
}

/**
 * The visitors' live channel in one process: sockets by visitor, rate limits, and the
 * fan-out of agent replies and typing through NOTIFY (so a reply written on any process
 * reaches a visitor connected to any other).
 */
export class ChatHub {
  private readonly byVisitor = new Map<string, Set<VisitorConn>>();
  private readonly visitorBuckets = new Map<string, Bucket>();
  private readonly siteBuckets = new Map<string, Bucket>();
  private readonly sessionBuckets = new Map<string, Bucket>();
  private unsubscribe: (() => void) | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private rebalancing: Promise<unknown> | null = null;

  constructor(
    readonly services: Services,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  async start() {
    this.unsubscribe = this.services.bus.subscribe((e) => {
      this.onEvent(e).catch((err) => this.log("chat: fan-out failed", err));
    });
    this.unlisten = await this.services.database.listen(CHAT_CHANNEL, (p) => {
      this.receive(p).catch((err) => this.log("chat: receive failed", err));
    });
    this.timer = setInterval(() => {
      // One sweep at a time: a slow one is not joined by the next.
      if (!this.rebalancing)
        this.rebalancing = rebalance(this.services)
          .catch((err) => this.log("chat: rebalance failed", err))
          .finally(() => {
            this.rebalancing = null;
          });
      for (const m of [this.visitorBuckets, this.siteBuckets, this.sessionBuckets])
        for (const [k, b] of m) if (b.idle > 600_000) m.delete(k);
    }, 20_000);
    this.timer.unref();
  }

  async stop() {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.rebalancing;
    await this.unlisten?.();
    for (const set of this.byVisitor.values()) for (const c of set) c.socket.close(1001, "server stopping");
  }

  get connections() {
    let n = 0;
    for (const s of this.byVisitor.values()) n += s.size;
    return n;
  }

  /** Per-site limit on new visitor sessions (token farming). */
  allowSession(siteId: string) {
    return this.bucket(this.sessionBuckets, siteId, chatLimits.siteSessionsPerMinute).take();
  }

  private bucket(map: Map<string, Bucket>, key: string, perMinute: number, burst = perMinute) {
    let b = map.get(key);
    if (!b) {
      b = new Bucket(burst, perMinute / 60);
      map.set(key, b);
    }
    return b;
  }

  async notify(payload: Record<string, unknown>) {
    await this.services.db.execute(sql`select pg_notify(${CHAT_CHANNEL}, ${JSON.stringify(payload)})`);
  }

  private async onEvent(e: DomainEvent) {
    if (e.type === "ticket.updated" && e.status === "solved" && e.changes.status) {
      // A solved chat: the widget asks its visitor for a rating (GET /widget/api/rating).
      const [c] = await this.services.db
        .select({ visitorId: chatConversations.visitorId })
        .from(chatConversations)
        .where(sql`${chatConversations.ticketId} = ${e.ticketId}`);
      if (c) await this.notify({ t: "rate", visitorId: c.visitorId, ticketId: e.ticketId });
      return;
    }
    if (e.type !== "message.created" || e.internal || e.authorType !== "agent") return;
    if (e.channel !== undefined && e.channel !== "chat") return;
    const [c] = await this.services.db
      .select({ visitorId: chatConversations.visitorId, state: chatConversations.state })
      .from(chatConversations)
      .where(sql`${chatConversations.ticketId} = ${e.ticketId}`);
    if (!c || c.state !== "live") return;
    await this.notify({ t: "msg", visitorId: c.visitorId, ticketId: e.ticketId, messageId: e.messageId });
  }

  private async receive(raw: string) {
    let p: {
      t: string;
      visitorId: string;
      ticketId: string;
      messageId?: string;
      typing?: boolean;
      name?: string;
    };
    try {
      p = JSON.parse(raw);
    } catch {
      return;
    }
    const conns = this.byVisitor.get(p.visitorId);
    if (!conns?.size) return;
    if (p.t === "rate") {
      for (const c of conns) c.send({ type: "rating", ticketId: p.ticketId });
      return;
    }
    if (p.t === "typing") {
      for (const c of conns) c.send({ type: "typing", typing: !!p.typing, name: p.name ?? "" });
      return;
    }
    if (p.t === "msg" && p.messageId) {
      const [message] = await visitorMessages(this.services.db, p.ticketId, [p.messageId]);
      if (!message) return;
      for (const c of conns) c.send({ type: "message", message: { ...message, delivery: "delivered" } });
      await markDelivery(this.services.db, p.visitorId, p.messageId, "delivered", this.services.now());
    }
  }

  /** A freshly upgraded visitor socket: it must authenticate with its first frame. */
  attach(socket: WebSocket, siteId: string) {
    const conn = new VisitorConn(socket, siteId);
    const authTimer = setTimeout(() => {
      if (!conn.visitorId) socket.close(4401, "authenticate first");
    }, chatLimits.authTimeoutMs);
    let chain = Promise.resolve();
    socket.on("message", (data, isBinary) => {
      if (!conn.frames.take()) return socket.close(1008, "too many frames");
      chain = chain
        .then(() => this.handle(conn, data.toString(), isBinary))
        .catch((err) => {
          if (err instanceof AppError)
            return conn.send({ type: "error", code: err.code, message: err.message.slice(0, 300) });
          this.log("chat: frame failed", err);
          conn.send({ type: "error", code: "internal", message: "Something went wrong" });
        });
    });
    const bye = () => {
      clearTimeout(authTimer);
      if (conn.visitorId) {
        const set = this.byVisitor.get(conn.visitorId);
        set?.delete(conn);
        if (set && set.size === 0) this.byVisitor.delete(conn.visitorId);
      }
    };
    socket.on("close", bye);
    socket.on("error", bye);
  }

  private async handle(conn: VisitorConn, text: string, isBinary: boolean) {
    if (isBinary)
      return conn.send({ type: "error", code: "invalid_frame", message: "Send JSON text frames" });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return conn.send({ type: "error", code: "invalid_json", message: "The frame is not JSON" });
    }
    const parsed = ZVisitorFrame.safeParse(json);
    if (!parsed.success)
      return conn.send({ type: "error", code: "invalid_frame", message: "Unknown or malformed frame" });
    const f = parsed.data;
    if (f.type === "auth") {
      if (conn.visitorId) return;
      const v = await visitorByToken(this.services.db, f.token);
      if (!v || v.siteId !== conn.siteId) return conn.socket.close(4401, "unknown visitor");
      conn.visitorId = v.id;
      let set = this.byVisitor.get(v.id);
      if (!set) {
        set = new Set();
        this.byVisitor.set(v.id, set);
      }
      set.add(conn);
      const conv = await currentConversation(this.services.db, v.id);
      return conn.send({
        type: "ready",
        conversation: conv ? { ticketId: conv.ticketId, state: conv.state } : null,
        messages: conv ? await visitorMessages(this.services.db, conv.ticketId) : [],
      });
    }
    const visitorId = conn.visitorId;
    if (!visitorId) return conn.socket.close(4401, "authenticate first");
    switch (f.type) {
      case "ping":
        return conn.send({ type: "pong" });
      case "typing":
        // Accepted for forward compatibility; the agent app does not show visitor typing yet.
        return;
      case "read": {
        await markDelivery(this.services.db, visitorId, f.messageId, "read", this.services.now());
        return;
      }
      case "message": {
        if (
          !this.bucket(
            this.visitorBuckets,
            visitorId,
            chatLimits.visitorMessagesPerMinute,
            chatLimits.visitorBurst,
          ).take()
        )
          return conn.send({
            type: "error",
            code: "rate_limited",
            clientId: f.clientId,
            message: "Slow down a little",
          });
        if (!this.bucket(this.siteBuckets, conn.siteId, chatLimits.siteMessagesPerMinute).take())
          return conn.send({
            type: "error",
            code: "rate_limited",
            clientId: f.clientId,
            message: "Too busy, try again",
          });
        let r: Awaited<ReturnType<typeof visitorSays>>;
        try {
          r = await visitorSays(this.services, visitorId, {
            text: f.text,
            attachmentIds: f.attachmentIds,
            clientId: f.clientId,
            sid: f.sid,
          });
        } catch (err) {
          if (!isDatabaseUnavailable(err)) throw err;
          // Not acknowledged, so the widget shows the message as not sent and it can be sent again.
          return conn.send({
            type: "error",
            code: "unavailable",
            clientId: f.clientId,
            message: "Briefly unavailable, try again",
          });
        }
        const frame = { type: "ack", clientId: f.clientId, ticketId: r.ticketId, message: r.message };
        // A resend of a stored message: only the sender needs its acknowledgement again.
        if (r.duplicate) return conn.send(frame);
        // Every tab of this visitor (on this process) sees the message.
        for (const c of this.byVisitor.get(visitorId) ?? []) c.send(frame);
        return;
      }
    }
  }

  /** An agent typing on a chat ticket (from the agent API). */
  async agentTyping(ticketId: string, visitorId: string, name: string, typing: boolean) {
    await this.notify({ t: "typing", visitorId, ticketId, typing, name: name.trim() });
  }
}

const hubs = new WeakMap<Services, ChatHub>();
/** One hub per app (the websocket route and the agent routes share it). */
export function chatHub(services: Services, log: (msg: string, err?: unknown) => void) {
  let h = hubs.get(services);
  if (!h) {
    h = new ChatHub(services, log);
    hubs.set(services, h);
  }
  return h;
}
