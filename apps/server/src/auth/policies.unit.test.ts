import { describe, expect, it } from "vitest";
import { AppError } from "../lib/errors.ts";
import { type Actor, type AgentActor, SYSTEM } from "./actor.ts";
import { ACTIONS, type Action, can, requireCan, ruleOf } from "./policies.ts";

/**
 * The policy table, every action × every kind of actor. Adding an action to policies.ts
 * without a row here fails the "covers every action" test (and the type of EXPECTED).
 */
const agentOf = (role: AgentActor["role"], userId: string, teamIds: string[]): AgentActor => ({
  kind: "agent",
  userId,
  role,
  name: role,
  email: `${role}@example.com`,
  locale: "en",
  teamIds,
  via: "session",
});

const ACTORS = {
  admin: agentOf("admin", "u-admin", []),
  manager: agentOf("manager", "u-manager", ["t1"]),
  agent: agentOf("agent", "u-agent", ["t1"]),
  system: SYSTEM,
  customer: { kind: "customer", contactId: "c1" },
  visitor: { kind: "visitor", visitorId: "v1", contactId: null },
  anonymous: { kind: "anonymous" },
} satisfies Record<string, Actor>;
type Who = keyof typeof ACTORS;
const WHO = Object.keys(ACTORS) as Who[];

const STAFF: Who[] = ["admin", "manager", "agent", "system"];
const USERS: Who[] = ["admin", "manager", "agent"];
const ABOVE: Who[] = ["admin", "manager", "system"];
const MANAGERS: Who[] = ["admin", "manager"];
const ADMINS: Who[] = ["admin"];

type Case = { resource?: unknown; allowed: Who[] };
const open = { status: "open" };
const closed = { status: "closed" };
const elsewhere = { teamId: "t2", assigneeId: "u-other" };

