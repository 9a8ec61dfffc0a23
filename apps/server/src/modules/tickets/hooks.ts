import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { TCreateTicket } from "./tickets.schema.ts";
import type { tickets } from "./tickets.table.ts";

type Row = typeof tickets.$inferSelect;
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
