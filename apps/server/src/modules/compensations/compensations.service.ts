import { LOYALTY_POINTS_KIND } from "@rapport/shared";
import { and, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { AgentActor } from "../../auth/actor.ts";
import { SYSTEM } from "../../auth/actor.ts";
import { requireAgent, requireCan, ticketScope } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import { badRequest, conflict, forbidden, notFound } from "../../lib/errors.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { insertPromise } from "../promises/promises.service.ts";
import { promises } from "../promises/promises.table.ts";
import { teamMembers } from "../teams/teams.table.ts";
import { addTicketMessage } from "../tickets/pipeline.ts";
import { loadVisibleTicket } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { type Uow, withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import { lockPoints, personalEntry } from "../value/value.loyalty.ts";
import { customerValues, loyaltyTiers, valueSettings } from "../value/value.table.ts";
import {
  type APPROVER_STEPS,
  BUILTIN_KINDS,
  type TCompensation,
  type TCreateCompensation,
} from "./compensations.schema.ts";
import {
  approvalLimits,
  approvalSettings,
  compensationAudit,
  compensationKinds,
  compensationMonthTotals,
  compensations,
  teamLeads,
} from "./compensations.table.ts";
import { REVIEW_MESSAGE, sendNotices } from "./notices.ts";

export const ESCALATE_JOB = "compensations.escalate";
type Step = (typeof APPROVER_STEPS)[number];
type Row = typeof compensations.$inferSelect;
export type Settings = {
  chain: Step[];
  escalateAfterMinutes: number;
  unlimitedRoles: string[];
  promiseDueHours: number;
};
export const DEFAULT_SETTINGS: Settings = {
  chain: ["team_lead", "manager", "admin"],
  escalateAfterMinutes: 240,
  unlimitedRoles: ["admin"],
  promiseDueHours: 48,
};

export async function loadSettings(db: DbOrTx): Promise<Settings> {
  const [s] = await db.select().from(approvalSettings).where(eq(approvalSettings.id, 1));
  if (!s) return DEFAULT_SETTINGS;
  return {
    chain: s.chain as Step[],
    escalateAfterMinutes: s.escalateAfterMinutes,
    unlimitedRoles: s.unlimitedRoles,
    promiseDueHours: s.promiseDueHours,
  };
}

/** The calendar month (UTC) of a time: `YYYY-MM`. */
export const monthOf = (d: Date) => d.toISOString().slice(0, 7);

/** Built-in kinds and the active admin-defined ones. */
export async function activeKinds(db: DbOrTx): Promise<Set<string>> {
  const rows = await db.select().from(compensationKinds);
  const off = new Set(rows.filter((r) => !r.active).map((r) => r.key));
  return new Set([...BUILTIN_KINDS, ...rows.map((r) => r.key)].filter((k) => !off.has(k)));
}

// ---- Limits -------------------------------------------------------------------------------

export type Person = { userId: string; role: string; teamIds: string[] };
export type Limit = {
  perCaseMinor: number | null;
  perMonthMinor: number | null;
  unlimited: boolean;
  /** The rule is for every kind (`*`): its per-case and monthly amounts count all kinds in the currency. */
  anyKind: boolean;
};

/**
 * The limit that applies to a person granting `kind` in `currency` on a ticket of `ticketTeam`:
 * the most specific rule (the user's own, then the ticket's team when they belong to it, then
 * any of their teams, then their role; a rule for the kind before one for every kind `*`).
 * Roles in `unlimitedRoles` are unlimited. No rule at all: no authority of their own (every
 * grant is an approval request).
 */
export async function effectiveLimit(
  db: DbOrTx,
  who: Person,
  ticketTeam: string | null,
  kind: string,
  currency: string,
  settings: Settings,
): Promise<Limit | null> {
  if (settings.unlimitedRoles.includes(who.role))
    return { perCaseMinor: null, perMonthMinor: null, unlimited: true, anyKind: true };
  const scopes: SQL[] = [
    and(eq(approvalLimits.scope, "user"), eq(approvalLimits.scopeId, who.userId)) as SQL,
    and(eq(approvalLimits.scope, "role"), eq(approvalLimits.scopeId, who.role)) as SQL,
  ];
  if (who.teamIds.length)
    scopes.push(and(eq(approvalLimits.scope, "team"), inArray(approvalLimits.scopeId, who.teamIds)) as SQL);
  const rules = await db
    .select()
    .from(approvalLimits)
    .where(
      and(eq(approvalLimits.currency, currency), inArray(approvalLimits.kind, [kind, "*"]), or(...scopes)),
    );
  const rank = (r: typeof approvalLimits.$inferSelect) =>
    (r.scope === "user" ? 0 : r.scope === "team" ? (r.scopeId === ticketTeam ? 10 : 20) : 30) +
    (r.kind === kind ? 0 : 1);
  const generous = (r: typeof approvalLimits.$inferSelect) =>
    r.unlimited ? Number.MAX_SAFE_INTEGER : (r.perCaseMinor ?? 0);
  const best = rules.sort((a, b) => rank(a) - rank(b) || generous(b) - generous(a))[0];
  if (!best) return null;
  return {
    perCaseMinor: best.perCaseMinor,
    perMonthMinor: best.perMonthMinor,
    unlimited: best.unlimited,
    anyKind: best.kind === "*",
  };
}

const within = (limit: Limit | null, caseTotal: number, monthTotal: number, amount: number) =>
  !!limit &&
  (limit.unlimited ||
    ((limit.perCaseMinor === null || caseTotal + amount <= limit.perCaseMinor) &&
      (limit.perMonthMinor === null || monthTotal + amount <= limit.perMonthMinor)));

/** The month row that stands for every kind of a currency: the lock that `*` limits count under. */
export const ANY_KIND = "*";

/** An agent's month rows in a currency, of the kinds given (a kind, or every kind but the lock row). */
const monthRows = (agentId: string, month: string, currency: string, kinds: string[] | "all") =>
  and(
    eq(compensationMonthTotals.agentId, agentId),
    eq(compensationMonthTotals.month, month),
    eq(compensationMonthTotals.currency, currency),
    kinds === "all"
      ? sql`${compensationMonthTotals.kind} <> ${ANY_KIND}`
      : inArray(compensationMonthTotals.kind, kinds),
  );

/**
 * Locks (creating if needed) an agent's month total for a kind and currency, and the
 * currency's every-kind row before it (same order in every transaction, so no deadlock);
 * returns what counts against a limit: the kind's total, or for a `*` limit (`anyKind`) the
 * sum over every kind in the currency. Every grant takes the every-kind lock, so concurrent
 * grants of different kinds cannot pass a `*` monthly cap together.
 */
async function lockMonth(
  tx: DbOrTx,
  agentId: string,
  month: string,
  kind: string,
  currency: string,
  anyKind = false,
) {
  const keys = [...new Set([ANY_KIND, kind])];
  await tx
    .insert(compensationMonthTotals)
    .values(keys.map((k) => ({ agentId, month, kind: k, currency, totalMinor: 0 })))
    .onConflictDoNothing();
  const rows = await tx
    .select({ kind: compensationMonthTotals.kind, total: compensationMonthTotals.totalMinor })
    .from(compensationMonthTotals)
    .where(monthRows(agentId, month, currency, keys))
    .orderBy(compensationMonthTotals.kind)
    .for("update");
  if (!anyKind) return Number(rows.find((r) => r.kind === kind)?.total ?? 0);
  const [sum] = await tx
    .select({ total: sql<string>`coalesce(sum(${compensationMonthTotals.totalMinor}), 0)` })
    .from(compensationMonthTotals)
    .where(monthRows(agentId, month, currency, "all"));
  return Number(sum?.total ?? 0);
}

async function addToMonth(
  tx: DbOrTx,
  r: Pick<Row, "agentId" | "month" | "kind" | "currency">,
  delta: number,
) {
  await tx
    .update(compensationMonthTotals)
    .set({ totalMinor: sql`${compensationMonthTotals.totalMinor} + ${delta}` })
    .where(monthRows(r.agentId, r.month, r.currency, [r.kind]));
}

// ---- Approvers ------------------------------------------------------------------------------

/** Who decides at a step of the chain for a ticket of `teamId` (never the requester). */
async function approversAt(tx: DbOrTx, step: Step, teamId: string | null, requesterId: string) {
  let rows: Array<{ id: string }>;
  if (step === "team_lead") {
    if (!teamId) return [];
    rows = await tx
      .select({ id: users.id })
      .from(teamLeads)
      .innerJoin(users, eq(users.id, teamLeads.userId))
      .where(and(eq(teamLeads.teamId, teamId), eq(users.active, true)));
  } else if (step === "manager") {
    const q = tx.select({ id: users.id }).from(users);
    rows = teamId
      ? await q
          .innerJoin(teamMembers, eq(teamMembers.userId, users.id))
          .where(and(eq(teamMembers.teamId, teamId), eq(users.role, "manager"), eq(users.active, true)))
      : await q.where(and(eq(users.role, "manager"), eq(users.active, true)));
  } else {
    rows = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), eq(users.active, true)));
  }
  return rows.map((r) => r.id).filter((id) => id !== requesterId);
}

