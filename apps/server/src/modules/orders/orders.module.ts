import { sql } from "drizzle-orm";
import { addMergeHook, type MergeHook } from "../contacts/contacts.merge.ts";
import { addTimelineSource } from "../dossier/dossier.service.ts";
import type { RapportModule } from "../registry.ts";
import { refreshContactValues } from "../value/value.refresh.ts";
import { ordersRoutes } from "./orders.routes.ts";

/** A merge moves the duplicates' orders, points and reminders, then recomputes the survivor's value. */
const moveOrders: MergeHook = async (tx, ctx, survivorId, sourceIds) => {
  await tx.execute(sql`update orders set contact_id = ${survivorId} where contact_id in ${sourceIds}`);
  await tx.execute(
    sql`update loyalty_ledger set contact_id = ${survivorId} where contact_id in ${sourceIds}`,
  );
  await tx.execute(sql`delete from value_reminders r where r.contact_id in ${sourceIds}
    and exists (select 1 from value_reminders s where s.contact_id = ${survivorId} and s.last_purchase_at = r.last_purchase_at)`);
  await tx.execute(
    sql`update value_reminders set contact_id = ${survivorId} where contact_id in ${sourceIds}`,
  );
  await tx.execute(sql`update customer_values v set
      points = v.points + coalesce((select sum(s.points) from customer_values s where s.contact_id in ${sourceIds}), 0)
    where v.contact_id = ${survivorId}`);
  await tx.execute(sql`insert into customer_values (contact_id, points)
    select ${survivorId}, coalesce(sum(points), 0)::int from customer_values where contact_id in ${sourceIds}
    having count(*) > 0 on conflict (contact_id) do nothing`);
  await tx.execute(sql`delete from customer_values where contact_id in ${sourceIds}`);
  await refreshContactValues(tx, [survivorId], ctx.now());
};
addMergeHook(moveOrders);

/** Orders on the dossier timeline (placed time; purchases and cancelled/refunded alike). */
addTimelineSource({
  kind: "order",
  build: ({ contactId, keyset, limit, like, channel }) => {
    if (channel) return null;
    const search = like
      ? sql`(lower(o.number) like ${like} or lower(coalesce(o.coupon, '')) like ${like})`
      : sql`true`;
    return sql`(select 'order' as kind, o.id::text as id, o.placed_at as at, null::text as channel,
        null::uuid as ticket_id, null::bigint as ticket_number, null::text as ticket_subject,
        o.status as type, false as internal, o.number as text,
        jsonb_build_object('currency', o.currency, 'totalMinor', o.total_minor, 'items', jsonb_array_length(o.items),
          'channel', o.channel, 'coupon', o.coupon) as data,
        null::uuid as actor_id
      from orders o
      where o.contact_id = ${contactId} and ${search} and ${keyset(sql`o.placed_at`, "order", sql`o.id::text`)}
      order by o.placed_at desc, o.id::text desc limit ${limit})`;
  },
});

export const ordersModule: RapportModule = {
  name: "orders",
  routes: ordersRoutes,
};
