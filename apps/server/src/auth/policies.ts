import { eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import { type AppError, forbidden, notFound, unauthenticated } from "../lib/errors.ts";
import { callbacks, calls } from "../modules/phone/phone.table.ts";
import { plannedContacts } from "../modules/planner/planner.table.ts";
import { tickets } from "../modules/tickets/tickets.table.ts";
import type { Actor, AgentActor, SystemActor } from "./actor.ts";

/**
 * Authorization in one place (decision 0011): a closed set of actions, each mapped to one
 * rule; `can(actor, action, resource)` answers, `requireCan` throws the action's error, and
 * the query scopes (which rows an actor may see) sit beside the rules they mirror.
 *
 * - admins and managers see every ticket, call, call-back and plan;
 * - an agent sees tickets of their teams, tickets assigned to them, and tickets in no team
 *   yet (the shared triage pool); call-backs likewise; plans they own or cover;
 * - admins and managers configure routing, automations and shared macros;
 * - only admins manage users, teams, settings, channels, mailboxes, webhooks, fields, SLAs;
 * - customers and chat visitors have their own routes and may do none of these.
 * Objects an actor may not see answer 404, never 403, so their existence does not leak.
 */
export type Staff = AgentActor | SystemActor;

type TicketRef = { teamId: string | null; assigneeId: string | null };
type TicketState = { status: string };
type TeamRef = { teamId: string | null };
type OwnedRef = { ownerId: string | null };
type ViewRef = { ownerId: string | null; teamIds: string[] };
type PlanRef = { ownerId: string; coverId: string | null };
type AbsenceRef = { agentId: string; coverId: string | null };
type UserRef = { userId: string | null };
type KbTextRef = { status: string };
type AccountRef = { accountOwnerId: string | null };

/** Who may attempt an action at all: a signed-in user only, or Rapport itself as well. */
type Needs = "agent" | "staff";

type Rule<R, N extends Needs = Needs> = {
  needs: N;
  allow: (actor: Staff, resource: R) => boolean;
  /** The error when the rule says no (the actor is of the right kind). */
  deny: () => AppError;
};

const isAgent = (a: Staff): a is AgentActor => a.kind === "agent";
/** Rapport itself and admins and managers: everyone but plain agents. */
const aboveAgent = (a: Staff) => !isAgent(a) || a.role !== "agent";
const admin = (a: Staff) => isAgent(a) && a.role === "admin";
const me = (a: Staff) => (isAgent(a) ? a.userId : undefined);
const inTeam = (a: Staff, teamId: string | null) =>
  aboveAgent(a) || teamId === null || (a as AgentActor).teamIds.includes(teamId);

const ADMINS_ONLY = () => forbidden("Only administrators may do this");
const MANAGERS = () => forbidden("Only administrators and managers may do this");
const NOT_IN_TEAM = () => forbidden("You are not a member of this team");
const adminRule: Rule<undefined, "agent"> = { needs: "agent", allow: admin, deny: ADMINS_ONLY };
const managerRule: Rule<undefined, "agent"> = { needs: "agent", allow: aboveAgent, deny: MANAGERS };
const anyAgent: Rule<undefined, "agent"> = { needs: "agent", allow: () => true, deny: ADMINS_ONLY };

/**
 * The policy table. Every action is listed exactly once; adding one without a rule does not
 * compile. The resource type of each action is the first type argument of its rule.
 */
const RULES = {
  // ---- Tickets ------------------------------------------------------------------------
  /** Every ticket, without scoping (managers, admins, Rapport itself). */
  "tickets.readAll": { needs: "staff", allow: aboveAgent, deny: () => notFound("Ticket") } as Rule<
    undefined,
    "staff"
  >,
  "ticket.read": {
    needs: "staff",
    allow: (a, t) => inTeam(a, t.teamId) || t.assigneeId === me(a),
    deny: () => notFound("Ticket"),
  } as Rule<TicketRef, "staff">,
  /** A closed ticket is read-only: a customer's reply to it opens a follow-up ticket. */
  "ticket.update": {
    needs: "staff",
    allow: (_a, t) => t.status !== "closed",
    deny: () => forbidden("A closed ticket cannot be changed"),
  } as Rule<TicketState, "staff">,
  "ticket.reply": {
    needs: "staff",
    allow: (_a, t) => t.status !== "closed",
    deny: () => forbidden("This ticket is closed; open a follow-up ticket instead"),
  } as Rule<TicketState, "staff">,
  "ticket.note": { needs: "staff", allow: () => true, deny: ADMINS_ONLY } as Rule<TicketState, "staff">,
  "ticket.reassign": {
    needs: "staff",
    allow: (_a, t) => t.status !== "closed",
    deny: () => forbidden("A closed ticket cannot be changed"),
  } as Rule<TicketState, "staff">,
  "ticket.changeTeam": {
    needs: "staff",
    allow: (_a, t) => t.status !== "closed",
    deny: () => forbidden("A closed ticket cannot be changed"),
  } as Rule<TicketState, "staff">,
  /** Merge a ticket into another, or another into it (both must be visible and not closed). */
  "ticket.merge": {
    needs: "agent",
    allow: (_a, t) => t.status !== "closed",
    deny: () => forbidden("A closed ticket cannot be merged"),
  } as Rule<TicketState, "agent">,
  /** Split a message off into a new ticket. */
  "ticket.split": {
    needs: "agent",
    allow: (_a, t) => t.status !== "closed",
    deny: () => forbidden("A closed ticket cannot be split"),
  } as Rule<TicketState, "agent">,
  /** Put work (a ticket, a call-back) in a team: an agent's own teams or none; above: any. */
  "team.use": { needs: "staff", allow: (a, r) => inTeam(a, r.teamId), deny: NOT_IN_TEAM } as Rule<
    TeamRef,
    "staff"
  >,

  // ---- Phone --------------------------------------------------------------------------
  "callback.read": {
    needs: "staff",
    allow: (a, c) => inTeam(a, c.teamId) || c.assigneeId === me(a),
    deny: () => notFound("Call-back"),
  } as Rule<TicketRef, "staff">,
  /** Agents take a call-back for themselves (or unassign it); managers dispatch to anyone. */
  "callback.assign": {
    needs: "agent",
    allow: (a, r) => aboveAgent(a) || r.userId === null || r.userId === me(a),
    deny: () => forbidden("Agents can take a call-back for themselves only"),
  } as Rule<UserRef, "agent">,

  // ---- Planner ------------------------------------------------------------------------
  "plans.readAll": { needs: "staff", allow: aboveAgent, deny: () => notFound("Planned contact") } as Rule<
    undefined,
    "staff"
  >,
  "plan.read": {
    needs: "staff",
    allow: (a, p) => aboveAgent(a) || p.ownerId === me(a) || p.coverId === me(a),
    deny: () => notFound("Planned contact"),
  } as Rule<PlanRef, "staff">,
  "plan.assign": {
    needs: "staff",
    allow: (a, r) => aboveAgent(a) || r.userId === me(a),
    deny: () => forbidden("Only managers plan contacts for others"),
  } as Rule<UserRef, "staff">,
  "absence.read": {
    needs: "staff",
    allow: (a, r) => aboveAgent(a) || r.agentId === me(a) || r.coverId === me(a),
    deny: () => notFound("Absence"),
  } as Rule<AbsenceRef, "staff">,
  "absence.record": {
    needs: "staff",
    allow: (a, r) => aboveAgent(a) || r.userId === me(a),
    deny: () => forbidden("Only managers record other agents' absences"),
  } as Rule<UserRef, "staff">,
  "absence.cancel": {
    needs: "staff",
    allow: (a, r) => aboveAgent(a) || r.agentId === me(a),
    deny: () => forbidden("Only the absent agent or a manager may cancel an absence"),
  } as Rule<AbsenceRef, "staff">,

  // ---- Promises and reports -----------------------------------------------------------
  /** Overdue promises of every agent (admins); managers see their teams' members'. */
  "promises.readAll": { needs: "agent", allow: admin, deny: ADMINS_ONLY } as Rule<undefined, "agent">,
  "promises.readTeams": { needs: "agent", allow: aboveAgent, deny: MANAGERS } as Rule<undefined, "agent">,
  "reports.read": { needs: "agent", allow: aboveAgent, deny: () => notFound("Report") } as Rule<
    undefined,
    "agent"
  >,

  /** Survey settings, reasons and responses (responses scoped to visible tickets). */
  "csat.read": anyAgent,
  "csat.manage": adminRule,
  /** Dashboards and reports: every signed-in user, figures scoped to the tickets they may see. */
  "reports.view": anyAgent,
  /** Recognition boards: every signed-in user (what each sees: the service, by team and board). */
  "recognition.view": anyAgent,
  /** Every team's full ranking, whatever the board's visibility. */
  "recognition.readAll": managerRule,
  /** Turn recognition on for a team, make its board public, set the weights. */
  "recognition.manage": adminRule,
  /** Scheduled report emails (daily or weekly, team or organization): managers and admins. */
  "reports.schedule": managerRule,
  /** The Erlang C staffing calculator: pure arithmetic, any signed-in user. */
  "staffing.calculate": anyAgent,

  // ---- Compensations ------------------------------------------------------------------
  /** Change approval limits, the chain and team leads (never a limit of one's own: the service). */
  "approvalLimits.manage": managerRule,
  /** Reverse a granted compensation (never one's own: the service). */
  "compensations.reverse": managerRule,

  // ---- Tone check (issue 18) -----------------------------------------------------------
  /** Check a text against the tone rules, and read the rules: every signed-in user. */
  "tone.check": anyAgent,
  /** Add, change and delete tone rules. */
  "tone.manage": adminRule,
  /** The flagged-phrases report (which phrases, which teams, accepted or not). */
  "tone.report": managerRule,

  // ---- Macros -------------------------------------------------------------------------
  "macros.share": {
    needs: "agent",
    allow: aboveAgent,
    deny: () => forbidden("Only administrators and managers create shared macros"),
  } as Rule<undefined, "agent">,
  /** A shared macro (no owner) is the managers'; a personal one is its owner's alone. */
  "macro.update": {
    needs: "agent",
    allow: (a, m) => (m.ownerId === null ? aboveAgent(a) : m.ownerId === me(a)),
    deny: () => forbidden("Only administrators and managers change shared macros"),
  } as Rule<OwnedRef, "agent">,
  "macro.delete": {
    needs: "agent",
    allow: (a, m) => (m.ownerId === null ? aboveAgent(a) : m.ownerId === me(a)),
    deny: () => forbidden("Only administrators and managers delete shared macros"),
  } as Rule<OwnedRef, "agent">,

  // ---- Custom views ------------------------------------------------------------------
  /** A personal view is its owner's; a view shared with teams: its owner's, and managers'. */
  "view.update": {
    needs: "agent",
    allow: (a, v) => v.ownerId === me(a) || (v.teamIds.length > 0 && aboveAgent(a)),
    deny: () => forbidden("Only the view's owner, administrators and managers change a shared view"),
  } as Rule<ViewRef, "agent">,

  // ---- Configuration ------------------------------------------------------------------
  "routing.manage": managerRule,
  "automations.manage": managerRule,
  "users.manage": adminRule,
  "teams.manage": adminRule,
  "settings.manage": adminRule,
  "channels.manage": adminRule,
  "chat.manage": adminRule,
  "mailboxes.manage": adminRule,
  "email.manage": adminRule,
  "webhooks.manage": adminRule,
  "fields.manage": adminRule,
  "forms.manage": adminRule,
  "sla.manage": adminRule,
  "selfChecks.manage": adminRule,
  "imports.run": adminRule,
  /** Revoke anyone's API token (everyone may revoke their own). */
  "apiTokens.manageAll": adminRule,

  // ---- Knowledge base -----------------------------------------------------------------
  /** Every article, internal ones and drafts included (the help centre has its own public reads). */
  "kb.read": { needs: "staff", allow: () => true, deny: () => notFound("Article") } as Rule<
    undefined,
    "staff"
  >,
  /** Agents write drafts and submit them for review; published or archived text is the managers'. */
  "kb.write": {
    needs: "agent",
    allow: (a, t) => aboveAgent(a) || t.status === "draft" || t.status === "in_review",
    deny: () => forbidden("Only administrators and managers change a published or archived article"),
  } as Rule<KbTextRef, "agent">,
  "kb.publish": {
    needs: "staff",
    allow: aboveAgent,
    deny: () => forbidden("Only administrators and managers publish, schedule or archive articles"),
  } as Rule<undefined, "staff">,
  "kb.delete": managerRule,
  "kb.categories": managerRule,
  "kb.stats": managerRule,
  "kb.settings": adminRule,

  // ---- Contacts and organizations: every signed-in agent ----------------------------
  "contacts.read": anyAgent,
  /** Create, change and merge contacts and organizations: every signed-in agent. */
  "contacts.manage": anyAgent,

  // ---- Customer value (orders, RFM, loyalty) ---------------------------------------------
  /** Record and change orders by hand (shops post theirs to the signed intake). */
  "orders.manage": managerRule,
  /** Shops and their intake secrets. */
  "orders.intake": adminRule,
  /** RFM settings, currency rates, reminders, earn rules, tiers; run the recompute. */
  "value.manage": adminRule,
  /** Grant or redeem loyalty points by hand (approval limits: issue 18). */
  "loyalty.grant": managerRule,
  /** Confirm or change a customer's relationship type: the account manager (the organization's account owner), managers, admins. */
  "value.relationship": {
    needs: "agent",
    allow: (a, c) => aboveAgent(a) || (c.accountOwnerId !== null && c.accountOwnerId === me(a)),
    deny: () => forbidden("Only the account manager, managers and administrators set a relationship type"),
  } as Rule<AccountRef, "agent">,

  // ---- Notification centre: every signed-in user, their own notices only -------------
  "notifications.own": anyAgent,
} satisfies Record<string, Rule<never>>;

export type Action = keyof typeof RULES;
export const ACTIONS = Object.keys(RULES) as Action[];

type ResourceOf<A extends Action> = (typeof RULES)[A] extends Rule<infer R, Needs> ? R : never;
type ResourceArg<A extends Action> = [ResourceOf<A>] extends [undefined] ? [] : [resource: ResourceOf<A>];
type Granted<A extends Action> = (typeof RULES)[A]["needs"] extends "agent" ? AgentActor : Staff;

/** The rule of an action, for tests and documentation. */
export const ruleOf = (action: Action): { needs: Needs } => RULES[action];

function asStaffFor(actor: Actor, needs: Needs): Staff | undefined {
  if (actor.kind === "agent") return actor;
  if (actor.kind === "system" && needs === "staff") return actor;
  return undefined;
}

/** Whether the actor may do this (with this object). Customers and visitors: never here. */
export function can<A extends Action>(actor: Actor, action: A, ...resource: ResourceArg<A>): boolean {
  const rule = RULES[action] as Rule<unknown>;
  const staff = asStaffFor(actor, rule.needs);
  return staff !== undefined && rule.allow(staff, resource[0]);
}

/**
 * `can`, or throw: 401 for an actor who cannot attempt the action at all (not signed in as
 * staff), otherwise the action's own error (403 with its message; 404 for objects the actor
 * may not see). Returns the actor, narrowed to a signed-in user for user-only actions.
 */
export function requireCan<A extends Action>(
  actor: Actor,
  action: A,
  ...resource: ResourceArg<A>
): Granted<A> {
  const rule = RULES[action] as Rule<unknown>;
  const staff = asStaffFor(actor, rule.needs);
  if (!staff) throw unauthenticated();
  if (!rule.allow(staff, resource[0])) throw rule.deny();
  return staff as Granted<A>;
}

/** Signed in as staff (an agent, manager or admin); 401 otherwise. */
export function requireAgent(actor: Actor): AgentActor {
  if (actor.kind !== "agent") throw unauthenticated();
  return actor;
}

export const seesAllTickets = (actor: Staff) => can(actor, "tickets.readAll");

// ---- Query scoping: the SQL twins of the read rules above ------------------------------

/** The WHERE condition limiting tickets to those the actor may see (undefined: all). */
export function ticketScope(actor: Staff): SQL | undefined {
  if (seesAllTickets(actor)) return undefined;
  const agent = actor as AgentActor;
  const conditions: SQL[] = [eq(tickets.assigneeId, agent.userId), isNull(tickets.teamId)];
  if (agent.teamIds.length > 0) conditions.push(inArray(tickets.teamId, agent.teamIds));
  return or(...conditions);
}

/** Which call-backs an agent sees: like tickets, their teams', unteamed ones and their own. */
export function callbackScope(actor: Staff): SQL | undefined {
  if (seesAllTickets(actor)) return undefined;
  const agent = actor as AgentActor;
  const conds: SQL[] = [isNull(callbacks.teamId), eq(callbacks.assigneeId, agent.userId)];
  if (agent.teamIds.length > 0) conds.push(inArray(callbacks.teamId, agent.teamIds));
  return or(...conds);
}

/** Visible calls: on a ticket the agent can see, or on no ticket (a contact's calls). */
export function callScope(actor: Staff): SQL | undefined {
  const scope = ticketScope(actor);
  if (!scope) return undefined;
  return or(isNull(calls.ticketId), scope);
}

/** Managers and admins see every agent's plan; an agent sees the plans they own or cover. */
export function plannedScope(actor: Staff): SQL | undefined {
  if (can(actor, "plans.readAll")) return undefined;
  const id = (actor as AgentActor).userId;
  return or(eq(plannedContacts.ownerId, id), eq(plannedContacts.coverId, id));
}

// ---- Compatibility names used across modules -------------------------------------------

export const canSeeTicket = (actor: Staff, t: TicketRef): boolean => can(actor, "ticket.read", t);

export type TicketPermissions = {
  reply: boolean;
  note: boolean;
  update: boolean;
  assignOthers: boolean;
  changeTeam: boolean;
};

/**
 * What the actor may do with a ticket they can see; the API returns it with the ticket so
 * the UI hides what is not allowed.
 */
export function ticketPermissions(actor: Staff, t: TicketState): TicketPermissions {
  return {
    reply: can(actor, "ticket.reply", t),
    note: can(actor, "ticket.note", t),
    update: can(actor, "ticket.update", t),
    assignOthers: can(actor, "ticket.reassign", t),
    changeTeam: can(actor, "ticket.changeTeam", t),
  };
}

/** An agent may move a ticket only to a team they belong to; staff above may move it anywhere. */
export const canMoveToTeam = (actor: Staff, teamId: string | null): boolean =>
  can(actor, "team.use", { teamId });
