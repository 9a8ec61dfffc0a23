import { randomUUID } from "node:crypto";
import type { TServerFrame } from "@rapport/shared";
import { sql } from "drizzle-orm";
import type { WebSocket } from "ws";
import { type AgentActor, SYSTEM } from "../auth/actor.ts";
import { canSeeTicket, ticketPermissions } from "../auth/policies.ts";
import type { Services } from "../context.ts";
import type { DbOrTx } from "../db/client.ts";
import { AppError } from "../lib/errors.ts";
import { NoticePush } from "../modules/notifications/notifications.push.ts";
import { fetchMessage } from "../modules/tickets/messages.service.ts";
import type { TMessage, TTicket } from "../modules/tickets/tickets.schema.ts";
import { fetchTicket, unreadByUser } from "../modules/tickets/tickets.service.ts";
import { countCustomViews } from "../modules/views/custom-views.service.ts";
import { countDeltas } from "../modules/views/view-keys.ts";
import type { DomainEvent } from "./bus.ts";
import { type RealtimeEvent, toRealtimeEvent } from "./events.ts";
import { Presence } from "./presence.ts";

export type Frame = TServerFrame<TTicket, TMessage>;

/** NOTIFY channel of realtime events, shared by every server process on the database. */
export const EVENTS_CHANNEL = "rapport_realtime";
/** Serializes seq assignment with commit order across processes (pg_advisory_xact_lock key). */
export const SEQ_LOCK = 727_301;
/** Events kept in memory for `resume`; an older `since` gets `resync`. */
export const RING_SIZE = 2000;
/** A client that lets this much pile up unsent is too slow: it is dropped and resumes later. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** How often a socket's session or token is checked again (revoked, deactivated, teams changed). */
const REAUTH_EVERY_MS = 60_000;

/** What one event needs from the database, loaded once for every socket it goes to. */
type Loaded = { ticket: TTicket | null; message: TMessage | null; unread: Map<string, boolean> };

/** Events fanned out together at most (their loads run concurrently, bounded by the pool). */
const MAX_BATCH = 64;

/**
 * Loads what the events of one batch need, each row once: events of the same ticket share its
 * row and unread flags (loaded for every agent any of them goes to), and the three reads of an
 * event run concurrently. Rows are read when the batch goes out (as before: the current state).
 */
class BatchLoader {
  private tickets = new Map<string, Promise<TTicket | null>>();
  private messages = new Map<string, Promise<TMessage | null>>();
  private unread = new Map<string, { users: Set<string>; result?: Promise<Map<string, boolean>> }>();

  constructor(
    private readonly db: DbOrTx,
    private readonly stats: { tickets: number; messages: number; unread: number },
  ) {}

  async load(e: RealtimeEvent, userIds: string[]): Promise<Loaded> {
    let ticket = this.tickets.get(e.ticketId);
    if (!ticket) {
      this.stats.tickets++;
      ticket = fetchTicket(this.db, SYSTEM, e.ticketId).catch((err) => {
        if (err instanceof AppError && err.status === 404) return null;
        throw err;
      });
      this.tickets.set(e.ticketId, ticket);
    }
    let message: Promise<TMessage | null> = Promise.resolve(null);
    if (e.messageId) {
      const known = this.messages.get(e.messageId);
      if (!known) this.stats.messages++;
      message = known ?? fetchMessage(this.db, e.messageId);
      this.messages.set(e.messageId, message);
    }
    // Unread flags: one query per ticket for every agent of the batch's events on it. Started on
    // the next microtask, after every event of the batch has added its agents.
    let u = this.unread.get(e.ticketId);
    if (!u && userIds.length === 0) return loaded(...(await Promise.all([ticket, message])));
    if (!u) {
      this.stats.unread++;
      const entry: { users: Set<string>; result?: Promise<Map<string, boolean>> } = { users: new Set() };
      entry.result = Promise.resolve().then(() => unreadByUser(this.db, e.ticketId, [...entry.users]));
      this.unread.set(e.ticketId, entry);
      u = entry;
    }
    for (const id of userIds) u.users.add(id);
    return loaded(...(await Promise.all([ticket, message, u.result])));
  }
}

