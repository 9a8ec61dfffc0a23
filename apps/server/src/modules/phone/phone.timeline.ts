import { sql } from "drizzle-orm";
import { can, ticketScope } from "../../auth/policies.ts";
import { addTimelineSource } from "../dossier/dossier.service.ts";

/**
 * The customer's timeline shows their calls (kind "call", channel "phone") and their
 * call-back requests (kind "callback"); a call on a ticket the reader cannot see is left
 * out, like the ticket's messages.
 */
export function registerPhoneTimeline() {
  addTimelineSource({
    kind: "call",
    build: ({ actor, contactId, keyset, limit, like, channel }) => {
      if (channel && channel !== "phone") return null;
      const scope = ticketScope(actor);
      const visible = scope ? sql`(c.ticket_id is null or ${scope})` : sql`true`;
      const search = like ? sql`lower(unaccent(c.notes || ' ' || c.phone)) like ${like}` : sql`true`;
      return sql`(select 'call' as kind, c.id::text as id, c.started_at as at, 'phone' as channel,
          c.ticket_id as ticket_id, tickets.number as ticket_number, tickets.subject as ticket_subject,
          c.direction as type, false as internal, left(c.notes, 500) as text,
          jsonb_build_object('direction', c.direction, 'phone', c.phone, 'durationSeconds', c.duration_seconds,
            'outcome', c.outcome, 'callbackId', c.callback_id) as data,
          c.agent_id as actor_id
        from calls c left join tickets on tickets.id = c.ticket_id
        where c.contact_id = ${contactId} and ${visible} and ${search}
          and ${keyset(sql`c.started_at`, "call", sql`c.id::text`)}
        order by c.started_at desc, c.id::text desc limit ${limit})`;
    },
  });
  addTimelineSource({
    kind: "callback",
    build: ({ actor, contactId, keyset, limit, like, channel }) => {
      if (channel && channel !== "phone") return null;
      const agentScope =
        actor.kind === "system" || can(actor, "tickets.readAll")
          ? sql`true`
          : sql`(cb.team_id is null or cb.assignee_id = ${actor.userId}${
              actor.teamIds.length ? sql` or cb.team_id in ${actor.teamIds}` : sql``
            })`;
      const search = like ? sql`lower(unaccent(cb.topic || ' ' || cb.phone)) like ${like}` : sql`true`;
      return sql`(select 'callback' as kind, cb.id::text as id, cb.created_at as at, 'phone' as channel,
          cb.ticket_id as ticket_id, tickets.number as ticket_number, tickets.subject as ticket_subject,
          cb.status as type, false as internal, left(cb.topic, 500) as text,
          jsonb_build_object('phone', cb.phone, 'source', cb.source, 'dueAt', cb.due_at, 'windowStart', cb.window_start,
            'windowEnd', cb.window_end, 'outcome', cb.outcome, 'attempts', cb.attempts) as data,
          coalesce(cb.assignee_id, cb.created_by_id) as actor_id
        from callbacks cb left join tickets on tickets.id = cb.ticket_id
        where cb.contact_id = ${contactId} and ${agentScope} and ${search}
          and ${keyset(sql`cb.created_at`, "callback", sql`cb.id::text`)}
        order by cb.created_at desc, cb.id::text desc limit ${limit})`;
    },
  });
}