const EXPECTED: Record<Action, Case[]> = {
  "tickets.readAll": [{ allowed: ABOVE }],
  "ticket.read": [
    { resource: elsewhere, allowed: ABOVE },
    { resource: { teamId: "t1", assigneeId: null }, allowed: STAFF },
    { resource: { teamId: null, assigneeId: null }, allowed: STAFF },
    { resource: { teamId: "t2", assigneeId: "u-agent" }, allowed: STAFF },
  ],
  "ticket.update": [
    { resource: open, allowed: STAFF },
    { resource: closed, allowed: [] },
  ],
  "ticket.reply": [
    { resource: open, allowed: STAFF },
    { resource: closed, allowed: [] },
  ],
  "ticket.note": [
    { resource: open, allowed: STAFF },
    { resource: closed, allowed: STAFF },
  ],
  "ticket.reassign": [
    { resource: open, allowed: STAFF },
    { resource: closed, allowed: [] },
  ],
  "ticket.changeTeam": [
    { resource: open, allowed: STAFF },
    { resource: closed, allowed: [] },
  ],
  "ticket.merge": [
    { resource: open, allowed: USERS },
    { resource: closed, allowed: [] },
  ],
  "ticket.split": [
    { resource: open, allowed: USERS },
    { resource: closed, allowed: [] },
  ],
  "view.update": [
    { resource: { ownerId: "u-agent", teamIds: [] }, allowed: ["agent"] },
    { resource: { ownerId: "u-other", teamIds: [] }, allowed: [] },
    { resource: { ownerId: "u-other", teamIds: ["t1"] }, allowed: MANAGERS },
    { resource: { ownerId: "u-agent", teamIds: ["t1"] }, allowed: USERS },
  ],
  "team.use": [
    { resource: { teamId: "t2" }, allowed: ABOVE },
    { resource: { teamId: "t1" }, allowed: STAFF },
    { resource: { teamId: null }, allowed: STAFF },
  ],
  "callback.read": [
    { resource: elsewhere, allowed: ABOVE },
    { resource: { teamId: "t1", assigneeId: null }, allowed: STAFF },
    { resource: { teamId: "t2", assigneeId: "u-agent" }, allowed: STAFF },
  ],
  "callback.assign": [
    { resource: { userId: "u-other" }, allowed: MANAGERS },
    { resource: { userId: "u-agent" }, allowed: USERS },
    { resource: { userId: null }, allowed: USERS },
  ],
  "plans.readAll": [{ allowed: ABOVE }],
  "plan.read": [
    { resource: { ownerId: "u-other", coverId: null }, allowed: ABOVE },
    { resource: { ownerId: "u-agent", coverId: null }, allowed: STAFF },
    { resource: { ownerId: "u-other", coverId: "u-agent" }, allowed: STAFF },
  ],
  "plan.assign": [
    { resource: { userId: "u-other" }, allowed: ABOVE },
    { resource: { userId: "u-agent" }, allowed: STAFF },
  ],
  "absence.read": [
    { resource: { agentId: "u-other", coverId: null }, allowed: ABOVE },
    { resource: { agentId: "u-other", coverId: "u-agent" }, allowed: STAFF },
  ],
  "absence.record": [
    { resource: { userId: "u-other" }, allowed: ABOVE },
    { resource: { userId: "u-agent" }, allowed: STAFF },
  ],
  "absence.cancel": [
    { resource: { agentId: "u-other", coverId: "u-agent" }, allowed: ABOVE },
    { resource: { agentId: "u-agent", coverId: null }, allowed: STAFF },
  ],
  "promises.readAll": [{ allowed: ADMINS }],
  "promises.readTeams": [{ allowed: MANAGERS }],
  "reports.read": [{ allowed: MANAGERS }],
  "staffing.calculate": [{ allowed: USERS }],
  "reports.view": [{ allowed: USERS }],
  "recognition.view": [{ allowed: USERS }],
  "recognition.readAll": [{ allowed: MANAGERS }],
  "recognition.manage": [{ allowed: ADMINS }],
  "reports.schedule": [{ allowed: MANAGERS }],
  "csat.read": [{ allowed: USERS }],
  "csat.manage": [{ allowed: ADMINS }],
  "macros.share": [{ allowed: MANAGERS }],
  "macro.update": [
    { resource: { ownerId: null }, allowed: MANAGERS },
    { resource: { ownerId: "u-agent" }, allowed: ["agent"] },
    { resource: { ownerId: "u-admin" }, allowed: ["admin"] },
  ],
  "macro.delete": [
    { resource: { ownerId: null }, allowed: MANAGERS },
    { resource: { ownerId: "u-agent" }, allowed: ["agent"] },
  ],
  "routing.manage": [{ allowed: MANAGERS }],
  "approvalLimits.manage": [{ allowed: MANAGERS }],
  "compensations.reverse": [{ allowed: MANAGERS }],
  "tone.check": [{ allowed: USERS }],
  "tone.manage": [{ allowed: ADMINS }],
  "tone.report": [{ allowed: MANAGERS }],
  "automations.manage": [{ allowed: MANAGERS }],
  "users.manage": [{ allowed: ADMINS }],
  "teams.manage": [{ allowed: ADMINS }],
  "settings.manage": [{ allowed: ADMINS }],
  "channels.manage": [{ allowed: ADMINS }],
  "chat.manage": [{ allowed: ADMINS }],
  "mailboxes.manage": [{ allowed: ADMINS }],
  "email.manage": [{ allowed: ADMINS }],
  "webhooks.manage": [{ allowed: ADMINS }],
  "fields.manage": [{ allowed: ADMINS }],
  "forms.manage": [{ allowed: ADMINS }],
  "sla.manage": [{ allowed: ADMINS }],
  "selfChecks.manage": [{ allowed: ADMINS }],
  "imports.run": [{ allowed: ADMINS }],
  "apiTokens.manageAll": [{ allowed: ADMINS }],
  "kb.read": [{ allowed: STAFF }],
  "kb.write": [
    { resource: { status: "draft" }, allowed: USERS },
    { resource: { status: "in_review" }, allowed: USERS },
    { resource: { status: "published" }, allowed: MANAGERS },
    { resource: { status: "archived" }, allowed: MANAGERS },
  ],
  "kb.publish": [{ allowed: ABOVE }],
  "kb.delete": [{ allowed: MANAGERS }],
  "kb.categories": [{ allowed: MANAGERS }],
  "kb.stats": [{ allowed: MANAGERS }],
  "kb.settings": [{ allowed: ADMINS }],
  "contacts.read": [{ allowed: USERS }],
  "contacts.manage": [{ allowed: USERS }],
  "orders.manage": [{ allowed: MANAGERS }],
  "orders.intake": [{ allowed: ADMINS }],
  "value.manage": [{ allowed: ADMINS }],
  "loyalty.grant": [{ allowed: MANAGERS }],
  "value.relationship": [
    { resource: { accountOwnerId: null }, allowed: MANAGERS },
    { resource: { accountOwnerId: "u-other" }, allowed: MANAGERS },
    { resource: { accountOwnerId: "u-agent" }, allowed: USERS },
  ],
  "notifications.own": [{ allowed: USERS }],
};

