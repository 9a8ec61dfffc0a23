import { sql } from "drizzle-orm";
import { seesAllTickets, ticketScope } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";
import { addTimelineSource } from "../dossier/dossier.service.ts";
import type { RapportModule } from "../registry.ts";
import { addTicketHook, type TicketChanges } from "../tickets/hooks.ts";
import type { TicketRow } from "../tickets/tickets.service.ts";
import { promisesRoutes } from "./promises.routes.ts";
import { openPromisesOf } from "./promises.service.ts";

/** The confirmations a ticket update carries (`confirm` in PATCH /tickets/:id). */
export const confirmationsOf = (ctx: Ctx): string[] =>
  (ctx as Ctx & { confirmations?: string[] }).confirmations ?? [];

/**
 * Solving (or closing) a ticket with an open promise needs the agent's confirmation: the
 * update is refused with 409 `conflict` (details.reason "open_promises", the promises) unless
 * it carries confirm: ["open_promises"]. Automations (the system actor) are not asked.
 */
export async function confirmSolveWithPromises(
  tx: DbOrTx,
  ctx: Ctx,
  _prev: TicketRow,
  ticket: TicketRow,
  changes: TicketChanges,
) {
  if (!("status" in changes) || !["solved", "closed"].includes(ticket.status)) return;
  if (ctx.actor.kind !== "agent" || confirmationsOf(ctx).includes("open_promises")) return;
  const open = await openPromisesOf(tx, ticket.id);
  if (open.length === 0) return;
  throw new AppError(
    "conflict",
    409,
    "This ticket has open promises to the customer; confirm to solve it anyway",
    {
      reason: "open_promises",
      promises: open.map((p) => ({ id: p.id, kind: p.kind, dueAt: p.dueAt.toISOString() })),
    },
  );
}
addTicketHook("updated", confirmSolveWithPromises);

addTimelineSource({
  kind: "promise",
  build: ({ actor, contactId, keyset, limit, like, channel }) => {
    if (channel) return null;
    const scope = seesAllTickets(actor)
      ? sql`true`
      : sql`(p.ticket_id is null or exists (select 1 from tickets where tickets.id = p.ticket_id and ${ticketScope(actor) ?? sql`true`}))`;
    const search = like ? sql`lower(unaccent(p.description)) like ${like}` : sql`true`;
    return sql`(select 'promise' as kind, p.id::text as id, p.created_at as at, null::text as channel,
        p.ticket_id as ticket_id, t.number as ticket_number, t.subject as ticket_subject,
        p.status as type, false as internal, p.description as text,
        jsonb_build_object('kind', p.kind, 'dueAt', p.due_at, 'ownerId', p.owner_id, 'amountMinor', p.amount_minor,
          'currency', p.currency, 'percent', p.percent, 'keptOnTime', p.kept_on_time, 'completedAt', p.completed_at) as data,
        p.created_by_id as actor_id
      from promises p left join tickets t on t.id = p.ticket_id
      where p.contact_id = ${contactId} and ${scope} and ${search}
        and ${keyset(sql`p.created_at`, "promise", sql`p.id::text`)}
      order by p.created_at desc, p.id::text desc limit ${limit})`;
  },
});

export const promisesModule: RapportModule = {
  name: "promises",
  routes: promisesRoutes,
};
