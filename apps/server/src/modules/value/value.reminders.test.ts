import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import { apiClient, createAgent, createTeam, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { DAY_MS } from "./rfm.ts";
import { runReminders } from "./value.reminders.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

describe("reminders before a customer lapses", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let manager: Awaited<ReturnType<typeof createAgent>>;
  let owner: Awaited<ReturnType<typeof createAgent>>;
  let lead: Awaited<ReturnType<typeof createAgent>>;
  let teamId: string;
  let n = 0;
  const ids = new Map<string, string>();

  const buy = async (who: string, daysAgo: number) => {
    const res = await manager.api.post("/orders", {
      contact: { email: `${who}@example.com`, name: who },
      number: `R${++n}`,
      placedAt: ago(daysAgo),
      status: "delivered",
      currency: "USD",
      totalMinor: 10_000,
    });
    if (res.status !== 201) throw new Error(res.raw);
    ids.set(who, res.body.contactId);
    return res.body;
  };
  const sweep = () => runReminders(withActor(t.services, SYSTEM));
  const reminders = async (who: string) =>
    rowsOf<{ status: string; planned_contact_id: string | null; converted_at: string | null }>(
      await t.database.db.execute(
        sql`select status, planned_contact_id, converted_at from value_reminders where contact_id = ${ids.get(who)}`,
      ),
    );
  const plans = async (who: string) =>
    rowsOf<{ owner_id: string; status: string; purpose: string }>(
      await t.database.db.execute(
        sql`select owner_id, status, purpose from planned_contacts where contact_id = ${ids.get(who)}`,
      ),
    );
  const notices = async (userId: string) =>
    rowsOf<{ contact_id: string }>(
      await t.database.db.execute(
        sql`select contact_id from notifications where user_id = ${userId} and kind = 'value.reminder'`,
      ),
    );

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    admin = await setupAdmin(t);
    manager = await createAgent(t, admin.api, { role: "manager" });
    owner = await createAgent(t, admin.api);
    lead = await createAgent(t, admin.api, { name: "Aa Lead" });
    teamId = (await createTeam(admin.api)).id;
    await admin.api.patch(`/users/${lead.user.id}`, { teamIds: [teamId] });
    // "regular": 3 purchases 30 days apart, the last 25 days ago: I = 30, lead 7 -> due since day 23.
    for (const d of [85, 55, 25]) await buy("regular", d);
    // "drifted": own I = 30, last purchase 40 days ago: already lapsed, no reminder.
    for (const d of [100, 70, 40]) await buy("drifted", d);
    // "early": I = 30, last purchase 10 days ago: not due yet.
    for (const d of [70, 40, 10]) await buy("early", d);
    // "orphan": no account owner; the reminder team's member gets it.
    for (const d of [84, 54, 24]) await buy("orphan", d);
    const org = await admin.api.post("/organizations", { name: "Tea House", accountOwnerId: owner.user.id });
    expect(org.status, org.raw).toBe(201);
    for (const who of ["regular", "drifted", "early"]) {
      const res = await admin.api.patch(`/contacts/${ids.get(who)}`, { organizationId: org.body.id });
      expect(res.status, res.raw).toBe(200);
    }
    const res = await admin.api.patch("/value/settings", { reminderTeamId: teamId });
    expect(res.status, res.raw).toBe(200);
  });
  afterAll(() => t?.close());

  it("files one planned contact and one notice for a regular whose interval is about to close", async () => {
    const value = await manager.api.get(`/contacts/${ids.get("regular")}/value`);
    expect(value.body.intervalDays).toBe(30);
    expect(Date.parse(value.body.nextReminderAt)).toBe(Date.parse(ago(25)) + 23 * DAY_MS);
    const first = await sweep();
    expect(first.filed).toBe(2);
    const [plan] = await plans("regular");
    expect(plan?.owner_id).toBe(owner.user.id);
    expect(plan?.status).toBe("planned");
    expect(plan?.purpose).toContain("25 days ago");
    expect((await notices(owner.user.id)).map((x) => x.contact_id)).toEqual([ids.get("regular")]);
    // The team's member (no lead set) gets the orphan's.
    expect((await plans("orphan"))[0]?.owner_id).toBe(lead.user.id);
    expect((await notices(lead.user.id)).length).toBe(1);
    // Not for the lapsed one, not yet for the early one.
    expect(await reminders("drifted")).toEqual([]);
    expect(await reminders("early")).toEqual([]);
    // Not repeated: another sweep, a day later, files nothing.
    t.clock.set(new Date(NOW.getTime() + DAY_MS));
    expect((await sweep()).filed).toBe(0);
    expect(await plans("regular")).toHaveLength(1);
    expect(await notices(owner.user.id)).toHaveLength(1);
    // A nightly recompute does not bring it back either.
    expect((await admin.api.post("/rfm/recompute", {})).status).toBe(200);
    expect((await sweep()).filed).toBe(0);
    t.clock.set(NOW);
  });

  it("a purchase cancels the planned contact and counts as converted in the report", async () => {
    t.clock.set(new Date(NOW.getTime() + 2 * DAY_MS));
    await buy("regular", -2);
    expect((await plans("regular"))[0]?.status).toBe("cancelled");
    const [r] = await reminders("regular");
    expect(r?.converted_at).not.toBeNull();
    const m = await manager.api.get("/rfm/matrix");
    expect(m.body.reminders).toEqual({ sent: 2, converted: 1 });
    // The next interval gets its own reminder, in time.
    const v = await manager.api.get(`/contacts/${ids.get("regular")}/value`);
    expect(Date.parse(v.body.nextReminderAt)).toBeGreaterThan(t.clock.now().getTime());
    t.clock.set(NOW);
  });

  it("email mode queues the templated email with the offer to the customer", async () => {
    const res = await admin.api.patch("/value/settings", {
      reminderMode: "email",
      reminderOffer: "Use code BACK10 for 10% off.",
      reminderTemplate: { en: { subject: "Hi {{name}}", body: "Dear {{name}}, {{offer}}" } },
    });
    expect(res.status, res.raw).toBe(200);
    t.clock.set(new Date(NOW.getTime() + 15 * DAY_MS));
    expect((await sweep()).filed).toBe(1);
    const mails = rowsOf<{ to: string[]; subject: string; body_text: string }>(
      await t.database.db.execute(sql`select to_addresses as "to", subject, body_text from outbound_emails where kind = 'value_reminder'
        and subject = 'Hi early'`),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(["early@example.com"]);
    expect(mails[0]?.body_text).toBe("Dear early, Use code BACK10 for 10% off.");
    expect(await plans("early")).toEqual([]);
    t.clock.set(NOW);
  });

  it("admins send the due reminders now (POST /value/reminders/run), once; others and bad bodies are refused", async () => {
    for (const d of [85, 55, 25]) await buy("runnow", d);
    expect(await reminders("runnow")).toEqual([]);
    expect((await apiClient(t.app).post("/value/reminders/run")).status).toBe(401);
    expect((await manager.api.post("/value/reminders/run")).status).toBe(403);
    expect((await owner.api.post("/value/reminders/run", {})).status).toBe(403);
    for (const body of [{ now: true }, []])
      expect((await admin.api.post("/value/reminders/run", body)).status, JSON.stringify(body)).toBe(400);
    expect((await admin.api.post("/value/reminders/run", "x")).status).toBe(415);
    expect(await reminders("runnow")).toEqual([]);
    const run = await admin.api.post("/value/reminders/run", {});
    expect(run.status, run.raw).toBe(200);
    expect(run.body.filed).toBeGreaterThanOrEqual(1);
    expect(await reminders("runnow")).toHaveLength(1);
    const again = await admin.api.post("/value/reminders/run");
    expect(again.status).toBe(200);
    expect(await reminders("runnow")).toHaveLength(1);
  });

  it("refuses a bad reminder team, and only admins change it", async () => {
    const bad = await admin.api.patch("/value/settings", {
      reminderTeamId: "00000000-0000-4000-8000-000000000000",
    });
    expect(bad.status).toBe(400);
    expect((await admin.api.patch("/value/settings", { reminderTeamId: "nope" })).status).toBe(400);
    expect((await manager.api.patch("/value/settings", { reminderTeamId: null })).status).toBe(403);
    expect((await owner.api.patch("/value/settings", { reminderTeamId: null })).status).toBe(403);
  });
});
