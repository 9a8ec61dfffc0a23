import { sql } from "drizzle-orm";
import { type Actor, actorRef } from "../../auth/actor.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { type Deferred, deferThrough } from "../../db/deferred.ts";
import { insertJobs } from "../../jobs/queue.ts";
import { type DomainEvent, EventBus } from "../../realtime/bus.ts";
import { ticketEvents } from "./tickets.table.ts";

type TimelineEvent = {
  ticketId: string;
  type: string;
  data: Record<string, unknown>;
  actor: Actor;
  at?: Date;
};

/**
 * One command's transaction (decision 0010). `ctx` is the caller's context bound to the
 * transaction: `ctx.db` is the transaction and `ctx.bus` collects domain events, which are
 * published on the real bus only after the commit (nothing is announced for a rollback).
 * Timeline events are buffered and written in one statement when the work is done; jobs for
 * side effects enqueued through `tx` are collected and written in that same statement (outbox),
 * so they commit with the change.
 * `memo` holds what several steps read once per unit (triggers, SLA policies, subscriptions).
 */
export interface Uow {
  tx: DbOrTx;
  ctx: Ctx;
  /** Replaying history (the demo seed): steps that send or notify (mail, webhooks) do nothing. */
  quiet: boolean;
  /** Publishes after commit. */
  publish(event: DomainEvent): void;
  /** A timeline event, written with the others before the commit. */
  record(ticketId: string, type: string, data?: Record<string, unknown>, actor?: Actor): void;
  /**
   * Work to do once before the commit, whatever asks for it how often (`key` de-duplicates):
   * a ticket's next due time refreshed once, all webhook deliveries in one insert.
   */
  beforeCommit(key: string, fn: () => Promise<void>): void;
  /** Runs the work above and writes the buffered timeline events now (the commit does it too). */
  flush(): Promise<void>;
  /** A value read once per unit of work. */
  memo<T>(key: string, load: () => Promise<T>): Promise<T>;
}

type Shared = {
  tx: DbOrTx;
  quiet: boolean;
  events: DomainEvent[];
  bus: EventBus;
  timeline: TimelineEvent[];
  memos: Map<string, Promise<unknown>>;
  pending: Map<string, () => Promise<void>>;
  /** Jobs and writes deferred through `tx`, written with the timeline events (db/deferred.ts). */
  deferred: Deferred;
};

/** A view of one unit of work for one caller's context (its actor and clock). */
function view(shared: Shared, outer: Ctx): Uow {
  const ctx: Ctx = { ...outer, db: shared.tx, bus: shared.bus };
  const { tx, timeline, memos, pending, deferred } = shared;
  return {
    tx,
    ctx,
    quiet: shared.quiet,
    publish: (e) => void shared.events.push(e),
    record: (ticketId, type, data = {}, actor = ctx.actor) =>
      void timeline.push({ ticketId, type, data, actor, at: ctx.now() }),
    beforeCommit: (key, fn) => {
      if (!pending.has(key)) pending.set(key, fn);
    },
    flush: async () => {
      // Work may ask for more work (webhook deliveries enqueue jobs): until none is left.
      for (let next = pending.entries().next(); !next.done; next = pending.entries().next()) {
        const [key, fn] = next.value;
        pending.delete(key);
        await fn();
      }
      const rows = timeline.splice(0);
      const events =
        rows.length === 0
          ? undefined
          : tx.insert(ticketEvents).values(
              rows.map((e) => ({
                ticketId: e.ticketId,
                type: e.type,
                data: e.data,
                ...actorRef(e.actor),
                ...(e.at ? { createdAt: e.at } : {}),
              })),
            );
      // The unit's timeline events, deferred writes and jobs in one statement.
      const writes = [...(events ? [events.getSQL()] : []), ...deferred.writes.splice(0)];
      if (deferred.jobs.length > 0) await insertJobs(tx, deferred.jobs.splice(0), writes);
      else if (writes.length === 1 && writes[0]) await tx.execute(writes[0]);
      else if (writes.length > 1)
        await tx.execute(
          sql`with ${sql.join(
            writes.map((w, n) => sql`${sql.raw(`w${n}`)} as (${w})`),
            sql`, `,
          )} select 1`,
        );
    },
    memo: <T>(key: string, load: () => Promise<T>) => {
      let p = memos.get(key) as Promise<T> | undefined;
      if (!p) {
        p = load();
        memos.set(key, p);
      }
      return p;
    },
  };
}

const active = new WeakMap<DbOrTx, Shared>();

/**
 * Runs `fn` as one unit of work. Called with a context bound to a unit of work already (its
 * `ctx.db` is that transaction), it joins it with the caller's actor and clock instead of
 * opening a nested transaction. `syncCommit: false` lets the commit skip the WAL flush (work
 * that can be redone from a durable row); `quiet` replays history without sending anything.
 */
export async function withTransaction<T>(
  ctx: Ctx,
  fn: (uow: Uow) => Promise<T>,
  opts: { actor?: Actor; syncCommit?: boolean; quiet?: boolean } = {},
): Promise<T> {
  const base = opts.actor ? { ...ctx, actor: opts.actor } : ctx;
  const joined = active.get(ctx.db);
  if (joined) return fn(view(joined, base));
  const events: DomainEvent[] = [];
  const result = await ctx.db.transaction(async (tx) => {
    if (opts.syncCommit === false) await tx.execute(sql`set local synchronous_commit = off`);
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    const shared: Shared = {
      tx,
      quiet: opts.quiet ?? false,
      events,
      bus,
      timeline: [],
      memos: new Map(),
      pending: new Map(),
      deferred: { jobs: [], writes: [] },
    };
    active.set(tx, shared);
    deferThrough(tx, shared.deferred);
    const uow = view(shared, base);
    const out = await fn(uow);
    await uow.flush();
    return out;
  });
  for (const e of events) ctx.bus.publish(e);
  return result;
}

/** The same unit of work, acting as `actor` (e.g. the system writing a note for a trigger). */
export function actingAs(uow: Uow, actor: Actor): Uow {
  const shared = active.get(uow.tx);
  if (!shared) throw new Error("not a unit of work");
  return view(shared, { ...uow.ctx, actor });
}
