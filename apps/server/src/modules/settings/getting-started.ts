import { GETTING_STARTED_STEPS, type GettingStartedStep } from "@rapport/shared";
import { eq, sql } from "drizzle-orm";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { settings } from "./settings.table.ts";

export type TGettingStarted = {
  steps: Array<{ key: GettingStartedStep; done: boolean }>;
  dismissed: boolean;
};

/**
 * Whether some active mailbox can send mail (has an outbound SMTP server). Without one, an
 * agent's email reply would be queued and then fail, and the web form cannot promise an answer
 * by email: the reply box warns before sending and the form words its promise accordingly.
 */
export async function mailCanSend(db: DbOrTx): Promise<boolean> {
  const res = await db.execute(
    sql`select exists(select 1 from mailboxes where active and smtp_host is not null) as "canSend"`,
  );
  return Boolean((res as unknown as { rows: Array<{ canSend: boolean }> }).rows[0]?.canSend);
}

/** GET /email/sending: for every agent (the reply box reads it). */
export async function emailSending(ctx: Ctx) {
  requireAgent(ctx.actor);
  return { canSend: await mailCanSend(ctx.db) };
}

/**
 * The new organization's checklist, each step read from the data it is about (one statement):
 * a mailbox that can send, a second person on the team, business hours or an SLA policy of the
 * admin's own (the built-in defaults, created on the first ticket, count once edited), a chat
 * widget site, a web form submission, contacts imported, a first ticket. Admins only.
 */
export async function gettingStarted(ctx: Ctx): Promise<TGettingStarted> {
  requireCan(ctx.actor, "settings.manage");
  const res = await ctx.db.execute(sql`select
    exists(select 1 from mailboxes where active and smtp_host is not null) as mailbox,
    (select count(*) from users where active) > 1 as agents,
    exists(select 1 from business_calendars where not is_default or updated_at > created_at)
      or exists(select 1 from sla_policies where not is_default or updated_at > created_at) as hours,
    exists(select 1 from chat_sites where active) as widget,
    exists(select 1 from form_submissions where outcome = 'accepted') as "webForm",
    exists(select 1 from imports where entity = 'contact' and status = 'imported') as contacts,
    exists(select 1 from tickets) as "testTicket",
    (select getting_started_dismissed_at is not null from settings where id = 1) as dismissed`);
  const row = (res as unknown as { rows: Array<Record<string, boolean | null>> }).rows[0];
  if (!row || row.dismissed === null) throw notFound("Settings");
  return {
    steps: GETTING_STARTED_STEPS.map((key) => ({ key, done: Boolean(row[key]) })),
    dismissed: Boolean(row.dismissed),
  };
}

/** Puts the checklist away (true) or brings it back (false). */
export async function setGettingStartedDismissed(ctx: Ctx, dismissed: boolean): Promise<TGettingStarted> {
  requireCan(ctx.actor, "settings.manage");
  await ctx.db
    .update(settings)
    .set({ gettingStartedDismissedAt: dismissed ? new Date() : null })
    .where(eq(settings.id, 1));
  return gettingStarted(ctx);
}