/** The first step at or after `from` that has someone to decide, with them. */
async function nextStep(tx: DbOrTx, chain: Step[], from: number, teamId: string | null, requesterId: string) {
  for (let level = from; level < chain.length; level++) {
    const step = chain[level] as Step;
    const ids = await approversAt(tx, step, teamId, requesterId);
    if (ids.length) return { level, ids };
  }
  return null;
}

async function leadsOf(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .select({ teamId: teamLeads.teamId })
    .from(teamLeads)
    .where(eq(teamLeads.userId, userId));
  return rows.map((r) => r.teamId);
}

/**
 * Whether an actor may decide a pending request: never their own; admins always; managers
 * for requests on their teams' tickets (or tickets in no team) from the manager step down;
 * a team lead for their team at the team-lead step.
 */
function mayDecide(actor: AgentActor, r: Row, chain: Step[], leads: string[]) {
  if (r.status !== "pending_approval" || r.agentId === actor.userId) return false;
  if (actor.role === "admin") return true;
  const step = chain[r.level ?? 0] ?? "admin";
  if (step === "admin") return false;
  if (actor.role === "manager" && (r.teamId === null || actor.teamIds.includes(r.teamId))) return true;
  return step === "team_lead" && r.teamId !== null && leads.includes(r.teamId);
}

