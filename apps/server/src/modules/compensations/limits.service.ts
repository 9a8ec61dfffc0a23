import { LOYALTY_POINTS_KIND, POINTS_CURRENCY } from "@rapport/shared";
import { and, eq, sql } from "drizzle-orm";
import type { AgentActor } from "../../auth/actor.ts";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { badRequest, forbidden } from "../../lib/errors.ts";
import { teamMembers, teams } from "../teams/teams.table.ts";
import { users } from "../users/users.table.ts";
import { BUILTIN_KINDS, type TApprovalConfig, type TLimitRule } from "./compensations.schema.ts";
import { ANY_KIND, activeKinds, effectiveLimit, loadSettings, monthOf } from "./compensations.service.ts";
import {
  approvalLimits,
  approvalSettings,
  compensationKinds,
  compensationMonthTotals,
  teamLeads,
} from "./compensations.table.ts";

const ruleKey = (r: Omit<TLimitRule, "scope"> & { scope: string }) =>
  JSON.stringify([r.scope, r.scopeId, r.kind, r.currency, r.perCaseMinor, r.perMonthMinor, r.unlimited]);

/** Whether a limit rule applies to this person (their own, their role's or one of their teams'). */
const appliesTo = (me: AgentActor, r: { scope: string; scopeId: string }) =>
  (r.scope === "user" && r.scopeId === me.userId) ||
  (r.scope === "role" && r.scopeId === me.role) ||
  (r.scope === "team" && me.teamIds.includes(r.scopeId));

/** The approval configuration: chain, escalation, kinds, team leads, limits; and the caller's own limits. */
export async function getApprovalConfig(ctx: Ctx) {
  const me = requireAgent(ctx.actor);
  const settings = await loadSettings(ctx.db);
  const custom = await ctx.db.select().from(compensationKinds).orderBy(compensationKinds.key);
  const limits = await ctx.db
    .select()
    .from(approvalLimits)
    .orderBy(approvalLimits.scope, approvalLimits.scopeId);
  const leads = await ctx.db.select().from(teamLeads);
  const builtinOff = new Set(custom.filter((k) => !k.active).map((k) => k.key));
  const kinds = [
    ...BUILTIN_KINDS.map((key) => ({ key, label: key, active: !builtinOff.has(key), builtin: true })),
    ...custom
      .filter((k) => !(BUILTIN_KINDS as readonly string[]).includes(k.key))
      .map((k) => ({ key: k.key, label: k.label, active: k.active, builtin: false })),
  ];
  const month = monthOf(ctx.now());
  const used = await ctx.db
    .select()
    .from(compensationMonthTotals)
    .where(and(eq(compensationMonthTotals.agentId, me.userId), eq(compensationMonthTotals.month, month)));
  const pairs = new Map<string, { kind: string; currency: string }>();
  for (const r of limits.filter((l) => appliesTo(me, l)))
    for (const kind of r.kind === "*" ? [...(await activeKinds(ctx.db))] : [r.kind]) {
      // A rule for every kind in a currency covers loyalty points only in points, and back.
      if ((kind === LOYALTY_POINTS_KIND) !== (r.currency === POINTS_CURRENCY)) continue;
      pairs.set(`${kind}:${r.currency}`, { kind, currency: r.currency });
    }
  const mine = [];
  for (const { kind, currency } of pairs.values()) {
    const l = await effectiveLimit(ctx.db, me, null, kind, currency, settings);
    if (!l) continue;
    // A `*` limit counts every kind in the currency (the every-kind row is only a lock).
    const counted = used.filter(
      (x) => x.currency === currency && x.kind !== ANY_KIND && (l.anyKind || x.kind === kind),
    );
    mine.push({
      kind,
      currency,
      perCaseMinor: l.perCaseMinor,
      perMonthMinor: l.perMonthMinor,
      unlimited: l.unlimited,
      anyKind: l.anyKind,
      usedThisMonthMinor: counted.reduce((sum, x) => sum + Number(x.totalMinor), 0),
    });
  }
  return {
    ...settings,
    kinds,
    teamLeads: leads.map((l) => ({ teamId: l.teamId, userId: l.userId })),
    limits: limits.map((l) => ({
      scope: l.scope as TLimitRule["scope"],
      scopeId: l.scopeId,
      kind: l.kind,
      currency: l.currency,
      perCaseMinor: l.perCaseMinor,
      perMonthMinor: l.perMonthMinor,
      unlimited: l.unlimited,
    })),
    mine,
    canEdit: me.role !== "agent",
  };
}

