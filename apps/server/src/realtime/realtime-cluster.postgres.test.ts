import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTicket, setupAdmin } from "../test/factories.ts";
import { createTestApp, type TestApp } from "../test/harness.ts";
import { until } from "../test/until.ts";
import { SEQ_LOCK } from "./hub.ts";

/**
 * PostgreSQL only: holding the realtime sequence lock needs a second database session, and the
 * embedded database has one. realtime-cluster.test.ts walks the rest on both backends.
 */
let a: TestApp;
let admin: Awaited<ReturnType<typeof setupAdmin>>;

beforeAll(async () => {
  a = await createTestApp();
  admin = await setupAdmin(a);
});
afterAll(async () => {
  await a?.close();
});

it("answers a write only after its realtime event went out through NOTIFY", async () => {
  const ticket = await createTicket(admin.api);
  const locker = new pg.Client({ connectionString: a.database.url });
  await locker.connect();
  try {
    await locker.query("begin");
    await locker.query("select pg_advisory_xact_lock($1)", [SEQ_LOCK]);
    let answered = false;
    const patch = admin.api.patch(`/tickets/${ticket.id}`, { priority: "high" }).then((res) => {
      answered = true;
      return res;
    });
    // The event's NOTIFY waits for the lock held here, so the answer must wait too.
    await until(
      async () =>
        (await locker.query("select 1 from pg_locks where locktype = 'advisory' and not granted")).rowCount,
      { what: "the NOTIFY waiting for the sequence lock" },
    );
    // The change is committed and its NOTIFY is stuck: a client must not have the answer yet.
    expect((await locker.query("select priority from tickets where id = $1", [ticket.id])).rows).toEqual([
      { priority: "high" },
    ]);
    expect(answered).toBe(false);
    await locker.query("commit");
    expect((await patch).status).toBe(200);
  } finally {
    await locker.end();
  }
});