/** The requests an actor sees: their own, and those they may decide or have decided. */
function visibility(actor: AgentActor, leads: string[]): SQL | undefined {
  if (actor.role === "admin") return undefined;
  const conds: SQL[] = [eq(compensations.agentId, actor.userId), eq(compensations.decidedById, actor.userId)];
  const teams = actor.role === "manager" ? [...new Set([...actor.teamIds, ...leads])] : leads;
  if (teams.length) conds.push(inArray(compensations.teamId, teams));
  if (actor.role === "manager") conds.push(sql`${compensations.teamId} is null`);
  return or(...conds);
}

// ---- Reading --------------------------------------------------------------------------------

const selectRows = (db: DbOrTx) =>
  db
    .select({
      c: compensations,
      number: tickets.number,
      subject: tickets.subject,
      contactName: contacts.name,
      agentName: users.name,
      decidedByName: sql<string | null>`(select name from users d where d.id = ${compensations.decidedById})`,
    })
    .from(compensations)
    .innerJoin(tickets, eq(tickets.id, compensations.ticketId))
    .innerJoin(contacts, eq(contacts.id, compensations.contactId))
    .innerJoin(users, eq(users.id, compensations.agentId));
type Selected = Awaited<ReturnType<ReturnType<typeof selectRows>["execute"]>>[number];