/** An event's rows; nothing at all when its ticket is gone. */
const loaded = (ticket: TTicket | null, message: TMessage | null, unread?: Map<string, boolean>): Loaded =>
  ticket
    ? { ticket, message, unread: unread ?? new Map() }
    : { ticket: null, message: null, unread: new Map() };

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/**
 * Gives domain events their seq and hands them to every process (this one too) through NOTIFY:
 * one short transaction for a whole batch (all events published while the previous batch was
 * being sent), in array order.
 */
export async function notifyEvents(db: DbOrTx, events: Array<Omit<RealtimeEvent, "seq">>): Promise<void> {
  // One statement, so one round trip and its own implicit transaction. The uncorrelated
  // subquery in WHERE runs once, before the first row's nextval(): it turns off the wait for
  // the WAL flush at commit (NOTIFY is not durable anyway, and this keeps the lock below held
  // as briefly as possible) and takes the sequence lock, held until commit, so seq order is
  // NOTIFY delivery order in every listening process.
  await db.execute(
    sql`select pg_notify(${EVENTS_CHANNEL}, jsonb_set(x.e, '{seq}', to_jsonb(nextval('realtime_seq')))::text)
      from jsonb_array_elements(${JSON.stringify(events)}::jsonb) as x(e)
      where (select set_config('synchronous_commit', 'off', true) || pg_advisory_xact_lock(${SEQ_LOCK})::text) is not null`,
  );
}

async function currentSeq(db: DbOrTx): Promise<number> {
  const [row] = rowsOf<{ last_value: string | number; is_called: boolean }>(
    await db.execute(sql`select last_value, is_called from realtime_seq`),
  );
  if (!row) return 0;
  return row.is_called ? Number(row.last_value) : Number(row.last_value) - 1;
}

function parseEvent(payload: string): RealtimeEvent | undefined {
  try {
    const e = JSON.parse(payload) as RealtimeEvent;
    return typeof e.seq === "number" && typeof e.ticketId === "string" && e.scope ? e : undefined;
  } catch {
    return undefined;
  }
}

/** One agent's websocket. Frames go out in order through `enqueue`. */
export class Connection {
  readonly id = randomUUID();
  /** Seq the `hello` counts correspond to; counts deltas are sent only for later events. */
  helloSeq = -1;
  /** Events up to here are not sent again (a client that resumed with a later `since`). */
  skipUpTo = -1;
  /** Events sent live before the client's `resume` (not replayed twice). */
  readonly sentBeforeResume = new Set<number>();
  readonly watching = new Set<string>();
  /** The agent's custom views as last counted (`view:<id>`); empty: none, nothing to recount. */
  customCounts = new Map<string, number>();
  /** A recount of the custom views is queued and has not run yet. */
  recountQueued = false;
  private chain: Promise<void> = Promise.resolve();
  /**
   * Live frames wait here until the client has said whether it resumes: sent before the replay,
   * a newer seq would make the client drop the older replayed frames. Released by `resume`, by
   * any other client frame, or `resumeGraceMs` after `hello`.
   */
  private held: Array<() => void> | null = [];

  constructor(
    public actor: AgentActor,
    readonly socket: WebSocket,
    readonly reauth: () => Promise<AgentActor | null>,
    private readonly log: (err: unknown) => void,
  ) {}

  /** Runs tasks one after another, so replayed and live frames never interleave. */
  enqueue(task: () => Promise<void> | void) {
    this.chain = this.chain.then(task).catch((err) => {
      this.log(err);
      this.close(1011, "server error");
    });
    return this.chain;
  }

  /** A live event's frames: in order, after the replay if the client resumes. */
  deliver(task: () => void) {
    if (this.held) this.held.push(task);
    else this.enqueue(task);
  }

