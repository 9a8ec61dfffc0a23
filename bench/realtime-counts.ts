/**
 * Initial view counts (GET /api/v1/views/counts, the `hello` frame) on the core benchmark's
 * database (1M tickets: `npm run bench` seeds it):
 *
 *   npx tsx bench/realtime-counts.ts [--runs 20] [--url postgres://...]
 *
 * Read-only. Times countViews for an admin (every team view) and for the agent with the most
 * teams, and prints EXPLAIN (ANALYZE, BUFFERS) of every query one call sends.
 */

import pg from "pg";
import { loadConfig } from "../apps/server/src/config.ts";
import { withActor } from "../apps/server/src/context.ts";
import { openPostgres } from "../apps/server/src/db/client.ts";
import { agentActor, findUserWithTeams } from "../apps/server/src/modules/users/users.service.ts";
import { countViews } from "../apps/server/src/modules/views/views.service.ts";
import { createServices } from "../apps/server/src/services.ts";
import { captureQueries, fmt, stats } from "./measure.ts";

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const RUNS = Number(arg("runs") ?? 20);
const url = arg("url") ?? "postgres://postgres@127.0.0.1:5432/rapport_bench";

const database = openPostgres(url, { max: 2 });
const services = createServices(loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent" }), database);
const raw = new pg.Client({ connectionString: url });
await raw.connect();
try {
  const pick = async (sql: string) => {
    const { rows } = await raw.query<{ id: string }>(sql);
    const row = rows[0] && (await findUserWithTeams(database.db, rows[0].id));
    if (!row) throw new Error(`no user for: ${sql}`);
    return agentActor(row.user, row.teamIds, "token");
  };
  const viewers = {
    admin: await pick("select id from users where role = 'admin' and active order by created_at limit 1"),
    agent: await pick(
      "select u.id from users u join team_members tm on tm.user_id = u.id where u.role = 'agent' and u.active group by u.id order by count(*) desc, u.id limit 1",
    ),
  };
  const total = (await raw.query<{ n: string }>("select count(*) as n from tickets")).rows[0]?.n;
  console.log(`view counts on ${url.replace(/\/\/[^@]*@/, "//")} (${total} tickets), ${RUNS} runs each`);
  for (const [who, viewer] of Object.entries(viewers)) {
    const ctx = withActor(services, viewer);
    const ms: number[] = [];
    let counts: Record<string, number> = {};
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      counts = await countViews(ctx);
      ms.push(performance.now() - t0);
    }
    const s = stats(ms);
    console.log(`\n${who} (${viewer.teamIds.length} teams): p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms`);
    console.log(`  ${JSON.stringify(counts)}`);
    const { queries } = await captureQueries(() => countViews(ctx));
    for (const q of queries) {
      const plan = await raw.query(`explain (analyze, buffers, costs off) ${q.text}`, q.values);
      console.log(`\n  -- ${q.text.replace(/\s+/g, " ").slice(0, 400)}  ${JSON.stringify(q.values)}`);
      for (const r of plan.rows) console.log(`  ${Object.values(r)[0]}`);
    }
  }
} finally {
  await raw.end();
  await database.close();
}
