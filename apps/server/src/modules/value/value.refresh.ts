import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";

/**
 * The activity-matrix figures in SQL, set-based: the same rules as the pure functions in
 * rfm.ts (docs/customer-value.md). Two entry points:
 * - `refreshContactValues(tx, ids, now)`: ONE statement for the customers of incoming orders
 *   (scores against the breakpoints the last full recompute left), which also writes a
 *   segment change to the dossier timeline, cancels a planned reminder the purchase made
 *   pointless and marks a reminder converted;
 * - `recomputeAllValues(db, now)`: the nightly recompute, a handful of statements whatever
 *   the number of customers.
 */

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Purchases (not cancelled or refunded) with their amount in the base currency (null: no rate). */
const purchases = (where: SQL) => sql`
  select o.contact_id, o.placed_at,
    case when o.currency = s.base_currency then o.total_minor::float8
         else o.total_minor * (s.rates ->> o.currency)::float8 end as amount
  from orders o cross join value_settings s
  where s.id = 1 and o.status not in ('cancelled', 'refunded') and ${where}`;

/** Per-customer aggregates over `p` (purchases) at `now`. */
const aggregates = (now: Date) => sql`
  g as (
    select p.*, extract(epoch from p.placed_at - lag(p.placed_at) over w) / 86400 as gap,
      row_number() over w as rn
    from p window w as (partition by p.contact_id order by p.placed_at)
  ),
  a as (
    select g.contact_id, count(*)::int as n, min(g.placed_at) as first_at, max(g.placed_at) as last_at,
      max(g.gap) filter (where g.rn = 2) as first_gap,
      percentile_cont(0.5) within group (order by g.gap) filter (where g.gap is not null) as med_gap,
      count(*) filter (where g.placed_at > ${ts(now)} - make_interval(months => s.window_months)
        and g.placed_at <= ${ts(now)})::int as f,
      coalesce(sum(g.amount) filter (where g.placed_at > ${ts(now)} - make_interval(months => s.window_months)
        and g.placed_at <= ${ts(now)}), 0)::float8 as m,
      coalesce(sum(g.amount), 0)::float8 as lifetime
    from g cross join value_settings s where s.id = 1
    group by g.contact_id
  )`;

/** The segment, first match wins (rfm.ts `segmentOf`). */
const SEGMENT = sql`case
    when x.n = 0 or x.last_at is null then 'no_purchase'
    when coalesce(x.fs, 0) >= 4 and coalesce(x.ms, 0) >= 4 and x.d <= x.i then 'vip'
    when x.n >= 2 and x.d <= x.i then 'growing_loyal'
    when x.n = 1 and x.d <= x.i then 'newcomer'
    when x.n >= 2 and x.d > 1.5 * x.i then 'lost'
    when x.n >= 2 then 'lapsing'
    else 'one_off_forgotten' end`;

/** Score against stored breakpoints: 1 + the breakpoints at or below the value. */
const against = (value: SQL, breaks: SQL) => sql`(case when jsonb_array_length(${breaks}) = 0 then null
    else 1 + (select count(*) from jsonb_array_elements(${breaks}) b
      where jsonb_typeof(b) = 'number' and ${value} >= (b #>> '{}')::float8) end)::smallint`;

/**
 * After orders of these customers were written (inside the same transaction): one statement
 * that recomputes their row, records a segment change on their timeline, cancels a planned
 * reminder contact the purchase made moot, and marks their last reminder converted.
 */