  /** Stops holding live frames (idempotent). */
  release() {
    const held = this.held;
    this.held = null;
    for (const task of held ?? []) this.enqueue(task);
  }

  send(frame: Frame) {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) return this.close(1013, "too slow");
    this.socket.send(JSON.stringify(frame));
  }

  close(code: number, reason: string) {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING)
      this.socket.close(code, reason);
  }

  /** Whether any frame of this event may go to this agent (now, or before it moved away). */
  concerns(e: RealtimeEvent) {
    return canSeeTicket(this.actor, e.scope) || (!!e.move?.before && canSeeTicket(this.actor, e.move.before));
  }

  /** The frames of one event for this agent. */
  framesFor(e: RealtimeEvent, loaded: Loaded, withCounts: boolean): Frame[] {
    const frames: Frame[] = [];
    const t = loaded.ticket;
    const current = t && { teamId: t.team?.id ?? null, assigneeId: t.assignee?.id ?? null };
    if (t && current && canSeeTicket(this.actor, current) && canSeeTicket(this.actor, e.scope)) {
      frames.push({
        type: "ticket",
        seq: e.seq,
        event: e.kind === "ticket.created" ? "created" : "updated",
        ticket: {
          ...t,
          unread: loaded.unread.get(this.actor.userId) ?? false,
          permissions: ticketPermissions(this.actor, t),
        },
        ...(e.changes ? { changes: e.changes } : {}),
      });
      if (loaded.message)
        frames.push({ type: "message", seq: e.seq, ticketId: t.id, message: loaded.message });
    }
    if (withCounts && e.move) {
      const deltas = countDeltas(this.actor, e.move.before, e.move.after);
      if (Object.keys(deltas).length > 0) frames.push({ type: "counts", seq: e.seq, deltas });
    }
    return frames;
  }
}

const hubs = new WeakMap<Services, RealtimeHub>();
/** The hub serving these services (tests and the CLI reach it through here). */
export const hubOf = (services: Services) => hubs.get(services);

/**
 * The realtime side of one server process: publishes this process's domain events through
 * PostgreSQL NOTIFY, receives every process's events, keeps the last RING_SIZE for `resume`,
 * and fans them out to the connected agents who may see them.
 */
export class RealtimeHub {
  readonly processId = randomUUID();
  readonly connections = new Set<Connection>();
  /** How long live frames wait after `hello` for the client's `resume` (see Connection.held). */
  resumeGraceMs = 500;
  readonly presence: Presence;
  /** The notification centre's pushes (modules/notifications). */
  readonly notices: NoticePush;
  private ring: RealtimeEvent[] = [];
  /** Every event with a seq above this is in the ring. */
  private floor = 0;
  lastSeq = 0;
  private incoming: Promise<void> = Promise.resolve();
  private queued: RealtimeEvent[] = [];
  /** Fan-out counters (tests, diagnostics): batches, events fanned out, rows each kind loaded. */
  readonly stats = { batches: 0, events: 0, tickets: 0, messages: 0, unread: 0 };
  private outgoing: Promise<void> = Promise.resolve();
  private pending: Array<Omit<RealtimeEvent, "seq">> = [];
  private cleanups: Array<() => unknown> = [];
  private reauthTimer?: NodeJS.Timeout;

  constructor(
    readonly services: Services,
    readonly log: (msg: string, err?: unknown) => void,
  ) {
    this.presence = new Presence(this);
    this.notices = new NoticePush(this);
    hubs.set(services, this);
  }

  async start() {
    const { database, bus } = this.services;
    const unlisten = await database.listen(EVENTS_CHANNEL, (payload) => this.receive(payload), {
      onReconnect: () => void this.afterLostNotifications(),
    });
    this.cleanups.push(unlisten);
    this.cleanups.push(await this.presence.start());
    this.cleanups.push(await this.notices.start());
    const seq = await currentSeq(this.services.db);
    if (this.ring.length === 0) this.floor = Math.max(this.floor, seq);
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.cleanups.push(bus.subscribe((e) => this.publish(e)));
    this.reauthTimer = setInterval(() => void this.reauthAll(), REAUTH_EVERY_MS);
    this.reauthTimer.unref();
  }

