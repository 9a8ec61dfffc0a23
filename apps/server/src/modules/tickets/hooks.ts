import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { TCreateTicket } from "./tickets.schema.ts";
import type { messages, tickets } from "./tickets.table.ts";

type Row = typeof tickets.$inferSelect;
type MessageRow = typeof messages.$inferSelect;
export type TicketChanges = Record<string, { from: unknown; to: unknown }>;

/**
 * Extension points inside the ticket transactions. Other modules (SLA clocks, routing,
 * triggers, custom fields) push a hook when they load; every hook runs in the same
 * transaction as the change, so its writes and jobs commit or roll back with it.
 */
export interface TicketHooks {
  /** Before the insert: validate or complete the input (custom fields). Throw AppError to refuse. */
  beforeCreate: Array<(tx: DbOrTx, ctx: Ctx, input: TCreateTicket) => Promise<void>>;
  /** After the ticket and its first message are written. */
  created: Array<(tx: DbOrTx, ctx: Ctx, ticket: Row) => Promise<void>>;
  /** After an update that changed something; `ticket` is the row as it is now. */
  updated: Array<(tx: DbOrTx, ctx: Ctx, prev: Row, ticket: Row, changes: TicketChanges) => Promise<void>>;
}

export const ticketHooks: TicketHooks = { beforeCreate: [], created: [], updated: [] };

/** Adds a hook once (module files can be loaded more than once by tests). */
export function addTicketHook<K extends keyof TicketHooks>(kind: K, hook: TicketHooks[K][number]) {
  const list = ticketHooks[kind] as Array<TicketHooks[K][number]>;
  if (!list.includes(hook)) list.push(hook);
}

/**
 * Batch creation (the email channel's bulk ingestion, decision 0009): many tickets, each with
 * its first public customer message, written with one statement per table. A module whose
 * per-ticket hooks (created, message, beforeCreate) act on such tickets registers one batch
 * hook doing the same work for the whole batch, naming the per-ticket hooks it stands for.
 * A hook that does nothing for a new customer ticket is registered with `null`. The batch
 * path runs only while every registered hook is covered: a module that adds a hook and no
 * batch form makes the channel fall back to one ticket at a time, never skips the hook.
 */
export type CreatedBatchItem = { ticket: Row; message: MessageRow };
export type BatchHooks = {
  beforeCreate: Array<(tx: DbOrTx, ctx: Ctx, inputs: TCreateTicket[]) => Promise<void>>;
  created: Array<(tx: DbOrTx, ctx: Ctx, items: CreatedBatchItem[]) => Promise<void>>;
};
export const batchHooks: BatchHooks = { beforeCreate: [], created: [] };
// biome-ignore lint/complexity/noBannedTypes: hooks of several signatures are covered alike
const covered = new Set<Function>();

export function addBatchHook<K extends keyof BatchHooks>(
  kind: K,
  // biome-ignore lint/complexity/noBannedTypes: see `covered`
  replaces: Function[],
  hook: BatchHooks[K][number] | null,
) {
  for (const f of replaces) covered.add(f);
  const list = batchHooks[kind] as Array<BatchHooks[K][number]>;
  if (hook && !list.includes(hook)) list.push(hook);
}

/** Whether every per-ticket hook in force has a batch form (else: one ticket at a time). */
// biome-ignore lint/complexity/noBannedTypes: see `covered`
export function batchCovers(messageHooks: readonly Function[]): boolean {
  return [...ticketHooks.beforeCreate, ...ticketHooks.created, ...messageHooks].every((h) => covered.has(h));
}