export async function refreshContactValues(tx: DbOrTx, contactIds: readonly string[], now: Date) {
  const ids = [...new Set(contactIds)];
  if (ids.length === 0) return;
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  await tx.execute(sql`
    with ids as (select unnest(array[${idList}]) as contact_id),
    p as (${purchases(sql`o.contact_id in (select contact_id from ids)`)}),
    ${aggregates(now)},
    x0 as (
      select ids.contact_id, c.organization_id, coalesce(a.n, 0) as n, a.first_at, a.last_at, a.first_gap,
        coalesce(a.f, 0) as f, coalesce(a.m, 0) as m, coalesce(a.lifetime, 0) as lifetime,
        greatest(1, case when a.n >= 3 then a.med_gap else s.org_interval_days end) as i,
        (a.n >= 3) as own_i,
        extract(epoch from ${ts(now)} - a.last_at) / 86400 as d,
        s.r_breaks, s.f_breaks, s.m_breaks, s.reminder_lead_days, s.reminder_mode
      from ids join contacts c on c.id = ids.contact_id
        left join a on a.contact_id = ids.contact_id
        cross join value_settings s where s.id = 1
    ),
    x as (
      select x0.*,
        case when x0.f > 0 then ${against(sql`extract(epoch from x0.last_at)`, sql`x0.r_breaks`)} end as rs,
        case when x0.f > 0 then ${against(sql`x0.f::float8`, sql`x0.f_breaks`)} end as fs,
        case when x0.f > 0 then ${against(sql`x0.m`, sql`x0.m_breaks`)} end as ms
      from x0
    ),
    old as (select v.contact_id, v.segment from customer_values v where v.contact_id in (select contact_id from ids)),
    up as (
      insert into customer_values as v (contact_id, organization_id, purchases, first_purchase_at, last_purchase_at,
        first_gap_days, frequency, monetary_minor, lifetime_minor, r_score, f_score, m_score, segment,
        interval_days, own_interval, next_reminder_at, updated_at)
      select x.contact_id, x.organization_id, x.n, x.first_at, x.last_at, x.first_gap, x.f, round(x.m)::bigint,
        round(x.lifetime)::bigint, x.rs, x.fs, x.ms, ${SEGMENT}, x.i, coalesce(x.own_i, false),
        case when x.last_at is null or x.reminder_mode = 'off' then null
          else x.last_at + make_interval(secs => greatest(0, x.i - x.reminder_lead_days) * 86400) end,
        ${ts(now)}
      from x
      on conflict (contact_id) do update set organization_id = excluded.organization_id,
        purchases = excluded.purchases, first_purchase_at = excluded.first_purchase_at,
        last_purchase_at = excluded.last_purchase_at, first_gap_days = excluded.first_gap_days,
        frequency = excluded.frequency, monetary_minor = excluded.monetary_minor,
        lifetime_minor = excluded.lifetime_minor, r_score = excluded.r_score, f_score = excluded.f_score,
        m_score = excluded.m_score, segment = excluded.segment, interval_days = excluded.interval_days,
        own_interval = excluded.own_interval,
        next_reminder_at = case
          when exists (select 1 from value_reminders r where r.contact_id = excluded.contact_id
            and r.last_purchase_at = excluded.last_purchase_at) then null
          else excluded.next_reminder_at end,
        updated_at = excluded.updated_at
      returning v.contact_id, v.segment, v.last_purchase_at
    ),
    ev as (
      insert into contact_events (contact_id, type, actor_type, data, search_text, created_at)
      select up.contact_id, 'value.segment_changed', 'system',
        jsonb_build_object('from', coalesce(old.segment, 'no_purchase'), 'to', up.segment),
        'segment ' || replace(up.segment, '_', ' '), ${ts(now)}
      from up left join old on old.contact_id = up.contact_id
      where coalesce(old.segment, 'no_purchase') <> up.segment
      returning 1
    ),
    moot as (
      update planned_contacts pc set status = 'cancelled', updated_at = ${ts(now)}
      from value_reminders r join up on up.contact_id = r.contact_id
      where pc.id = r.planned_contact_id and pc.status = 'planned'
        and up.last_purchase_at > r.last_purchase_at
      returning 1
    ),
    converted as (
      update value_reminders r set converted_at = up.last_purchase_at
      from up
      where r.contact_id = up.contact_id and r.converted_at is null
        and up.last_purchase_at > r.created_at
        and up.last_purchase_at <= r.created_at + make_interval(secs => r.interval_days * 86400)
      returning 1
    )
    select (select count(*) from ev) as segment_changes, (select count(*) from moot) as cancelled,
      (select count(*) from converted) as converted`);
}

/**
 * Piercy's relationship type suggested from behaviour, first match wins (docs/customer-value.md):
 * exploiter: 2+ purchases, most of them with a discount or a coupon; one-time user: one purchase,
 * with a discount or never repeated within the interval; seeker: frequent (2+ purchases in the
 * window) and engaged (2+ conversations or answered surveys in the window); loyal: frequent and
 * less engaged. Otherwise no suggestion.
 */