/**
 * Replaces the approval configuration (managers and admins). Nobody raises their own limit:
 * a manager may not add, change or remove a rule that applies to themselves (their user,
 * role or teams) nor change which roles are unlimited or the chain; an admin (the top of the
 * chain) may change role-wide rules but not a rule for their own user.
 */
export async function putApprovalConfig(ctx: Ctx, input: TApprovalConfig) {
  const me = requireCan(ctx.actor, "approvalLimits.manage");
  await ctx.db.transaction(async (tx) => {
    const before = await tx.select().from(approvalLimits).for("update");
    const settings = await loadSettings(tx);
    const mineBefore = new Set(
      before.filter((r) => appliesTo(me, r) && (me.role !== "admin" || r.scope === "user")).map(ruleKey),
    );
    const mineAfter = new Set(
      input.limits
        .filter((r) => appliesTo(me, r) && (me.role !== "admin" || r.scope === "user"))
        .map(ruleKey),
    );
    const same = mineBefore.size === mineAfter.size && [...mineBefore].every((k) => mineAfter.has(k));
    if (!same) throw forbidden("You cannot change a limit that applies to you");
    if (me.role !== "admin") {
      const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
      if (!sameList([...settings.unlimitedRoles].sort(), [...input.unlimitedRoles].sort()))
        throw forbidden("Only administrators choose the unlimited roles");
      if (!sameList(settings.chain, input.chain))
        throw forbidden("Only administrators change the approval chain");
    }
    const seen = new Set<string>();
    for (const r of input.limits) {
      const k = JSON.stringify([r.scope, r.scopeId, r.kind, r.currency]);
      if (seen.has(k)) throw badRequest("Two limits for the same scope, kind and currency", { rule: r });
      seen.add(k);
    }
    const kindKeys = new Set([...BUILTIN_KINDS, ...input.kinds.map((k) => k.key)]);
    for (const r of input.limits)
      if (r.kind !== "*" && !kindKeys.has(r.kind))
        throw badRequest("A limit names an unknown kind", { kind: r.kind });
    const teamIds = [
      ...new Set([
        ...input.teamLeads.map((l) => l.teamId),
        ...input.limits.filter((r) => r.scope === "team").map((r) => r.scopeId),
      ]),
    ];
    if (teamIds.length) {
      const found = await tx.select({ id: teams.id }).from(teams).where(sql`${teams.id} in ${teamIds}`);
      if (found.length !== teamIds.length) throw badRequest("Unknown team", { field: "teamId" });
    }
    for (const l of input.teamLeads) {
      const [m] = await tx
        .select({ userId: teamMembers.userId })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(
          and(eq(teamMembers.teamId, l.teamId), eq(teamMembers.userId, l.userId), eq(users.active, true)),
        );
      if (!m) throw badRequest("A team lead must be an active member of the team", { lead: l });
    }
    const userIds = [...new Set(input.limits.filter((r) => r.scope === "user").map((r) => r.scopeId))];
    if (userIds.length) {
      const found = await tx.select({ id: users.id }).from(users).where(sql`${users.id} in ${userIds}`);
      if (found.length !== userIds.length) throw badRequest("Unknown user", { field: "scopeId" });
    }
    const now = ctx.now();
    await tx
      .insert(approvalSettings)
      .values({ id: 1, ...input, updatedAt: now })
      .onConflictDoUpdate({
        target: approvalSettings.id,
        set: {
          chain: input.chain,
          escalateAfterMinutes: input.escalateAfterMinutes,
          unlimitedRoles: input.unlimitedRoles,
          promiseDueHours: input.promiseDueHours,
          updatedAt: now,
        },
      });
    await tx.delete(compensationKinds);
    const builtinOff = input.kinds.filter(
      (k) => (BUILTIN_KINDS as readonly string[]).includes(k.key) && !k.active,
    );
    const rows = [
      ...input.kinds.filter((k) => !(BUILTIN_KINDS as readonly string[]).includes(k.key)),
      ...builtinOff,
    ].map((k) => ({
      key: k.key,
      label: k.label,
      active: k.active,
      builtin: (BUILTIN_KINDS as readonly string[]).includes(k.key),
    }));
    if (rows.length) await tx.insert(compensationKinds).values(rows);
    await tx.delete(teamLeads);
    if (input.teamLeads.length) await tx.insert(teamLeads).values(input.teamLeads);
    await tx.delete(approvalLimits);
    if (input.limits.length)
      await tx
        .insert(approvalLimits)
        .values(input.limits.map((r) => ({ ...r, updatedById: me.userId, updatedAt: now })));
  });
  return getApprovalConfig(ctx);
}