function toOut(s: Selected, actor: AgentActor, chain: Step[], leads: string[]): TCompensation {
  const c = s.c;
  return {
    id: c.id,
    ticket: { id: c.ticketId, number: Number(s.number), subject: s.subject },
    contact: { id: c.contactId, name: s.contactName },
    teamId: c.teamId,
    agent: { id: c.agentId, name: s.agentName },
    kind: c.kind,
    amountMinor: c.requestedMinor,
    grantedMinor: c.grantedMinor,
    currency: c.currency,
    reason: c.reason,
    status: c.status as TCompensation["status"],
    month: c.month,
    promiseId: c.promiseId,
    approverStep: c.status === "pending_approval" ? (chain[c.level ?? 0] ?? "admin") : null,
    escalateAt: c.escalateAt?.toISOString() ?? null,
    decidedBy: c.decidedById ? { id: c.decidedById, name: s.decidedByName ?? "" } : null,
    decidedAt: c.decidedAt?.toISOString() ?? null,
    decisionComment: c.decisionComment,
    createdAt: c.createdAt.toISOString(),
    can: {
      decide: mayDecide(actor, c, chain, leads),
      reverse: c.status === "granted" && actor.role !== "agent" && c.agentId !== actor.userId,
    },
  };
}

async function readOne(ctx: Ctx, id: string, withAudit = false): Promise<TCompensation> {
  const actor = requireAgent(ctx.actor);
  const [s] = await selectRows(ctx.db).where(eq(compensations.id, id));
  if (!s) throw notFound("Compensation");
  const settings = await loadSettings(ctx.db);
  const out = toOut(s, actor, settings.chain, await leadsOf(ctx.db, actor.userId));
  if (withAudit) out.audit = await auditOf(ctx.db, id);
  return out;
}

async function auditOf(db: DbOrTx, id: string) {
  const rows = await db
    .select({ a: compensationAudit, name: users.name })
    .from(compensationAudit)
    .leftJoin(users, eq(users.id, compensationAudit.actorId))
    .where(eq(compensationAudit.compensationId, id))
    .orderBy(compensationAudit.seq);
  return rows.map(({ a, name }) => ({
    action: a.action,
    actor: a.actorId ? { id: a.actorId, name: name ?? "" } : null,
    amountMinor: a.amountMinor,
    note: a.note,
    at: a.createdAt.toISOString(),
  }));
}

/**
 * A ticket's compensations (anyone who may see the ticket), or a customer's history across
 * the tickets the caller may see.
 */
export async function listCompensations(ctx: Ctx, q: { ticketId?: string; contactId?: string }) {
  const actor = requireAgent(ctx.actor);
  if (!q.ticketId && !q.contactId)
    throw badRequest("ticketId or contactId is required", { field: "ticketId" });
  let where: SQL | undefined;
  if (q.ticketId) {
    await loadVisibleTicket(ctx.db, actor, q.ticketId);
    where = eq(compensations.ticketId, q.ticketId);
  } else {
    where = and(eq(compensations.contactId, q.contactId as string), ticketScope(actor));
  }
  const rows = await selectRows(ctx.db).where(where).orderBy(desc(compensations.createdAt)).limit(200);
  const settings = await loadSettings(ctx.db);
  const leads = await leadsOf(ctx.db, actor.userId);
  return { items: rows.map((r) => toOut(r, actor, settings.chain, leads)) };
}

export async function getCompensation(ctx: Ctx, id: string) {
  const actor = requireAgent(ctx.actor);
  const leads = await leadsOf(ctx.db, actor.userId);
  const [s] = await selectRows(ctx.db).where(and(eq(compensations.id, id), visibility(actor, leads)));
  if (!s) {
    // Whoever may see the ticket may see its compensations.
    const [c] = await ctx.db
      .select({ ticketId: compensations.ticketId })
      .from(compensations)
      .where(eq(compensations.id, id));
    if (!c) throw notFound("Compensation");
    await loadVisibleTicket(ctx.db, actor, c.ticketId).catch(() => {
      throw notFound("Compensation");
    });
  }
  return readOne(ctx, id, true);
}