const SUGGESTION = sql`case
    when y.n >= 2 and 2 * y.discounted > y.n then 'exploiter'
    when y.n = 1 and (y.discounted > 0 or y.segment = 'one_off_forgotten') then 'one_time'
    when y.f >= 2 and y.engaged >= 2 then 'seeker'
    when y.f >= 2 then 'loyal' end`;

/** SUGGESTION for the customers (`customer_values v`) that `where` picks: contact_id, sug. */
const suggestions = (now: Date, where: SQL) => sql`
  select y.contact_id, ${SUGGESTION} as sug from (
    select v.contact_id, v.purchases as n, v.frequency as f, v.segment,
      (select count(*) from orders o where o.contact_id = v.contact_id
        and o.status not in ('cancelled', 'refunded')
        and (o.discount_minor > 0 or coalesce(o.coupon, '') <> ''))::int as discounted,
      ((select count(*) from tickets t where t.requester_id = v.contact_id
          and t.created_at > ${ts(now)} - make_interval(months => s.window_months))
        + (select count(*) from csat_surveys cs join tickets t on t.id = cs.ticket_id
          where t.requester_id = v.contact_id
            and cs.rated_at > ${ts(now)} - make_interval(months => s.window_months)))::int as engaged
    from customer_values v cross join value_settings s where s.id = 1 and ${where}
  ) y`;

/** The relationship type Rapport suggests for one customer now (null: none yet). */
export async function suggestRelationship(db: DbOrTx, contactId: string, now: Date): Promise<string | null> {
  const res = await db.execute(suggestions(now, sql`v.contact_id = ${contactId}::uuid`));
  const row = (res as unknown as { rows: Array<{ sug: string | null }> }).rows[0];
  return row?.sug ?? null;
}

const SCORE = (col: string) =>
  sql.raw(`case when f > 0 then (1 + floor(5 * (rank() over (partition by (f > 0) order by ${col}) - 1)::float8
    / count(*) over (partition by (f > 0))))::smallint end`);

/**
 * The nightly recompute, set-based: every customer's aggregates and exact quintile scores in
 * one pass, then the organization's interval and the breakpoints the incremental refresh uses,
 * then one upsert (with the segment changes on the timeline), the customers whose purchases
 * were all cancelled, the suggested relationship types, and this quarter's segment
 * counts. Returns the number of customers.
 */