  /**
   * The LISTEN connection dropped and came back: events published meanwhile never reached
   * this process. Nothing before now can be replayed, so every client refetches.
   */
  private async afterLostNotifications() {
    try {
      const seq = await currentSeq(this.services.db);
      this.ring = [];
      this.floor = Math.max(this.floor, seq);
      this.lastSeq = Math.max(this.lastSeq, seq);
    } catch (err) {
      this.log("realtime: reading the event sequence after a reconnect failed", err);
    }
    for (const c of this.connections) c.send({ type: "resync" });
  }

  async stop() {
    clearInterval(this.reauthTimer);
    for (const c of this.connections) c.close(1001, "server shutting down");
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
    await this.outgoing;
    await this.incoming;
  }

  /**
   * Resolves once every event published so far has been sent through NOTIFY (so it has its seq
   * and every process receives it before any event published later, here or elsewhere). The API
   * answers a write only after this (ws.routes.ts): a client that makes its next change through
   * another process, having seen the answer, can never get that change numbered first.
   */
  published(): Promise<void> {
    return this.outgoing;
  }

  /** Domain event of this process -> NOTIFY (in publish order, batched). */
  private publish(e: DomainEvent) {
    const event = toRealtimeEvent(e);
    if (!event) return;
    this.pending.push(event);
    if (this.pending.length > 1) return;
    this.outgoing = this.outgoing.then(async () => {
      const batch = this.pending.splice(0);
      await notifyEvents(this.services.db, batch).catch((err) =>
        this.log(`realtime: NOTIFY failed; connected agents miss ${batch.length} event(s)`, err),
      );
    });
  }

  /**
   * NOTIFY from any process -> ring -> sockets (in seq order). Events that arrive while a batch
   * is being loaded wait in `queued` and go out together as the next batch.
   */
  private receive(payload: string) {
    const event = parseEvent(payload);
    if (!event) return this.log(`realtime: ignored a malformed NOTIFY payload (${payload.length} bytes)`);
    this.queued.push(event);
    if (this.queued.length > 1) return;
    this.incoming = this.incoming.then(async () => {
      while (this.queued.length > 0) {
        const batch = this.queued.splice(0, MAX_BATCH);
        await this.dispatch(batch).catch((err) => this.log("realtime: fan-out failed", err));
      }
    });
  }

  /**
   * One batch of events: into the ring in seq order, then what they need from the database
   * loaded concurrently (a ticket, message or unread flags once per batch however many events
   * and sockets need them), then each socket's frames queued in seq order.
   */
  private async dispatch(events: RealtimeEvent[]) {
    const work: Array<{ e: RealtimeEvent; targets: Connection[] }> = [];
    for (const e of events) {
      if (e.seq <= this.floor) continue;
      this.ring.push(e);
      if (this.ring.length > RING_SIZE) this.floor = this.ring.shift()?.seq ?? this.floor;
      this.lastSeq = Math.max(this.lastSeq, e.seq);
      const targets: Connection[] = [];
      for (const c of this.connections) if (c.concerns(e)) targets.push(c);
      if (targets.length > 0) work.push({ e, targets });
    }
    if (work.length === 0) return;
    this.stats.batches++;
    this.stats.events += work.length;
    const loader = new BatchLoader(this.services.db, this.stats);
    const rows = await Promise.all(
      work.map(({ e, targets }) =>
        loader
          .load(
            e,
            // Unread flags only for the agents who get the ticket frame.
            targets.filter((c) => canSeeTicket(c.actor, e.scope)).map((c) => c.actor.userId),
          )
          .catch((err): Loaded => {
            // Its counts deltas need no rows: they still go out, so no count drifts.
            this.log(`realtime: loading event ${e.seq} failed; only its counts frames are sent`, err);
            return loaded(null, null);
          }),
      ),
    );
    const withViews = new Set<Connection>();
    for (const [i, { e, targets }] of work.entries()) {
      const l = rows[i] ?? loaded(null, null);
      for (const c of targets) {
        c.deliver(() => {
          if (e.seq <= c.skipUpTo) return;
          for (const f of c.framesFor(e, l, e.seq > c.helloSeq)) c.send(f);
          if (e.seq <= c.helloSeq) c.sentBeforeResume.add(e.seq);
        });
        if (c.customCounts.size > 0) withViews.add(c);
      }
    }
    for (const c of withViews) this.recountViews(c);
  }