/** The approval queue: pending requests the caller may decide (and their own), or decided ones. */
export async function listApprovals(ctx: Ctx, q: { status: "pending" | "decided" | "all"; limit: number }) {
  const actor = requireAgent(ctx.actor);
  const leads = await leadsOf(ctx.db, actor.userId);
  const status =
    q.status === "pending"
      ? eq(compensations.status, "pending_approval")
      : q.status === "decided"
        ? sql`${compensations.decidedAt} is not null`
        : sql`(${compensations.status} = 'pending_approval' or ${compensations.decidedAt} is not null)`;
  const rows = await selectRows(ctx.db)
    .where(and(status, visibility(actor, leads)))
    .orderBy(q.status === "pending" ? compensations.createdAt : desc(compensations.decidedAt))
    .limit(q.limit);
  const settings = await loadSettings(ctx.db);
  const figures = await valueFigures(ctx.db, [...new Set(rows.map((r) => r.c.contactId))]);
  return {
    items: rows.map((r) => ({
      ...toOut(r, actor, settings.chain, leads),
      customerValue: figures.get(r.c.contactId) ?? null,
    })),
  };
}

/**
 * The customers' value figures beside each request (segment, tier, lifetime spend, points),
 * in one statement; a customer without purchases or points has the defaults.
 */
async function valueFigures(db: DbOrTx, contactIds: string[]) {
  const out = new Map<string, NonNullable<TCompensation["customerValue"]>>();
  if (contactIds.length === 0) return out;
  const [base] = await db.select({ currency: valueSettings.baseCurrency }).from(valueSettings);
  const rows = await db
    .select({
      contactId: customerValues.contactId,
      segment: customerValues.segment,
      lifetimeMinor: customerValues.lifetimeMinor,
      purchases: customerValues.purchases,
      points: customerValues.points,
      tierName: loyaltyTiers.name,
      tierColor: loyaltyTiers.color,
    })
    .from(customerValues)
    .leftJoin(loyaltyTiers, eq(loyaltyTiers.id, customerValues.tierId))
    .where(inArray(customerValues.contactId, contactIds));
  const byId = new Map(rows.map((r) => [r.contactId, r]));
  for (const id of contactIds) {
    const r = byId.get(id);
    out.set(id, {
      segment: r?.segment ?? "no_purchase",
      tier: r?.tierName ? { name: r.tierName, color: r.tierColor ?? "gray" } : null,
      lifetimeMinor: Number(r?.lifetimeMinor ?? 0),
      baseCurrency: base?.currency ?? "USD",
      purchases: r?.purchases ?? 0,
      points: r?.points ?? 0,
    });
  }
  return out;
}

// ---- Writing --------------------------------------------------------------------------------

async function audit(
  tx: DbOrTx,
  r: Pick<Row, "id" | "ticketId" | "currency">,
  action: string,
  actorId: string | null,
  amountMinor: number | null,
  note: string,
  at: Date,
  data: Record<string, unknown> = {},
) {
  await tx.insert(compensationAudit).values({
    compensationId: r.id,
    ticketId: r.ticketId,
    action,
    actorId,
    amountMinor,
    currency: r.currency,
    note,
    data,
    createdAt: at,
  });
}

const PROMISE_KIND: Record<string, string> = { refund: "refund", discount: "discount" };

/** A granted compensation becomes an open promise to the customer, owned by the agent. */
async function promiseFor(uow: Uow, r: Row, amount: number, settings: Settings) {
  const now = uow.ctx.now();
  const due = new Date(now.getTime() + settings.promiseDueHours * 3600_000);
  return insertPromise(uow.tx, uow.ctx.actor, {
    ticketId: r.ticketId,
    contactId: r.contactId,
    kind: PROMISE_KIND[r.kind] ?? "follow_up",
    description: `${r.kind}: ${r.reason}`.slice(0, 2000),
    amountMinor: amount,
    currency: r.currency,
    ownerId: r.agentId,
    teamId: r.teamId,
    createdById: r.agentId,
    dueAt: due,
    remindAt: new Date(Math.max(now.getTime(), due.getTime() - 3600_000)),
    createdAt: now,
    updatedAt: now,
  });
}

/**
 * What granting does: loyalty points are written to the customer's points ledger at once (a
 * `grant` entry, nothing left to promise); any other kind becomes a promise (its id returned).
 */
async function fulfil(uow: Uow, r: Row, amount: number, settings: Settings): Promise<string | null> {
  if (r.kind !== LOYALTY_POINTS_KIND) return promiseFor(uow, r, amount, settings);
  await lockPoints(uow.tx, r.contactId);
  await personalEntry(
    uow.tx,
    { contactId: r.contactId, kind: "grant", points: amount, reason: r.reason, actorId: r.agentId },
    uow.ctx.now(),
  );
  return null;
}

