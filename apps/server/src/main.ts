import { buildApp } from "./app.ts";
import { type Config, publicUrlProblem } from "./config.ts";
import type { DbLog } from "./db/client.ts";
import { openDatabase } from "./db/open.ts";
import { startWorker } from "./jobs/worker.ts";
import { emailJobHandlers, startEmailChannel } from "./modules/email/email.runtime.ts";
import { plannerJobHandlers } from "./modules/planner/planner.jobs.ts";
import { scheduleMorningReminders } from "./modules/planner/planner.reminders.ts";
import { type ModuleRuntime, moduleJobHandlers, modules } from "./modules/registry.ts";
import { loopbackOf, setSelfAddress } from "./modules/selfchecks/self-address.ts";
import { createServices } from "./services.ts";

/** Process entry: config -> database -> app -> listen. Returns a stop function. */
export async function startServer(config: Config): Promise<{ url: string; stop: () => Promise<void> }> {
  // Every PostgreSQL connection handles its own errors (a restart or failover closes them all);
  // they are reported through the app's logger once it exists, on stderr before.
  let dbLog: DbLog = (msg, err) => console.error(msg, err ?? "");
  const database = await openDatabase(config, { log: (msg, err) => dbLog(msg, err) });
  const services = createServices(config, database);
  const app = await buildApp(services);
  dbLog = (msg, err) => app.log.warn({ err }, msg);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  app.log.info(`Rapport is running on ${url} (database: ${database.backend})`);
  if (publicUrlProblem(config))
    app.log.warn(
      `PUBLIC_URL is ${config.publicUrl}, a loopback address, while HOST=${config.host} accepts other machines: the widget code, form links, webhook URLs and email links shown to admins will not work elsewhere. Set PUBLIC_URL to the address people use (see docs/operations.md).`,
    );
  // A stray rejected promise (a socket closing mid-send, a late job callback) is a bug to
  // fix, but it must not take the whole help desk down: log it with its stack instead.
  const onUnhandled = (reason: unknown) => app.log.error({ err: reason }, "unhandled promise rejection");
  process.on("unhandledRejection", onUnhandled);
  const log = (msg: string, err?: unknown) => app.log.warn({ err }, msg);
  const { jobs } = config;
  const worker = jobs.enabled
    ? await startWorker(
        services,
        { ...emailJobHandlers, ...plannerJobHandlers, ...moduleJobHandlers() },
        {
          concurrency: jobs.concurrency,
          pollMs: jobs.pollMs,
          leaseMs: jobs.leaseMs,
          log,
        },
      )
    : undefined;
  // The hourly morning-plan round re-enqueues itself; this seeds it (deduplicated per hour).
  if (jobs.enabled) await scheduleMorningReminders(database.db, services.now());
  const email = await startEmailChannel(services, { log });
  // Service self-checks connect to this process's own listeners (docs/self-checks.md).
  setSelfAddress(services, { http: `http://${loopbackOf(config.host)}:${port}`, smtpPort: email.smtpPort });
  if (email.smtpPort) app.log.info(`SMTP receiver on ${config.email.smtpHost}:${email.smtpPort}`);
  const runtimes: ModuleRuntime[] = [];
  for (const m of modules) if (m.start) runtimes.push(await m.start(services, { log }));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.off("unhandledRejection", onUnhandled);
    for (const r of runtimes.reverse()) await r.stop();
    await email.stop();
    await worker?.stop();
    await app.close();
    await database.close();
  };
  return { url, stop };
}
