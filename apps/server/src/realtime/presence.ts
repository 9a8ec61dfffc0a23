import { REALTIME_TYPING_TTL_MS, type TPresenceAgent } from "@rapport/shared";
import { sql } from "drizzle-orm";
import { AppError, notFound } from "../lib/errors.ts";
import { loadVisibleTicket } from "../modules/tickets/tickets.service.ts";
import type { Connection, RealtimeHub } from "./hub.ts";

/** NOTIFY channel carrying each process's watchers of a ticket to the other processes. */
export const PRESENCE_CHANNEL = "rapport_presence";
/** Tickets one socket may watch at once. */
export const MAX_WATCHED = 50;
/** Each process re-announces its watchers this often; another process's silence longer than REMOTE_TTL_MS means it is gone. */
const HEARTBEAT_MS = 20_000;
const REMOTE_TTL_MS = 3 * HEARTBEAT_MS;
/** Agents listed per ticket in a presence NOTIFY (the payload stays well under 8000 bytes). */
const MAX_AGENTS_PER_NOTIFY = 25;

type Watch = { typingUntil: number };
type Remote = { agents: TPresenceAgent[]; at: number };

/**
 * Who is viewing (and typing on) which ticket: collision detection. Local watchers are this
 * process's sockets; remote ones come from other processes through NOTIFY.
 */
export class Presence {
  private readonly local = new Map<string, Map<Connection, Watch>>();
  private readonly remote = new Map<string, Map<string, Remote>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly hub: RealtimeHub) {}

  async start(): Promise<() => Promise<void>> {
    const unlisten = await this.hub.services.database.listen(PRESENCE_CHANNEL, (p) => this.receive(p));
    const heartbeat = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    heartbeat.unref();
    return async () => {
      clearInterval(heartbeat);
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      await unlisten();
    };
  }

  async watch(conn: Connection, ticketId: string) {
    if (conn.watching.has(ticketId)) return;
    if (conn.watching.size >= MAX_WATCHED)
      throw new AppError("bad_request", 400, `At most ${MAX_WATCHED} tickets may be watched at once`);
    await loadVisibleTicket(this.hub.services.db, conn.actor, ticketId);
    conn.watching.add(ticketId);
    let watchers = this.local.get(ticketId);
    if (!watchers) {
      watchers = new Map();
      this.local.set(ticketId, watchers);
    }
    watchers.set(conn, { typingUntil: 0 });
    this.changed(ticketId);
  }

  unwatch(conn: Connection, ticketId: string) {
    if (!conn.watching.delete(ticketId)) return;
    const watchers = this.local.get(ticketId);
    watchers?.delete(conn);
    if (watchers?.size === 0) this.local.delete(ticketId);
    this.changed(ticketId);
  }

  typing(conn: Connection, ticketId: string, typing: boolean) {
    const watch = this.local.get(ticketId)?.get(conn);
    if (!watch) throw notFound("Watched ticket");
    const wasTyping = watch.typingUntil > Date.now();
    watch.typingUntil = typing ? Date.now() + REALTIME_TYPING_TTL_MS : 0;
    if (typing) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (watch.typingUntil !== 0 && watch.typingUntil <= Date.now()) {
          watch.typingUntil = 0;
          this.changed(ticketId);
        }
      }, REALTIME_TYPING_TTL_MS + 20);
      timer.unref();
      this.timers.add(timer);
    }
    if (wasTyping !== typing) this.changed(ticketId);
  }

  dropConnection(conn: Connection) {
    for (const ticketId of [...conn.watching]) this.unwatch(conn, ticketId);
  }

  /** This process's watchers of a ticket, one entry per agent (several tabs count once). */
  private localAgents(ticketId: string): TPresenceAgent[] {
    const byUser = new Map<string, TPresenceAgent>();
    const now = Date.now();
    for (const [conn, w] of this.local.get(ticketId) ?? []) {
      const prev = byUser.get(conn.actor.userId);
      byUser.set(conn.actor.userId, {
        userId: conn.actor.userId,
        name: conn.actor.name,
        typing: (prev?.typing ?? false) || w.typingUntil > now,
      });
    }
    return [...byUser.values()];
  }

  /** Every agent on a ticket, across processes. */
  agents(ticketId: string): TPresenceAgent[] {
    const byUser = new Map<string, TPresenceAgent>();
    const fresh = Date.now() - REMOTE_TTL_MS;
    const remote = [...(this.remote.get(ticketId)?.values() ?? [])].filter((r) => r.at > fresh);
    for (const a of [...this.localAgents(ticketId), ...remote.flatMap((r) => r.agents)]) {
      const prev = byUser.get(a.userId);
      byUser.set(a.userId, { ...a, typing: (prev?.typing ?? false) || a.typing });
    }
    return [...byUser.values()];
  }

  private sendLocal(ticketId: string) {
    const watchers = this.local.get(ticketId);
    if (!watchers) return;
    const frame = { type: "presence", ticketId, agents: this.agents(ticketId) } as const;
    for (const conn of watchers.keys()) conn.send(frame);
  }

  private changed(ticketId: string) {
    this.sendLocal(ticketId);
    this.announce(ticketId);
  }

  private announce(ticketId: string) {
    const payload = JSON.stringify({
      origin: this.hub.processId,
      ticketId,
      agents: this.localAgents(ticketId).slice(0, MAX_AGENTS_PER_NOTIFY),
    });
    this.hub.services.db
      .execute(sql`select pg_notify(${PRESENCE_CHANNEL}, ${payload})`)
      .catch((err) => this.hub.log("realtime: presence NOTIFY failed", err));
  }

  private receive(payload: string) {
    let msg: { origin?: unknown; ticketId?: unknown; agents?: unknown };
    try {
      msg = JSON.parse(payload);
    } catch {
      return;
    }
    const { origin, ticketId, agents } = msg;
    if (typeof origin !== "string" || typeof ticketId !== "string" || !Array.isArray(agents)) return;
    if (origin === this.hub.processId) return;
    let byProcess = this.remote.get(ticketId);
    if (!byProcess) {
      byProcess = new Map();
      this.remote.set(ticketId, byProcess);
    }
    if (agents.length === 0) byProcess.delete(origin);
    else byProcess.set(origin, { agents: agents as TPresenceAgent[], at: Date.now() });
    if (byProcess.size === 0) this.remote.delete(ticketId);
    this.sendLocal(ticketId);
  }

  private heartbeat() {
    for (const ticketId of this.local.keys()) this.announce(ticketId);
    const stale = Date.now() - REMOTE_TTL_MS;
    for (const [ticketId, byProcess] of this.remote) {
      for (const [origin, r] of byProcess) if (r.at <= stale) byProcess.delete(origin);
      if (byProcess.size === 0) {
        this.remote.delete(ticketId);
        this.sendLocal(ticketId);
      }
    }
  }
}