const agentName = async (tx: DbOrTx, id: string) =>
  (await tx.select({ name: users.name }).from(users).where(eq(users.id, id)))[0]?.name ?? "";

/**
 * An agent grants compensation on a ticket: within their limit (per case and per calendar
 * month, for the kind and currency) it is granted at once and becomes a promise; above it, an
 * approval request to the first step of the chain that has an approver. The ticket row and
 * the agent's month total are locked for the check, so concurrent grants cannot pass a limit
 * together.
 */
export async function createCompensation(ctx: Ctx, input: TCreateCompensation): Promise<TCompensation> {
  const agent = requireAgent(ctx.actor);
  const id = await withTransaction(ctx, async (uow) => {
    const { tx } = uow;
    const now = uow.ctx.now();
    const ticket = await loadVisibleTicket(tx, agent, input.ticketId, { lock: true });
    requireCan(agent, "ticket.update", ticket);
    if (!(await activeKinds(tx)).has(input.kind))
      throw badRequest("Unknown compensation kind", { field: "kind" });
    const settings = await loadSettings(tx);
    const month = monthOf(now);
    const limit = await effectiveLimit(tx, agent, ticket.teamId, input.kind, input.currency, settings);
    const anyKind = limit?.anyKind ?? false;
    const monthTotal = await lockMonth(tx, agent.userId, month, input.kind, input.currency, anyKind);
    // The per-case limit counts the whole case (the ticket row is locked above): what anyone
    // granted on it, on their own authority or approved, of the kind (every kind for `*`).
    const [caseRow] = await tx
      .select({ total: sql<string>`coalesce(sum(${compensations.grantedMinor}), 0)` })
      .from(compensations)
      .where(
        and(
          eq(compensations.ticketId, ticket.id),
          anyKind ? undefined : eq(compensations.kind, input.kind),
          eq(compensations.currency, input.currency),
          eq(compensations.status, "granted"),
        ),
      );
    const caseTotal = Number(caseRow?.total ?? 0);
    const base = {
      ticketId: ticket.id,
      contactId: ticket.requesterId,
      teamId: ticket.teamId,
      agentId: agent.userId,
      kind: input.kind,
      currency: input.currency,
      requestedMinor: input.amountMinor,
      reason: input.reason,
      month,
      tellCustomer: input.tellCustomer,
      createdAt: now,
    };
    if (within(limit, caseTotal, monthTotal, input.amountMinor)) {
      const [row] = await tx
        .insert(compensations)
        .values({ ...base, status: "granted", grantedMinor: input.amountMinor })
        .returning();
      if (!row) throw new Error("insert returned nothing");
      await addToMonth(tx, row, input.amountMinor);
      const promiseId = await fulfil(uow, row, input.amountMinor, settings);
      if (promiseId) await tx.update(compensations).set({ promiseId }).where(eq(compensations.id, row.id));
      await audit(tx, row, "granted", agent.userId, input.amountMinor, input.reason, now);
      uow.record(ticket.id, "compensation.granted", {
        compensationId: row.id,
        kind: row.kind,
        amountMinor: input.amountMinor,
        currency: row.currency,
      });
      return row.id;
    }
    const next = (await nextStep(tx, settings.chain, 0, ticket.teamId, agent.userId)) ?? {
      level: settings.chain.length - 1,
      ids: [],
    };
    const escalateAt = new Date(now.getTime() + settings.escalateAfterMinutes * 60_000);
    const [row] = await tx
      .insert(compensations)
      .values({ ...base, status: "pending_approval", level: next.level, escalateAt })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await audit(tx, row, "requested", agent.userId, input.amountMinor, input.reason, now, {
      step: settings.chain[next.level],
      limit,
      monthTotal,
      caseTotal,
    });
    uow.record(ticket.id, "compensation.requested", {
      compensationId: row.id,
      kind: row.kind,
      amountMinor: input.amountMinor,
      currency: row.currency,
      step: settings.chain[next.level],
    });
    await enqueue(
      tx,
      ESCALATE_JOB,
      { id: row.id },
      { runAt: escalateAt, dedupeKey: `${row.id}:${next.level}` },
    );
    await sendNotices(uow, next.ids, "approval.requested", {
      ticketId: ticket.id,
      number: Number(ticket.number),
      amountMinor: input.amountMinor,
      currency: input.currency,
      agent: agent.name,
      compensationId: row.id,
      note: input.reason,
    });
    if (input.tellCustomer && ticket.status !== "closed") {
      const lang = REVIEW_MESSAGE[ticket.language ?? "en"] ? (ticket.language ?? "en") : "en";
      await addTicketMessage(uow, ticket, {
        body: REVIEW_MESSAGE[lang] as string,
        internal: false,
        authorType: "agent",
        authorUserId: agent.userId,
        channel: ticket.channel,
      });
    }
    return row.id;
  });
  return readOne(ctx, id);
}

