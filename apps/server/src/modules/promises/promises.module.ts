import { sql } from "drizzle-orm";
import { seesAllTickets, ticketScope } from "../../auth/policies.ts";
import { addTimelineSource } from "../dossier/dossier.service.ts";
import type { RapportModule } from "../registry.ts";
import { promisesRoutes } from "./promises.routes.ts";

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
