import type { SQL } from "drizzle-orm";
import type { JobItem } from "../jobs/queue.ts";
import type { DbOrTx } from "./client.ts";

/**
 * Writes a unit of work (modules/tickets/unit-of-work.ts) makes at the end, in one statement
 * with its timeline events (decision 0010): jobs enqueued through its transaction and
 * data-modifying statements whose result nobody in the unit reads again (a webhook delivery
 * row, a routing cursor, a ticket's next due time). They commit with the change, or not at all.
 */
export type Deferred = { jobs: JobItem[]; writes: SQL[] };

const units = new WeakMap<DbOrTx, Deferred>();

/** From now on, writes deferred through `tx` are collected in `into`. */
export function deferThrough(tx: DbOrTx, into: Deferred): void {
  units.set(tx, into);
}

/** Where `tx` collects deferred writes, if it belongs to a unit of work. */
export function deferredOf(tx: DbOrTx): Deferred | undefined {
  return units.get(tx);
}

/**
 * Runs `stmt` now, or, inside a unit of work, with the unit's last statement. Only for writes
 * that nothing in the unit reads back and that no other deferred write touches (PostgreSQL
 * applies one change per row and statement).
 */
export async function writeLater(tx: DbOrTx, stmt: SQL): Promise<void> {
  const unit = units.get(tx);
  if (unit) unit.writes.push(stmt);
  else await tx.execute(stmt);
}