  /**
   * Recounts a connection's custom views (one statement) and sends them when they changed.
   * Custom views filter on anything (tags, custom fields, SLA state), which an event does not
   * carry, so they are recounted rather than moved by deltas; a burst of events is one recount.
   */
  recountViews(c: Connection) {
    if (c.recountQueued) return;
    c.recountQueued = true;
    void c.enqueue(async () => {
      c.recountQueued = false;
      const counts = await countCustomViews(this.services.db, c.actor, this.services.now()).catch((err) => {
        this.log("realtime: recounting custom views failed", err);
        return null;
      });
      if (!counts) return;
      const changed =
        Object.keys(counts).length !== c.customCounts.size ||
        Object.entries(counts).some(([k, n]) => c.customCounts.get(k) !== n);
      c.customCounts = new Map(Object.entries(counts));
      if (changed) c.send({ type: "view_counts", counts });
    });
  }

  async load(e: RealtimeEvent, userIds: string[]): Promise<Loaded> {
    return new BatchLoader(this.services.db, this.stats).load(e, userIds);
  }

  /** Registers a socket; its first frame is `hello` with the counts as of `helloSeq`. */
  connect(conn: Connection, counts: () => Promise<Record<string, number>>) {
    this.connections.add(conn);
    conn.enqueue(async () => {
      const c = await counts();
      conn.customCounts = new Map(Object.entries(c).filter(([k]) => k.startsWith("view:")));
      conn.helloSeq = this.lastSeq;
      conn.send({ type: "hello", seq: conn.helloSeq, counts: c });
      setTimeout(() => conn.release(), this.resumeGraceMs).unref();
    });
  }

  disconnect(conn: Connection) {
    this.connections.delete(conn);
    this.presence.dropConnection(conn);
  }

  /**
   * The client saw every event up to `since`: replays the ticket and message frames of later
   * events up to `hello` (the counts in `hello` already include them), or sends `resync` when
   * the ring no longer holds them.
   */
  resume(conn: Connection, since: number) {
    conn.enqueue(async () => {
      if (since >= conn.helloSeq) {
        conn.skipUpTo = Math.max(conn.skipUpTo, since);
      } else if (since < this.floor) {
        conn.send({ type: "resync" });
      } else {
        const missed = this.ring.filter(
          (e) =>
            e.seq > since && e.seq <= conn.helloSeq && !conn.sentBeforeResume.has(e.seq) && conn.concerns(e),
        );
        for (const e of missed) {
          const loaded = await this.load(e, [conn.actor.userId]);
          for (const f of conn.framesFor(e, loaded, false)) conn.send(f);
        }
        // Held live frames up to hello were part of the replay.
        conn.skipUpTo = Math.max(conn.skipUpTo, conn.helloSeq);
      }
      conn.sentBeforeResume.clear();
      conn.release();
    });
  }

  /** Checks every socket's credentials again (runs every REAUTH_EVERY_MS). */
  async reauthAll() {
    for (const c of this.connections) {
      await c.enqueue(async () => {
        const fresh = await c.reauth();
        if (!fresh) return c.close(4401, "session ended");
        const changed = fresh.role !== c.actor.role || fresh.teamIds.join() !== c.actor.teamIds.join();
        c.actor = fresh;
        if (changed) c.send({ type: "resync" });
      });
    }
  }
}
