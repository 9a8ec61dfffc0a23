import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

/**
 * Message search takes one of two query shapes depending on how many messages match
 * (search.service.ts searchMessages): both must give the newest visible hits first.
 */
describe("message search for rare and common words", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  let visible: { id: string };
  let hidden: { id: string };
  type Hit = { ticketId: string; createdAt: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    const mine = await createTeam(admin.api, "Mine");
    const other = await createTeam(admin.api, "Other");
    agent = await createAgent(t, admin.api, { teamIds: [mine.id] });
    visible = await createTicket(admin.api, { teamId: mine.id });
    hidden = await createTicket(admin.api, { teamId: other.id });
    // 1,200 messages with a common word, alternating between the two tickets, the newest on the hidden one;
    // and a rare word in two older messages of the visible ticket.
    await t.database.exec(`
      insert into messages (ticket_id, author_type, channel, body_text, body_html, search_vector, created_at)
      select case when i % 2 = 0 then '${hidden.id}'::uuid else '${visible.id}'::uuid end, 'customer', 'email',
             'plentiful word number ' || i, '<p>plentiful word number ' || i || '</p>',
             setweight(to_tsvector('simple', 'plentiful word number ' || i), 'B'),
             timestamptz '2030-01-01' + interval '1 minute' * i
        from generate_series(1, 1200) i;
      insert into messages (ticket_id, author_type, channel, body_text, body_html, search_vector, created_at)
      select '${visible.id}'::uuid, 'customer', 'email', 'scarcity ' || i, '<p>scarcity ' || i || '</p>',
             setweight(to_tsvector('simple', 'scarcity ' || i), 'B'), timestamptz '2029-01-01' + interval '1 day' * i
        from generate_series(1, 2) i;`);
  });
  afterAll(() => t.close());

  const hits = async (api: typeof admin.api, q: string) => {
    const res = await api.get(`/search?q=${q}&types=messages&limit=5`);
    expect(res.status).toBe(200);
    return res.body.messages as Hit[];
  };
  const newestFirst = (list: Hit[]) =>
    list.every((h, i) => i === 0 || (list[i - 1] as Hit).createdAt >= h.createdAt);

  it("returns the newest hits of a common word, only from tickets the agent may see", async () => {
    const mine = await hits(agent.api, "plentiful");
    expect(mine).toHaveLength(5);
    expect(mine.every((h) => h.ticketId === visible.id)).toBe(true);
    expect(newestFirst(mine)).toBe(true);
    expect(mine[0]?.createdAt).toBe(
      new Date(Date.parse("2030-01-01T00:00:00Z") + 1199 * 60_000).toISOString(),
    );

    const all = await hits(admin.api, "plentiful");
    expect(all[0]?.ticketId).toBe(hidden.id);
    expect(all[0]?.createdAt).toBe(
      new Date(Date.parse("2030-01-01T00:00:00Z") + 1200 * 60_000).toISOString(),
    );
    expect(newestFirst(all)).toBe(true);
  });

  it("returns every hit of a rare word, newest first, and nothing to those who may not see it", async () => {
    const rare = await hits(agent.api, "scarcity");
    expect(rare.map((h) => h.createdAt)).toEqual([
      new Date("2029-01-03T00:00:00Z").toISOString(),
      new Date("2029-01-02T00:00:00Z").toISOString(),
    ]);
    const outsider = await createAgent(t, admin.api, { teamIds: [] });
    expect(await hits(outsider.api, "scarcity")).toEqual([]);
    expect(await hits(agent.api, "nowhereword")).toEqual([]);
  });
});