// The resource argument is typed per action; the table holds them loosely.
const check = can as (actor: Actor, action: Action, resource?: unknown) => boolean;
const demand = requireCan as (actor: Actor, action: Action, resource?: unknown) => unknown;

function thrown(f: () => unknown): AppError | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}

describe("policy table", () => {
  it("covers every action exactly", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS) {
    describe(action, () => {
      EXPECTED[action].forEach(({ resource, allowed }, i) => {
        for (const who of WHO) {
          const yes = allowed.includes(who);
          it(`case ${i + 1}: ${who} ${yes ? "may" : "may not"}`, () => {
            const actor = ACTORS[who];
            expect(check(actor, action, resource)).toBe(yes);
            const err = thrown(() => demand(actor, action, resource));
            if (yes) {
              expect(err).toBeUndefined();
              return;
            }
            expect(err).toBeDefined();
            // Not staff at all (or Rapport itself on a signed-in-user action): 401;
            // otherwise the action's own 403, or 404 for what the actor may not see.
            const staffKind =
              actor.kind === "agent" || (actor.kind === "system" && ruleOf(action).needs === "staff");
            if (!staffKind) expect(err?.status).toBe(401);
            else expect([403, 404]).toContain(err?.status);
          });
        }
      });
    });
  }
});

describe("errors keep their messages", () => {
  const { agent, manager } = ACTORS;
  const cases: Array<[Actor, Action, unknown, number, string]> = [
    [manager, "settings.manage", undefined, 403, "Only administrators may do this"],
    [agent, "routing.manage", undefined, 403, "Only administrators and managers may do this"],
    [agent, "automations.manage", undefined, 403, "Only administrators and managers may do this"],
    [agent, "ticket.read", elsewhere, 404, "Ticket not found"],
    [agent, "callback.read", elsewhere, 404, "Call-back not found"],
    [agent, "plan.read", { ownerId: "x", coverId: null }, 404, "Planned contact not found"],
    [agent, "absence.read", { agentId: "x", coverId: null }, 404, "Absence not found"],
    [agent, "reports.read", undefined, 404, "Report not found"],
    [agent, "team.use", { teamId: "t2" }, 403, "You are not a member of this team"],
    [agent, "ticket.update", closed, 403, "A closed ticket cannot be changed"],
    [agent, "ticket.merge", closed, 403, "A closed ticket cannot be merged"],
    [agent, "ticket.split", closed, 403, "A closed ticket cannot be split"],
    [agent, "callback.assign", { userId: "x" }, 403, "Agents can take a call-back for themselves only"],
    [agent, "plan.assign", { userId: "x" }, 403, "Only managers plan contacts for others"],
    [agent, "absence.record", { userId: "x" }, 403, "Only managers record other agents' absences"],
    [
      agent,
      "absence.cancel",
      { agentId: "x", coverId: null },
      403,
      "Only the absent agent or a manager may cancel an absence",
    ],
    [agent, "macros.share", undefined, 403, "Only administrators and managers create shared macros"],
    [agent, "macro.update", { ownerId: null }, 403, "Only administrators and managers change shared macros"],
    [agent, "macro.delete", { ownerId: null }, 403, "Only administrators and managers delete shared macros"],
    [SYSTEM, "settings.manage", undefined, 401, "Sign in or send an API token"],
    [ACTORS.customer, "ticket.read", elsewhere, 401, "Sign in or send an API token"],
  ];
  it.each(cases)("%#: %o %s", (actor, action, resource, status, message) => {
    const err = thrown(() => demand(actor, action, resource));
    expect(err?.status).toBe(status);
    expect(err?.message).toBe(message);
  });

  it("returns the actor, narrowed", () => {
    expect(requireCan(manager, "routing.manage")).toBe(manager);
    expect(requireCan(SYSTEM, "ticket.update", open)).toBe(SYSTEM);
  });
});
