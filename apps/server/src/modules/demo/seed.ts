import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Actor, type AgentActor, SYSTEM } from "../../auth/actor.ts";
import type { Ctx, Services } from "../../context.ts";
import type { Db, DbOrTx } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";
import { EventBus } from "../../realtime/bus.ts";
import { createContact, findContactByEmail } from "../contacts/contacts.service.ts";
import { contacts, organizations } from "../contacts/contacts.table.ts";
import { createOrganization } from "../contacts/organizations.service.ts";
import { needsSetup, runSetup } from "../settings/settings.service.ts";
import { breachHistory } from "../sla/sweep.ts";
import { createTeam } from "../teams/teams.service.ts";
import { teams } from "../teams/teams.table.ts";
import { addTicketMessage } from "../tickets/pipeline.ts";
import { asStaff, createTicket, loadVisibleTicket, updateTicket } from "../tickets/tickets.service.ts";
import { ticketEvents } from "../tickets/tickets.table.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";
import { agentActor, findUserWithTeams, insertUser } from "../users/users.service.ts";
import { users } from "../users/users.table.ts";
import {
  DEMO_ADMIN,
  DEMO_AGENTS,
  DEMO_DOMAIN,
  DEMO_TEAMS,
  type PlannedTicket,
  planDemo,
  type Step,
  type TeamKey,
} from "./plan.ts";

export type SeedOptions = {
  seed: string;
  tickets: number;
  contacts: number;
  /** Password of the demo users this run creates; generated when missing. */
  password?: string;
  /** Add another batch even when demo data is already there. */
  force?: boolean;
};

export type SeedPhase = "users" | "contacts" | "tickets";
export type SeedProgress = (phase: SeedPhase, done: number, total: number) => void;

export type DemoLogin = { name: string; email: string; role: string; password: string | null };

export type SeedResult = {
  /** True when this run did first-time setup (the organization and the demo admin). */
  setUp: boolean;
  logins: DemoLogin[];
  counts: { organizations: number; contacts: number; tickets: number; messages: number };
  ms: number;
  /** Milliseconds per phase: setup, teams, users and organizations; contacts; tickets. */
  phases: { users: number; contacts: number; tickets: number };
};

/** Tickets written per transaction: fewer commits, and a failure loses one batch at most. */
const TICKETS_PER_TRANSACTION = 25;

/** A password people can type: 16 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** How many demo users exist (the marker of an earlier seed:demo run). */
export async function countDemoUsers(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`lower(${users.email}) like ${`%@${DEMO_DOMAIN}`}`);
  return row?.n ?? 0;
}

async function actorFor(db: Db, userId: string): Promise<AgentActor> {
  const row = await findUserWithTeams(db, userId);
  if (!row) throw new Error("user vanished");
  return agentActor(row.user, row.teamIds, "session");
}

/**
 * Writes realistic demo data (agents, teams, organizations, contacts, tickets with
 * threads) in English, Vietnamese, Khmer and Tamil through the same services as
 * the API, so timelines, counters and search vectors are what real use produces.
 * Does first-time setup when nobody has; refuses to run twice unless `force`.
 */
