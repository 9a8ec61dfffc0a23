import { foldText, tokenize } from "@rapport/shared";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../jobs/jobs.table.ts";
import { AppError } from "../../lib/errors.ts";
import { type Api, type Json, loginAs, PASSWORD, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import "../email/email.runtime.ts";
import { outboundEmails } from "../email/email.table.ts";
import { DEMO_ADMIN, DEMO_AGENTS } from "./plan.ts";
import { seedDemo } from "./seed.ts";

const SIZE = { tickets: 30, contacts: 10 };

async function allTickets(api: Api): Promise<Json[]> {
  const res = await api.get("/tickets?limit=200&sort=created&order=asc");
  expect(res.status).toBe(200);
  return res.body.items;
}

/** What the same seed must reproduce: everything but ids and the clock. */
async function fingerprint(api: Api) {
  const tickets = await allTickets(api);
  const threads = [];
  for (const t of tickets) {
    const msgs = await api.get(`/tickets/${t.id}/messages?limit=200`);
    threads.push({
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      channel: t.channel,
      language: t.language,
      tags: t.tags,
      requester: t.requester.name,
      assignee: t.assignee?.name ?? null,
      messages: msgs.body.items.map((m: Json) => [m.author.type, m.author.name, m.internal, m.bodyText]),
    });
  }
  return threads;
}

describe("seed:demo into a fresh database (no setup yet)", () => {
  let t: TestApp;
  let api: Api;
  let tickets: Json[];

  beforeAll(async () => {
    t = await createTestApp();
    const result = await seedDemo(t.services, { seed: "test", ...SIZE, password: PASSWORD });
    expect(result.setUp).toBe(true);
    expect(result.logins.map((l) => l.email)).toEqual([DEMO_ADMIN.email, ...DEMO_AGENTS.map((a) => a.email)]);
    expect(result.logins.every((l) => l.password === PASSWORD)).toBe(true);
    api = (await loginAs(t, DEMO_ADMIN.email)).api;
    tickets = await allTickets(api);
  });
  afterAll(() => t.close());

  it("creates the organization, the admin, the agents and their teams", async () => {
    const me = await api.get("/me");
    expect(me.body.organization.name).toBe("Rapport Demo Shop");
    const users = await api.get("/users");
    expect(users.body).toHaveLength(DEMO_AGENTS.length + 1);
    const teams = await api.get("/teams");
    expect(teams.body.map((x: Json) => x.name).sort()).toEqual([
      "Billing",
      "Customer Care",
      "Orders & Delivery",
      "Technical Support",
    ]);
    for (const team of teams.body) expect(team.memberIds.length).toBeGreaterThanOrEqual(4);
    // Every demo agent can sign in with the printed password.
    const lan = DEMO_AGENTS.find((a) => a.name === "Nguyễn Thị Lan");
    expect((await loginAs(t, lan?.email ?? "")).csrf).toBeTruthy();
  });

  it("writes the requested number of tickets and contacts, in all four languages", async () => {
    expect(tickets).toHaveLength(SIZE.tickets);
    const contacts = await api.get("/contacts?limit=200");
    expect(contacts.body.items).toHaveLength(SIZE.contacts);
    expect(new Set(tickets.map((x) => x.language))).toEqual(new Set(["en", "vi", "km", "ta"]));
    expect(new Set(contacts.body.items.map((c: Json) => c.language))).toEqual(
      new Set(["en", "vi", "km", "ta"]),
    );
    for (const c of contacts.body.items) {
      expect(c.emails.length).toBeGreaterThan(0);
      for (const e of c.emails)
        expect(e.email).toMatch(/\.(example|example\.com|example\.net|example\.org)$|@example\./);
      for (const p of c.phones) expect(p.phone).toMatch(/^\+(84|855|91|94|65|60|44|1|61)\d{6,11}$/);
    }
    const scripts = tickets.map((x) => x.subject).join(" ");
    expect(scripts).toMatch(/[\u1780-\u17ff]/); // Khmer
    expect(scripts).toMatch(/[\u0b80-\u0bff]/); // Tamil
    expect(scripts).toMatch(/[ăâđêôơư]/i); // Vietnamese
  });

  it("queues no email for the demo's past replies, and leaves the email hook in place", async () => {
    const count = sql<number>`count(*)::int`;
    const [outbound] = await t.database.db.select({ n: count }).from(outboundEmails);
    const [queued] = await t.database.db.select({ n: count }).from(jobs);
    expect(outbound?.n).toBe(0);
    expect(queued?.n).toBe(0);
    expect(tickets.some((x) => x.channel === "email" && x.messageCount > 1)).toBe(true);
  });

  it("varies statuses, priorities and channels, and spreads tickets over past weeks", () => {
    expect(new Set(tickets.map((x) => x.status)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(tickets.map((x) => x.priority)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(tickets.map((x) => x.channel)).size).toBeGreaterThanOrEqual(3);
    const now = Date.now();
    const created = tickets.map((x) => Date.parse(x.createdAt));
    expect(Math.max(...created)).toBeLessThanOrEqual(now);
    expect(now - Math.min(...created)).toBeGreaterThan(7 * 86400_000);
    // Ticket numbers follow creation time, as they would in real use.
    const numbers = tickets.map((x) => x.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it("threads messages: the customer first, agent replies and internal notes after, in time order", async () => {
    let replies = 0;
    let notes = 0;
    for (const ticket of tickets) {
      const res = await api.get(`/tickets/${ticket.id}/messages?limit=200`);
      const msgs: Json[] = res.body.items;
      expect(msgs).toHaveLength(ticket.messageCount);
      expect(msgs[0].author.type).toBe("customer");
      expect(msgs[0].author.id).toBe(ticket.requester.id);
      const times = msgs.map((m) => Date.parse(m.createdAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBe(Date.parse(ticket.createdAt));
      replies += msgs.filter((m) => m.author.type === "agent" && !m.internal).length;
      notes += msgs.filter((m) => m.internal).length;
      if (ticket.status === "solved" || ticket.status === "closed") {
        expect(msgs.some((m) => m.author.type === "agent" && !m.internal)).toBe(true);
        expect(ticket.solvedAt).not.toBeNull();
      }
      if (ticket.status !== "new") expect(ticket.assignee).not.toBeNull();
    }
    expect(replies).toBeGreaterThan(SIZE.tickets / 2);
    expect(notes).toBeGreaterThan(0);
  });

  it("stamps timeline events at the time they happened, with agents as actors", async () => {
    const solved = tickets.find((x) => x.status === "closed") ?? tickets.find((x) => x.status === "solved");
    const res = await api.get(`/tickets/${solved.id}/events`);
    const events: Json[] = res.body;
    expect(events[0].type).toBe("ticket.created");
    expect(Date.parse(events[0].createdAt)).toBe(Date.parse(solved.createdAt));
    const times = events.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events.some((e) => e.actor.type === "agent" && e.actor.name)).toBe(true);
    expect(events.some((e) => e.type === "status.changed")).toBe(true);
    expect(events.at(-1)?.createdAt).toBe(solved.updatedAt);
  });

  it("dates every message event at its message, on every ticket", async () => {
    for (const ticket of tickets) {
      const [msgs, events] = await Promise.all([
        api.get(`/tickets/${ticket.id}/messages?limit=200`),
        api.get(`/tickets/${ticket.id}/events`),
      ]);
      const at = new Map(msgs.body.items.map((m: Json) => [m.id, m.createdAt]));
      const messageEvents = events.body.filter((e: Json) => e.data.messageId);
      expect(messageEvents).toHaveLength(ticket.messageCount);
      for (const e of messageEvents) expect(e.createdAt).toBe(at.get(e.data.messageId));
      const times = events.body.map((e: Json) => Date.parse(e.createdAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times)).toBe(Date.parse(ticket.updatedAt));
    }
  });

  it("leaves every ticket's SLA clocks as the live rules would have left them (issue 14)", async () => {
    // Recomputed from the history: the first public agent reply meets the first-response
    // clock at its own time; a clock breaches (the sweep, on the history's clock) at its due
    // time if nothing met it before; nothing breaches at seed time.
    const rows = await t.database.query<{
      number: number;
      metric: string;
      status: string;
      due_at: Date | null;
      met_at: Date | null;
      breached_at: Date | null;
      first_reply: Date | null;
      ticket_status: string;
    }>(`select t.number, s.metric, s.status, s.due_at, s.met_at, s.breached_at, t.status as ticket_status,
          (select min(m.created_at) from messages m where m.ticket_id = t.id and m.author_type = 'agent'
             and not m.internal) as first_reply
        from sla_targets s join tickets t on t.id = s.ticket_id where s.cycle = 0 order by t.number`);
    expect(rows.length).toBeGreaterThan(SIZE.tickets / 2);
    const ms = (d: Date | null) => (d ? new Date(d).getTime() : null);
    const problems: string[] = [];
    for (const r of rows) {
      const due = ms(r.due_at);
      const met = ms(r.met_at);
      const breached = ms(r.breached_at);
      const label = `#${r.number} ${r.metric}`;
      if (r.status === "cancelled") continue;
      if (r.metric === "first_response" && r.first_reply) {
        if (met !== ms(r.first_reply))
          problems.push(`${label}: answered at ${r.first_reply}, met ${r.met_at}`);
      }
      if (breached !== null && (due === null || breached !== due))
        problems.push(`${label}: breached at ${r.breached_at}, due ${r.due_at}`);
      const late = due !== null && (met === null ? due <= Date.now() : met > due);
      if (late !== (breached !== null)) problems.push(`${label}: late ${late}, breached ${r.breached_at}`);
      if (breached !== null && r.status !== "breached") problems.push(`${label}: status ${r.status}`);
      if (met !== null && breached === null && r.status !== "met")
        problems.push(`${label}: status ${r.status}`);
    }
    expect(problems).toEqual([]);
    // Breach events on the timeline are dated at the breach; no escalation is queued for the past.
    const events = await t.database.query<{ n: number }>(
      `select count(*)::int as n from ticket_events e join sla_targets s on s.id::text = e.data->>'targetId'
        where e.type = 'sla.breached' and e.created_at <> s.breached_at`,
    );
    expect(events[0]?.n).toBe(0);
    const escalations = await t.database.query<{ n: number }>(
      "select count(*)::int as n from jobs where kind = 'sla.escalate'",
    );
    expect(escalations[0]?.n).toBe(0);
  });

  it("finds a Khmer word through GET /search", async () => {
    const khmer = tickets.find((x) => x.language === "km");
    const msgs = await api.get(`/tickets/${khmer.id}/messages`);
    const word = tokenize(msgs.body.items[0].bodyText).find((w) => /[\u1780-\u17ff]{3,}/.test(w));
    expect(word).toBeTruthy();
    const res = await api.get(`/search?q=${encodeURIComponent(word ?? "")}&types=messages&limit=50`);
    expect(res.status).toBe(200);
    expect(res.body.messages.length).toBeGreaterThan(0);
    const ids = new Set(tickets.filter((x) => x.language === "km").map((x) => x.id));
    for (const hit of res.body.messages) expect(ids.has(hit.ticketId)).toBe(true);
  });

  it("finds a Vietnamese subject typed without diacritics through GET /search", async () => {
    const vi = tickets.find(
      (x) =>
        x.language === "vi" &&
        /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i.test(x.subject),
    );
    expect(vi).toBeTruthy();
    const typed = foldText(vi.subject)
      .replace(/[^a-z0-9 ]/g, " ")
      .trim();
    expect(typed).not.toBe(vi.subject.toLowerCase());
    const res = await api.get(`/search?q=${encodeURIComponent(typed)}&types=tickets&limit=50`);
    expect(res.status).toBe(200);
    expect(res.body.tickets.map((x: Json) => x.id)).toContain(vi.id);
  });

  it("refuses to run twice unless forced; forced, it adds tickets and reuses the same people", async () => {
    const again = seedDemo(t.services, { seed: "test", ...SIZE, password: PASSWORD });
    await expect(again).rejects.toThrow(AppError);
    await expect(again).rejects.toThrow(/--force/);
    expect(await allTickets(api)).toHaveLength(SIZE.tickets);

    const forced = await seedDemo(t.services, {
      seed: "test",
      tickets: 5,
      contacts: SIZE.contacts,
      force: true,
    });
    expect(forced.setUp).toBe(false);
    expect(forced.logins.every((l) => l.password === null)).toBe(true);
    expect(await allTickets(api)).toHaveLength(SIZE.tickets + 5);
    const contacts = await api.get("/contacts?limit=200");
    expect(contacts.body.items).toHaveLength(SIZE.contacts);
    // The existing password still works: a forced run does not reset anyone's password.
    expect((await loginAs(t, DEMO_ADMIN.email)).csrf).toBeTruthy();
  });
});

describe("seed:demo reproducibility and an existing setup", () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp(), createTestApp()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it("gives the same data for the same seed, and adds to an organization that is already set up", async () => {
    await seedDemo(a.services, { seed: "same", tickets: 12, contacts: 6, password: PASSWORD });
    const admin = await setupAdmin(b);
    const result = await seedDemo(b.services, { seed: "same", tickets: 12, contacts: 6, password: PASSWORD });
    expect(result.setUp).toBe(false);
    expect(result.logins.map((l) => l.role)).not.toContain("admin");
    const users = await admin.api.get("/users");
    expect(users.body.filter((u: Json) => u.role === "admin")).toHaveLength(1);
    const me = await admin.api.get("/me");
    expect(me.body.organization.name).toBe("Acme Support");

    const apiA = (await loginAs(a, DEMO_ADMIN.email)).api;
    const fa = await fingerprint(apiA);
    const fb = await fingerprint(admin.api);
    expect(fa).toHaveLength(12);
    expect(fb).toEqual(fa);
  });
});