async function lockPending(tx: DbOrTx, id: string) {
  const [r] = await tx.select().from(compensations).where(eq(compensations.id, id)).for("update");
  if (!r) throw notFound("Compensation");
  return r;
}

/**
 * An approver's decision: approve (optionally a lower amount) or reject, with a comment. The
 * request becomes a granted compensation and a promise owned by the requesting agent.
 */
export async function decide(
  ctx: Ctx,
  id: string,
  d: { approve: boolean; amountMinor?: number; comment: string },
): Promise<TCompensation> {
  const actor = requireAgent(ctx.actor);
  await withTransaction(ctx, async (uow) => {
    const { tx } = uow;
    const now = uow.ctx.now();
    const r = await lockPending(tx, id);
    const leads = await leadsOf(tx, actor.userId);
    const settings = await loadSettings(tx);
    const [visible] = await tx
      .select({ id: compensations.id })
      .from(compensations)
      .where(and(eq(compensations.id, id), visibility(actor, leads)));
    if (!visible) throw notFound("Compensation");
    if (r.agentId === actor.userId) throw forbidden("You cannot decide your own request");
    if (r.status !== "pending_approval")
      throw conflict("This request was already decided", { status: r.status });
    if (!mayDecide(actor, r, settings.chain, leads))
      throw forbidden("This request waits for another approver");
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, r.ticketId)).for("update");
    if (!ticket) throw notFound("Ticket");
    const amount = d.amountMinor ?? r.requestedMinor;
    if (d.approve && amount > r.requestedMinor)
      throw badRequest("An approver may grant the amount asked for or less", { field: "amountMinor" });
    const decided = {
      decidedById: actor.userId,
      decidedAt: now,
      decisionComment: d.comment,
      level: null,
      escalateAt: null,
    };
    if (d.approve) {
      const promiseId = await fulfil(uow, r, amount, settings);
      await tx
        .update(compensations)
        .set({ ...decided, status: "granted", grantedMinor: amount, promiseId })
        .where(eq(compensations.id, id));
    } else {
      await tx
        .update(compensations)
        .set({ ...decided, status: "rejected" })
        .where(eq(compensations.id, id));
    }
    await audit(
      tx,
      r,
      d.approve ? "approved" : "rejected",
      actor.userId,
      d.approve ? amount : null,
      d.comment,
      now,
    );
    uow.record(r.ticketId, d.approve ? "compensation.approved" : "compensation.rejected", {
      compensationId: r.id,
      kind: r.kind,
      amountMinor: d.approve ? amount : r.requestedMinor,
      requestedMinor: r.requestedMinor,
      currency: r.currency,
      comment: d.comment,
    });
    await sendNotices(uow, [r.agentId], "approval.decided", {
      ticketId: r.ticketId,
      number: Number(ticket.number),
      amountMinor: d.approve ? amount : r.requestedMinor,
      currency: r.currency,
      agent: actor.name,
      compensationId: r.id,
      outcome: d.approve ? "approved" : "rejected",
      note: d.comment,
    });
  });
  return readOne(ctx, id);
}

/**
 * Reverses a granted compensation by a new audit entry (nothing is edited away): its promise
 * is cancelled and an own-authority grant no longer counts against the agent's month.
 */