export async function seedDemo(
  services: Services,
  opts: SeedOptions,
  onProgress: SeedProgress = () => {},
): Promise<SeedResult> {
  const started = performance.now();
  const db = services.db;
  const existing = await countDemoUsers(db);
  if (existing > 0 && !opts.force) {
    throw new AppError(
      "conflict",
      409,
      `This database already has demo data (${existing} demo users). Run with --force to add another batch.`,
    );
  }
  const password = opts.password ?? generatePassword();
  const now = services.now();
  const plan = planDemo({ seed: opts.seed, tickets: opts.tickets, contacts: opts.contacts, now });
  const logins: DemoLogin[] = [];

  // Setup, or the existing first administrator as the actor for admin-only services.
  const setUp = await needsSetup(services);
  let adminId: string;
  if (setUp) {
    const result = await runSetup(services, {
      organization: { name: "Rapport Demo Shop", timeZone: "Asia/Ho_Chi_Minh", defaultLanguage: "en" },
      admin: { ...DEMO_ADMIN, password },
    });
    adminId = result.admin.id;
    logins.push({ ...DEMO_ADMIN, role: "admin", password });
  } else {
    const [admin] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), eq(users.active, true)))
      .orderBy(users.createdAt)
      .limit(1);
    if (!admin) throw new AppError("conflict", 409, "No active administrator to create the demo data with");
    adminId = admin.id;
  }
  const adminCtx: Ctx = { ...services, actor: await actorFor(db, adminId) };

  const total = DEMO_AGENTS.length + Object.keys(DEMO_TEAMS).length;
  let done = 0;
  const teamIds = {} as Record<TeamKey, string>;
  for (const [key, team] of Object.entries(DEMO_TEAMS) as Array<[TeamKey, (typeof DEMO_TEAMS)[TeamKey]]>) {
    const [found] = await db
      .select({ id: teams.id })
      .from(teams)
      .where(sql`lower(${teams.name}) = ${team.name.toLowerCase()}`);
    teamIds[key] = found?.id ?? (await createTeam(adminCtx, { ...team, memberIds: [] })).id;
    onProgress("users", ++done, total);
  }
  const agentIds: string[] = [];
  for (const a of DEMO_AGENTS) {
    const [found] = await db.select({ id: users.id }).from(users).where(eq(users.email, a.email));
    if (found) {
      agentIds.push(found.id);
      logins.push({ name: a.name, email: a.email, role: a.role, password: null });
    } else {
      const user = await insertUser(db, {
        email: a.email,
        name: a.name,
        role: a.role,
        password,
        languages: a.languages,
        locale: a.locale,
        timeZone: a.timeZone,
        teamIds: a.teams.map((t) => teamIds[t]),
      });
      agentIds.push(user.id);
      logins.push({ name: a.name, email: a.email, role: a.role, password });
    }
    onProgress("users", ++done, total);
  }
  const agentActors = await Promise.all(agentIds.map((id) => actorFor(db, id)));

  const orgIds: string[] = [];
  for (const o of plan.organizations) {
    const [found] = await db
      .select({ id: organizations.id })
      .from(organizations)
      .where(sql`lower(${organizations.name}) = ${o.name.toLowerCase()}`);
    orgIds.push(
      found?.id ??
        (await createOrganization(adminCtx, { name: o.name, domains: [o.domain], notes: "", tags: [] })).id,
    );
  }

  const usersDone = performance.now();
  const contactIds: string[] = [];
  await db.transaction(async (tx) => {
    const ctx: Ctx = { ...adminCtx, db: tx };
    for (const [i, c] of plan.contacts.entries()) {
      const first = c.emails[0];
      // Only a forced run can meet the contacts of an earlier one.
      const found = opts.force && first ? await findContactByEmail(tx, first) : undefined;
      if (found) {
        contactIds.push(found.id);
      } else {
        const created = await createContact(ctx, {
          name: c.name,
          emails: c.emails,
          phones: c.phones,
          language: c.language,
          timeZone: c.timeZone,
          organizationId: c.organization === null ? null : (orgIds[c.organization] ?? null),
          notes: c.notes,
          tags: c.tags,
        });
        await tx
          .update(contacts)
          .set({ createdAt: c.createdAt, updatedAt: c.createdAt })
          .where(eq(contacts.id, created.id));
        contactIds.push(created.id);
      }
      onProgress("contacts", i + 1, plan.contacts.length);
    }
  });

  const contactsDone = performance.now();
  // The seed's own bus has no listeners: nothing of the demo's past is announced. The demo's
  // history happened in the past, so it is written quiet: its replies are not emailed now (to
  // anybody, nor retried against the reserved demo domains) and no webhook is called; its
  // SLA clocks run on the history's own clock.
  const quiet: Services = { ...services, bus: new EventBus() };
  let messages = 0;
  for (let start = 0; start < plan.tickets.length; start += TICKETS_PER_TRANSACTION) {
    const batch = plan.tickets.slice(start, start + TICKETS_PER_TRANSACTION);
    await withTransaction(
      { ...quiet, actor: SYSTEM },
      async (uow) => {
        const clocks: EventClock[] = [];
        for (const [j, t] of batch.entries()) {
          const written = await writeTicket({
            services: quiet,
            db: uow.tx,
            t,
            teamIds,
            agentActors,
            contactIds,
          });
          messages += written.messages;
          clocks.push(written.clock);
          onProgress("tickets", start + j + 1, plan.tickets.length);
        }
        await uow.flush();
        await dateEvents(uow.tx, clocks);
      },
      { quiet: true },
    );
  }

  return {
    setUp,
    logins,
    counts: {
      organizations: plan.organizations.length,
      contacts: plan.contacts.length,
      tickets: plan.tickets.length,
      messages,
    },
    ms: Math.round(performance.now() - started),
    phases: {
      users: Math.round(usersDone - started),
      contacts: Math.round(contactsDone - usersDone),
      tickets: Math.round(performance.now() - contactsDone),
    },
  };
}

