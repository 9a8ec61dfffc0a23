import { getTableColumns, sql, type Table } from "drizzle-orm";
import { triggers } from "../automations/automations.table.ts";
import { csatSettings } from "../csat/csat.table.ts";
import { customFieldDefinitions } from "../fields/fields.table.ts";
import { businessCalendars, slaPolicies } from "../sla/sla.table.ts";
import type { webhooks } from "../webhooks/webhooks.table.ts";
import type { Uow } from "./unit-of-work.ts";

/**
 * The settings the ticket steps read (active triggers, SLA policies and calendars, webhook
 * subscriptions, ticket field definitions, survey settings), read in one statement once per unit of work:
 * a write sees the settings as they were when it started, like any other row it reads.
 */
export type PipelineSettings = {
  triggers: Array<typeof triggers.$inferSelect>;
  policies: Array<typeof slaPolicies.$inferSelect>;
  calendars: Array<typeof businessCalendars.$inferSelect>;
  webhooks: Array<Pick<typeof webhooks.$inferSelect, "id" | "events">>;
  ticketFields: Array<typeof customFieldDefinitions.$inferSelect>;
  /** The survey settings row (undefined until an admin saves one). */
  csat: typeof csatSettings.$inferSelect | undefined;
};

/** A row read as JSON back in the shape drizzle gives it (property names, dates). */
export function rowFromJson<T extends Table>(table: T, json: Record<string, unknown>): T["$inferSelect"] {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    const v = json[col.name];
    out[key] = v !== null && v !== undefined && col.dataType === "date" ? new Date(v as string) : v;
  }
  return out as T["$inferSelect"];
}

type Raw = Record<Exclude<keyof PipelineSettings, "csat">, Array<Record<string, unknown>> | null> & {
  csat: Record<string, unknown> | null;
};

export function pipelineSettings(uow: Uow): Promise<PipelineSettings> {
  return uow.memo("pipeline:settings", async () => {
    const res = await uow.tx.execute(sql`select
      (select json_agg(t order by t.position, t.created_at) from triggers t where t.active) as triggers,
      (select json_agg(p order by p.position, p.created_at) from sla_policies p
        where p.active or p.is_default) as policies,
      (select json_agg(c) from business_calendars c) as calendars,
      (select json_agg(json_build_object('id', w.id, 'events', w.events)) from webhooks w
        where w.active) as webhooks,
      (select json_agg(f order by f.position, f.created_at) from custom_field_definitions f
        where f.entity = 'ticket') as "ticketFields",
      (select row_to_json(s) from csat_settings s where s.id = 1) as csat`);
    const raw = (res as unknown as { rows: Raw[] }).rows[0];
    return {
      triggers: (raw?.triggers ?? []).map((r) => rowFromJson(triggers, r)),
      policies: (raw?.policies ?? []).map((r) => rowFromJson(slaPolicies, r)),
      calendars: (raw?.calendars ?? []).map((r) => rowFromJson(businessCalendars, r)),
      webhooks: (raw?.webhooks ?? []).map((r) => ({ id: String(r.id), events: r.events as string[] })),
      ticketFields: (raw?.ticketFields ?? []).map((r) => rowFromJson(customFieldDefinitions, r)),
      csat: raw?.csat ? rowFromJson(csatSettings, raw.csat) : undefined,
    };
  });
}