export async function reverseCompensation(ctx: Ctx, id: string, reason: string): Promise<TCompensation> {
  const actor = requireCan(ctx.actor, "compensations.reverse");
  await withTransaction(ctx, async (uow) => {
    const { tx } = uow;
    const now = uow.ctx.now();
    const r = await lockPending(tx, id);
    await loadVisibleTicket(tx, actor, r.ticketId).catch(() => {
      throw notFound("Compensation");
    });
    if (r.agentId === actor.userId) throw forbidden("You cannot reverse your own grant");
    if (r.status !== "granted")
      throw conflict("Only a granted compensation can be reversed", { status: r.status });
    if (r.decidedById === null) {
      await lockMonth(tx, r.agentId, r.month, r.kind, r.currency);
      await addToMonth(tx, r, -(r.grantedMinor ?? 0));
    }
    await tx.update(compensations).set({ status: "reversed" }).where(eq(compensations.id, id));
    if (r.kind === LOYALTY_POINTS_KIND) {
      // Takes back what the customer has not spent of the granted points.
      const left = Math.min(await lockPoints(tx, r.contactId), r.grantedMinor ?? 0);
      if (left > 0)
        await personalEntry(
          tx,
          { contactId: r.contactId, kind: "redeem", points: left, reason, actorId: actor.userId },
          now,
        );
    }
    if (r.promiseId)
      await tx
        .update(promises)
        .set({ status: "cancelled", completedAt: now, updatedAt: now })
        .where(and(eq(promises.id, r.promiseId), eq(promises.status, "open")));
    await audit(tx, r, "reversed", actor.userId, -(r.grantedMinor ?? 0), reason, now);
    uow.record(r.ticketId, "compensation.reversed", {
      compensationId: r.id,
      kind: r.kind,
      amountMinor: r.grantedMinor,
      currency: r.currency,
      reason,
    });
  });
  return readOne(ctx, id, true);
}

/**
 * Escalates every pending request whose time to decide has passed to the next step of the
 * chain that has an approver (the job each request schedules runs this; a lost job is caught
 * up by the next one). At the last step a request stays with its approvers.
 */
export async function escalateDue(ctx: Ctx): Promise<number> {
  const now = ctx.now();
  const due = await ctx.db
    .select({ id: compensations.id })
    .from(compensations)
    .where(and(eq(compensations.status, "pending_approval"), sql`${compensations.escalateAt} <= ${now}`));
  let n = 0;
  for (const { id } of due) {
    const moved = await withTransaction(
      ctx,
      async (uow) => {
        const { tx } = uow;
        const r = await lockPending(tx, id);
        if (r.status !== "pending_approval" || !r.escalateAt || r.escalateAt > now) return false;
        const settings = await loadSettings(tx);
        const next = await nextStep(tx, settings.chain, (r.level ?? 0) + 1, r.teamId, r.agentId);
        if (!next) {
          await tx.update(compensations).set({ escalateAt: null }).where(eq(compensations.id, id));
          return false;
        }
        const escalateAt = new Date(now.getTime() + settings.escalateAfterMinutes * 60_000);
        await tx.update(compensations).set({ level: next.level, escalateAt }).where(eq(compensations.id, id));
        await audit(tx, r, "escalated", null, r.requestedMinor, "", now, {
          from: settings.chain[r.level ?? 0],
          to: settings.chain[next.level],
        });
        uow.record(r.ticketId, "compensation.escalated", {
          compensationId: r.id,
          step: settings.chain[next.level],
        });
        await enqueue(tx, ESCALATE_JOB, { id }, { runAt: escalateAt, dedupeKey: `${id}:${next.level}` });
        const [t] = await tx
          .select({ number: tickets.number })
          .from(tickets)
          .where(eq(tickets.id, r.ticketId));
        await sendNotices(uow, next.ids, "approval.escalated", {
          ticketId: r.ticketId,
          number: Number(t?.number ?? 0),
          amountMinor: r.requestedMinor,
          currency: r.currency,
          agent: await agentName(tx, r.agentId),
          compensationId: r.id,
          note: r.reason,
        });
        return true;
      },
      { actor: SYSTEM },
    );
    if (moved) n++;
  }
  return n;
}