export async function recomputeAllValues(
  db: DbOrTx,
  now: Date,
): Promise<{ customers: number; changed: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`insert into value_settings (id) values (1) on conflict do nothing`);
    await tx.execute(sql`drop table if exists value_tmp`);
    await tx.execute(sql`
      create temp table value_tmp on commit drop as
      with p as (${purchases(sql`true`)}),
      ${aggregates(now)}
      select a.*, extract(epoch from a.last_at)::float8 as r_value,
        ${SCORE("last_at")} as rs, ${SCORE("f")} as fs, ${SCORE("m")} as ms
      from a`);
    await tx.execute(sql`
      update value_settings s set
        org_interval_days = coalesce((select case when count(t.first_gap) < s.min_customers_for_org_interval
            then s.default_interval_days::float8
            else percentile_cont(0.5) within group (order by t.first_gap) end from value_tmp t),
          s.default_interval_days),
        r_breaks = (select jsonb_build_array(min(r_value) filter (where rs >= 2), min(r_value) filter (where rs >= 3),
          min(r_value) filter (where rs >= 4), min(r_value) filter (where rs >= 5)) from value_tmp),
        f_breaks = (select jsonb_build_array(min(f) filter (where fs >= 2), min(f) filter (where fs >= 3),
          min(f) filter (where fs >= 4), min(f) filter (where fs >= 5)) from value_tmp),
        m_breaks = (select jsonb_build_array(min(m) filter (where ms >= 2), min(m) filter (where ms >= 3),
          min(m) filter (where ms >= 4), min(m) filter (where ms >= 5)) from value_tmp),
        recomputed_at = ${ts(now)}
      where s.id = 1`);
    const res = await tx.execute(sql`
      with x as (
        select t.contact_id, c.organization_id, t.n, t.first_at, t.last_at, t.first_gap, t.f, t.m, t.lifetime,
          t.rs, t.fs, t.ms, greatest(1, case when t.n >= 3 then t.med_gap else s.org_interval_days end) as i,
          (t.n >= 3) as own_i, extract(epoch from ${ts(now)} - t.last_at) / 86400 as d,
          s.reminder_lead_days, s.reminder_mode
        from value_tmp t join contacts c on c.id = t.contact_id cross join value_settings s where s.id = 1
      ),
      old as (select v.contact_id, v.segment from customer_values v),
      up as (
        insert into customer_values as v (contact_id, organization_id, purchases, first_purchase_at, last_purchase_at,
          first_gap_days, frequency, monetary_minor, lifetime_minor, r_score, f_score, m_score, segment,
          interval_days, own_interval, next_reminder_at, updated_at)
        select x.contact_id, x.organization_id, x.n, x.first_at, x.last_at, x.first_gap, x.f, round(x.m)::bigint,
          round(x.lifetime)::bigint, x.rs, x.fs, x.ms, ${SEGMENT}, x.i, x.own_i,
          case when x.reminder_mode = 'off' or exists (select 1 from value_reminders r
              where r.contact_id = x.contact_id and r.last_purchase_at = x.last_at) then null
            else x.last_at + make_interval(secs => greatest(0, x.i - x.reminder_lead_days) * 86400) end,
          ${ts(now)}
        from x
        on conflict (contact_id) do update set organization_id = excluded.organization_id,
          purchases = excluded.purchases, first_purchase_at = excluded.first_purchase_at,
          last_purchase_at = excluded.last_purchase_at, first_gap_days = excluded.first_gap_days,
          frequency = excluded.frequency, monetary_minor = excluded.monetary_minor,
          lifetime_minor = excluded.lifetime_minor, r_score = excluded.r_score, f_score = excluded.f_score,
          m_score = excluded.m_score, segment = excluded.segment, interval_days = excluded.interval_days,
          own_interval = excluded.own_interval, next_reminder_at = excluded.next_reminder_at,
          updated_at = excluded.updated_at
        returning v.contact_id, v.segment
      ),
      ev as (
        insert into contact_events (contact_id, type, actor_type, data, search_text, created_at)
        select up.contact_id, 'value.segment_changed', 'system',
          jsonb_build_object('from', coalesce(old.segment, 'no_purchase'), 'to', up.segment),
          'segment ' || replace(up.segment, '_', ' '), ${ts(now)}
        from up left join old on old.contact_id = up.contact_id
        where coalesce(old.segment, 'no_purchase') <> up.segment
        returning 1
      )
      select (select count(*) from up)::int as customers, (select count(*) from ev)::int as changed`);
    // Customers whose every order was cancelled or refunded since: no purchase any more.
    await tx.execute(sql`
      with gone as (
        update customer_values v set purchases = 0, first_purchase_at = null, last_purchase_at = null,
          first_gap_days = null, frequency = 0, monetary_minor = 0, lifetime_minor = 0, r_score = null,
          f_score = null, m_score = null, segment = 'no_purchase', next_reminder_at = null, updated_at = ${ts(now)}
        where v.purchases > 0 and not exists (select 1 from value_tmp t where t.contact_id = v.contact_id)
        returning v.contact_id
      )
      insert into contact_events (contact_id, type, actor_type, data, search_text, created_at)
      select gone.contact_id, 'value.segment_changed', 'system', jsonb_build_object('to', 'no_purchase'),
        'segment no purchase', ${ts(now)} from gone`);
    await tx.execute(sql`
      update customer_values v set relationship_suggested = x.sug
      from (${suggestions(now, sql`(v.purchases > 0 or v.relationship_suggested is not null)`)}) x
      where x.contact_id = v.contact_id and v.relationship_suggested is distinct from x.sug`);
    await tx.execute(sql`
      insert into rfm_snapshots (quarter, segment, customers, updated_at)
      select to_char(${ts(now)} at time zone 'UTC', 'YYYY-"Q"Q'), v.segment, count(*)::int, ${ts(now)}
      from customer_values v where v.purchases > 0 group by v.segment
      on conflict (quarter, segment) do update set customers = excluded.customers, updated_at = excluded.updated_at`);
    const row = (res as unknown as { rows: Array<{ customers: number; changed: number }> }).rows[0];
    return { customers: Number(row?.customers ?? 0), changed: Number(row?.changed ?? 0) };
  });
}
