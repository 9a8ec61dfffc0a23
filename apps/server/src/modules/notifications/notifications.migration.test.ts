import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, MIGRATIONS_DIR, openPglite, openPostgres } from "../../db/client.ts";
import { withDatabase } from "../../test/global-setup.ts";
import { TEST_BACKEND } from "../../test/harness.ts";

/**
 * The migration that folded planner_notifications, sla_notifications and agent_notifications
 * into `notifications`: a database migrated up to just before it gets rows in the three old
 * tables (some read), then the migration runs, and every row is found in the new table with
 * its kind renamed, its read state and its dedupe key kept.
 */
const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as {
  entries: Array<{ tag: string }>;
};
const sqlOf = (tag: string) => fs.readFileSync(path.join(MIGRATIONS_DIR, `${tag}.sql`), "utf8");
const statements = (tag: string) =>
  sqlOf(tag)
    .split("--> statement-breakpoint")
    .map((s) => s.trim())
    .filter(Boolean);
const folding = journal.entries.findIndex((e) => sqlOf(e.tag).includes('DROP TABLE "planner_notifications"'));

let database: Database;
let dropDb: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (TEST_BACKEND === "pglite") database = await openPglite();
  else {
    const url = process.env.TEST_DATABASE_URL as string;
    const name = `rapport_mig_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    database = openPostgres(withDatabase(url, name), { max: 2 });
    dropDb = async () => {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  await database.exec("create extension if not exists pg_trgm; create extension if not exists unaccent;");
  for (const e of journal.entries.slice(0, folding))
    for (const s of statements(e.tag)) await database.exec(s);
});
afterAll(async () => {
  await database?.close();
  await dropDb?.();
});

describe("folding the three notification tables into one", () => {
  it("finds the migration", () => {
    expect(folding).toBeGreaterThan(0);
  });

  it("copies every row with its read state, kind and dedupe key, then drops the old tables", async () => {
    const [u1] = await database.query<{ id: string }>(
      `insert into users (email, name, role, password_hash) values ('ann@example.com', 'Ann', 'agent', 'x') returning id`,
    );
    const [u2] = await database.query<{ id: string }>(
      `insert into users (email, name, role, password_hash) values ('bao@example.com', 'Bao', 'manager', 'x') returning id`,
    );
    const ann = u1?.id as string;
    const bao = u2?.id as string;
    const [c] = await database.query<{ id: string }>(
      `insert into contacts (name) values ('Lan') returning id`,
    );
    const [tk] = await database.query<{ id: string }>(
      `insert into tickets (subject, requester_id, channel) values ('Parcel late', $1, 'email') returning id`,
      [c?.id],
    );
    const ticket = tk?.id as string;
    await database.query(
      `insert into sla_notifications (user_id, kind, dedupe_key, ticket_id, title, data, read_at, created_at) values
        ($1, 'sla_warning', 'sla-warn:1', $2, '#1 Parcel late: first response due soon', '{"metric":"first_response","number":1}', null, '2026-12-01T08:00:00Z'),
        ($1, 'sla_breach', 'sla-breach:1', $2, '#1 Parcel late: first response target breached', '{"metric":"first_response"}', '2026-12-01T09:30:00Z', '2026-12-01T09:00:00Z'),
        ($3, 'promise_reminder', 'promise-remind:9', null, 'Promise due: Refund', '{}', null, '2026-12-01T10:00:00Z')`,
      [ann, ticket, bao],
    );
    await database.query(
      `insert into planner_notifications (user_id, kind, day, title, data, read_at, created_at) values
        ($1, 'morning_plan', '2026-12-01', '3 contacts planned today', '{"count":3,"missed":1}', '2026-12-01T02:00:00Z', '2026-12-01T01:00:00Z')`,
      [ann],
    );
    await database.query(
      `insert into agent_notifications (user_id, kind, ticket_id, title, body, data, read_at, created_at) values
        ($1, 'automation', $2, 'VIP ticket #1', 'Parcel late', '{"via":"trigger"}', null, '2026-12-01T11:00:00Z'),
        ($3, 'runaround', $2, 'Ticket #1 has been transferred 2 times', 'Parcel late', '{"transfers":2}', '2026-12-01T12:30:00Z', '2026-12-01T12:00:00Z')`,
      [ann, ticket, bao],
    );

    for (const e of journal.entries.slice(folding)) for (const s of statements(e.tag)) await database.exec(s);

    const rows = await database.query<{
      user_id: string;
      kind: string;
      ticket_id: string | null;
      link: string | null;
      params: Record<string, unknown>;
      dedupe_key: string | null;
      read_at: Date | string | null;
      created_at: Date | string;
    }>(
      `select user_id, kind, ticket_id, link, params, dedupe_key, read_at, created_at from notifications order by created_at`,
    );
    const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
    expect(
      rows.map((r) => ({
        user: r.user_id === ann ? "ann" : "bao",
        kind: r.kind,
        ticket: r.ticket_id === ticket,
        link: r.link,
        text: r.params.text,
        key: r.dedupe_key,
        read: iso(r.read_at),
        at: iso(r.created_at),
      })),
    ).toEqual([
      {
        user: "ann",
        kind: "planner.morning_plan",
        ticket: false,
        link: "/planner/today",
        text: "3 contacts planned today",
        key: "morning:2026-12-01",
        read: "2026-12-01T02:00:00.000Z",
        at: "2026-12-01T01:00:00.000Z",
      },
      {
        user: "ann",
        kind: "sla.warning",
        ticket: true,
        link: `/tickets/${ticket}`,
        text: "#1 Parcel late: first response due soon",
        key: "sla-warn:1",
        read: null,
        at: "2026-12-01T08:00:00.000Z",
      },
      {
        user: "ann",
        kind: "sla.breach",
        ticket: true,
        link: `/tickets/${ticket}`,
        text: "#1 Parcel late: first response target breached",
        key: "sla-breach:1",
        read: "2026-12-01T09:30:00.000Z",
        at: "2026-12-01T09:00:00.000Z",
      },
      {
        user: "bao",
        kind: "promise.reminder",
        ticket: false,
        link: null,
        text: "Promise due: Refund",
        key: "promise-remind:9",
        read: null,
        at: "2026-12-01T10:00:00.000Z",
      },
      {
        user: "ann",
        kind: "automation.notify",
        ticket: true,
        link: `/tickets/${ticket}`,
        text: "VIP ticket #1",
        key: null,
        read: null,
        at: "2026-12-01T11:00:00.000Z",
      },
      {
        user: "bao",
        kind: "ticket.runaround",
        ticket: true,
        link: `/tickets/${ticket}`,
        text: "Ticket #1 has been transferred 2 times",
        key: null,
        read: "2026-12-01T12:30:00.000Z",
        at: "2026-12-01T12:00:00.000Z",
      },
    ]);
    expect(rows[1]?.params).toMatchObject({ metric: "first_response", number: 1 });
    const left = await database.query<{ n: number }>(
      `select count(*)::int as n from information_schema.tables
        where table_name in ('sla_notifications', 'planner_notifications', 'agent_notifications')`,
    );
    expect(Number(left[0]?.n)).toBe(0);
  });
});
