/**
 * Statements per ingested email (issue 4): `npx tsx bench/email-statements.ts`.
 * Ingests one 5 KB email from a new customer and one from a known customer into an
 * in-memory PGlite with every module loaded (as `rapport start` runs them) and prints
 * each SQL statement the processing sent, so the ingestion path's cost can be read.
 */
import "../apps/server/src/modules/registry.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SYSTEM } from "../apps/server/src/auth/actor.ts";
import { loadConfig } from "../apps/server/src/config.ts";
import { withActor } from "../apps/server/src/context.ts";
import { migrate, openPglite } from "../apps/server/src/db/client.ts";
import { processInbound, storeInbound } from "../apps/server/src/modules/email/inbound.service.ts";
import { createServices } from "../apps/server/src/services.ts";

const verbose = process.argv.includes("--verbose");
const database = await openPglite();
await migrate(database);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-stmts-"));
const services = createServices(loadConfig({ RAPPORT_DATA_DIR: dir, LOG_LEVEL: "silent" }), database);
await database.exec(
  "insert into mailboxes (address, display_name, ack_enabled) values ('support@bench.test', 'Bench', false)",
);
const seen: string[] = [];
// biome-ignore lint/suspicious/noExplicitAny: reaching into drizzle's session to log statements
const session = (database.db as any).session;
session.logger = { logQuery: (q: string) => seen.push(q) };
if (session.options) session.options.logger = session.logger;

const mail = (i: number, from: string) =>
  Buffer.from(
    [
      `From: "Customer ${i}" <${from}>`,
      "To: support@bench.test",
      `Subject: Printer problem number ${i}`,
      `Message-ID: <stmt-${i}@customer.test>`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Xin chào, the printer on floor 3 is jammed again and shows error E-42. ".repeat(70),
    ].join("\r\n"),
  );

for (const [i, from, label] of [
  [1, "new1@customer.test", "new customer"],
  [2, "new1@customer.test", "known customer, new subject"],
  [3, "new2@customer.test", "new customer (warm)"],
] as const) {
  const id = await storeInbound(services, { mailboxId: null, source: "smtp", raw: mail(i, from) });
  seen.length = 0;
  await processInbound(withActor(services, SYSTEM), String(id));
  console.log(`${label}: ${seen.length} statements`);
  if (verbose) for (const q of seen) console.log(`  ${q.replace(/\s+/g, " ").slice(0, 220)}`);
}
await database.close();
fs.rmSync(dir, { recursive: true, force: true });