type WriteArgs = {
  services: Services;
  db: DbOrTx;
  t: PlannedTicket;
  teamIds: Record<TeamKey, string>;
  agentActors: AgentActor[];
  contactIds: string[];
};

/** When each timeline event of a ticket happened, worked out after the ticket is written. */
type EventClock = { ticketId: string; times: Date[]; signatures: Array<(e: EventRow) => boolean> };
type EventRow = { id: number; ticketId: string; type: string; data: unknown };

const toStatus = (e: EventRow) => (e.data as { to?: unknown } | null)?.to;
const messageIdOf = (e: EventRow) => (e.data as { messageId?: unknown } | null)?.messageId;

/**
 * Writes one planned ticket, step by step, each at its own time on the services'
 * clock. Returns its message count and what is needed to date its timeline events.
 */
async function writeTicket({ services, db, t, teamIds, agentActors, contactIds }: WriteArgs) {
  let clock = t.createdAt;
  const as = (actor: Actor): Ctx => ({ ...services, db, now: () => clock, actor });
  const agentAt = (i: number) => {
    const a = agentActors[i];
    if (!a) throw new Error(`no demo agent ${i}`);
    return a;
  };
  const requesterId = contactIds[t.contact];
  if (!requesterId) throw new Error(`no contact ${t.contact}`);
  const opener = t.openedBy === null ? null : agentAt(t.openedBy);
  const ticket = await createTicket(as(opener ?? SYSTEM), {
    subject: t.subject,
    requester: { id: requesterId },
    message: { body: t.body, internal: false, attachmentIds: [] },
    priority: t.priority,
    channel: t.channel,
    teamId: teamIds[t.team],
    assigneeId: opener?.userId ?? null,
    tags: t.tags,
    language: t.language,
  });
  const stepMessages = new Set<string>();
  const times: Date[] = [t.createdAt];
  const signatures: Array<(e: EventRow) => boolean> = [
    (e) =>
      e.type === "ticket.created" || (e.type === "reply.added" && !stepMessages.has(String(messageIdOf(e)))),
  ];
  let messages = 1;
  // The SLA sweep runs on the history's clock too: before each step, the clocks due by then
  // breach at their due time (so a late reply meets a breached clock, as it would live), and
  // after the last step, those due by now.
  const sweep = (until: Date) => breachHistory(db, ticket.id, until);
  for (const step of t.steps) {
    await sweep(step.at);
    clock = step.at;
    const messageId = await writeStep(step, ticket.id, as, agentAt);
    if (messageId) {
      stepMessages.add(messageId);
      messages++;
    }
    times.push(step.at);
    signatures.push(signatureOf(step, messageId));
  }
  await sweep(services.now());
  return { messages, clock: { ticketId: ticket.id, times, signatures } };
}

/** Which timeline events a step may have written (a message may also move the status). */
function signatureOf(step: Step, messageId: string | null): (e: EventRow) => boolean {
  const ownMessage = (e: EventRow) => messageIdOf(e) === messageId;
  switch (step.kind) {
    case "assign":
      return (e) => e.type === "assignee.changed" || (e.type === "status.changed" && toStatus(e) === "open");
    case "customer":
      return (e) => ownMessage(e) || (e.type === "status.changed" && toStatus(e) === "open");
    case "reply":
      return (e) =>
        ownMessage(e) ||
        (e.type === "status.changed" && (toStatus(e) === "open" || toStatus(e) === step.status));
    case "note":
      return ownMessage;
    case "status":
      return (e) => e.type === "status.changed" && toStatus(e) === step.status;
    case "priority":
      return (e) => e.type === "priority.changed";
    case "tag":
      return (e) => e.type === "tags.changed";
  }
}

