/**
 * Statements per chat message (issue 5): `npx tsx bench/realtime-statements.ts [--verbose]`.
 * In an in-memory PGlite with every module loaded (as `rapport start` runs them), a visitor
 * starts a chat and writes again; prints the SQL statements of the visitor's message
 * (`visitorSays`) and of the realtime fan-out of its event (`RealtimeHub.load`).
 */
import "../apps/server/src/modules/registry.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../apps/server/src/config.ts";
import { migrate, openPglite } from "../apps/server/src/db/client.ts";
import { visitorSays } from "../apps/server/src/modules/chat/chat.service.ts";
import { chatSites, chatVisitors } from "../apps/server/src/modules/chat/chat.table.ts";
import type { DomainEvent } from "../apps/server/src/realtime/bus.ts";
import { toRealtimeEvent } from "../apps/server/src/realtime/events.ts";
import { RealtimeHub } from "../apps/server/src/realtime/hub.ts";
import { createServices } from "../apps/server/src/services.ts";

const verbose = process.argv.includes("--verbose");
const database = await openPglite();
await migrate(database);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-stmts-"));
const services = createServices(loadConfig({ RAPPORT_DATA_DIR: dir, LOG_LEVEL: "silent" }), database);
const seen: string[] = [];
// biome-ignore lint/suspicious/noExplicitAny: reaching into drizzle's session to log statements
const session = (database.db as any).session;
session.logger = { logQuery: (q: string) => seen.push(q) };
if (session.options) session.options.logger = session.logger;

const [site] = await services.db
  .insert(chatSites)
  .values({
    name: "Shop",
    key: "rs_bench",
    secret: "s",
    allowedOrigins: [],
    appearance: { color: "#0055aa", position: "right", greeting: {} },
    prechat: { enabled: false, fields: [], required: [], topics: [] },
  })
  .returning();
if (!site) throw new Error("no site");
const [visitor] = await services.db
  .insert(chatVisitors)
  .values({ siteId: site.id, tokenHash: "x", locale: "en" })
  .returning();
if (!visitor) throw new Error("no visitor");
const events: DomainEvent[] = [];
services.bus.subscribe((e) => events.push(e));
const hub = new RealtimeHub(services, () => {});

for (const label of ["first message (opens the chat)", "second message", "third message"]) {
  seen.length = 0;
  events.length = 0;
  await visitorSays(services, visitor.id, { text: `Hello, where is my order? (${label})` });
  console.log(`${label}: ${seen.length} statements`);
  if (verbose) for (const q of seen) console.log(`  ${q.replace(/\s+/g, " ").slice(0, 220)}`);
  const e = events.map(toRealtimeEvent).find((x) => x?.kind === "message.created");
  if (e) {
    seen.length = 0;
    await hub.load({ ...e, seq: 1 }, ["00000000-0000-0000-0000-000000000000"]);
    console.log(`  fan-out of its event (per batch): ${seen.length} statements`);
    if (verbose) for (const q of seen) console.log(`    ${q.replace(/\s+/g, " ").slice(0, 220)}`);
  }
}
await database.close();
fs.rmSync(dir, { recursive: true, force: true });