/**
 * Services stamp their rows with ctx.now(), but timeline events take the database's
 * clock; this dates each event at the step that wrote it: events come in id order,
 * and each belongs to the current step or, when it cannot, to the next step that could.
 */
async function dateEvents(db: DbOrTx, clocks: EventClock[]): Promise<void> {
  if (clocks.length === 0) return;
  const byTicket = new Map(clocks.map((c) => [c.ticketId, c]));
  const rows = await db
    .select({
      id: ticketEvents.id,
      ticketId: ticketEvents.ticketId,
      type: ticketEvents.type,
      data: ticketEvents.data,
    })
    .from(ticketEvents)
    .where(inArray(ticketEvents.ticketId, [...byTicket.keys()]))
    .orderBy(ticketEvents.ticketId, ticketEvents.id);
  const dated: Array<{ id: number; at: Date }> = [];
  let current: string | null = null;
  let step = 0;
  for (const e of rows) {
    const c = byTicket.get(e.ticketId);
    // Breaches are dated at their due time when written (breachHistory).
    if (!c || e.type === "sla.breached") continue;
    if (e.ticketId !== current) {
      current = e.ticketId;
      step = 0;
    }
    if (!c.signatures[step]?.(e)) {
      const next = c.signatures.findIndex((sig, i) => i > step && sig(e));
      if (next > 0) step = next;
    }
    const at = c.times[step];
    if (at) dated.push({ id: e.id, at });
  }
  if (dated.length === 0) return;
  const values = sql.join(
    dated.map((d) => sql`(${d.id}::bigint, ${d.at.toISOString()}::timestamptz)`),
    sql`, `,
  );
  await db.execute(
    sql`update ticket_events as e set created_at = v.at from (values ${values}) as v(id, at) where e.id = v.id`,
  );
}

/** Writes one step; returns the id of the message it wrote, if any. */
async function writeStep(
  step: Step,
  ticketId: string,
  as: (actor: Actor) => Ctx,
  agentAt: (i: number) => AgentActor,
): Promise<string | null> {
  switch (step.kind) {
    case "assign":
      await updateTicket(as(agentAt(step.agent)), ticketId, { assigneeId: agentAt(step.agent).userId });
      return null;
    case "customer":
      return postMessage(as(SYSTEM), ticketId, { body: step.body, internal: false, authorType: "customer" });
    case "note":
      return postMessage(as(agentAt(step.agent)), ticketId, {
        body: step.body,
        internal: true,
        authorType: "agent",
      });
    case "reply": {
      const ctx = as(agentAt(step.agent));
      const id = await postMessage(ctx, ticketId, { body: step.body, internal: false, authorType: "agent" });
      if (step.status) await updateTicket(ctx, ticketId, { status: step.status });
      return id;
    }
    case "status":
      await updateTicket(as(step.agent === null ? SYSTEM : agentAt(step.agent)), ticketId, {
        status: step.status,
      });
      return null;
    case "priority":
      await updateTicket(as(agentAt(step.agent)), ticketId, { priority: step.priority });
      return null;
    case "tag":
      await updateTicket(as(agentAt(step.agent)), ticketId, { addTags: [step.tag] });
      return null;
  }
}

/**
 * A message on a ticket, as addMessage writes it (visibility check, then the shared
 * insertMessage), without reading the message back for an API response: the seed
 * is inside its batch transaction already, and does not need the response.
 */
async function postMessage(
  ctx: Ctx,
  ticketId: string,
  m: { body: string; internal: boolean; authorType: "agent" | "customer" },
): Promise<string> {
  const actor = asStaff(ctx.actor);
  return withTransaction(ctx, async (uow) => {
    const ticket = await loadVisibleTicket(uow.tx, actor, ticketId, { lock: true });
    const { message } = await addTicketMessage(uow, ticket, {
      ...m,
      authorUserId: m.authorType === "agent" && actor.kind === "agent" ? actor.userId : null,
      authorContactId: m.authorType === "customer" ? ticket.requesterId : null,
      channel: ticket.channel,
    });
    return message.id;
  });
}
