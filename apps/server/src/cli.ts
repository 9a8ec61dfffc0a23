import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { ROLES, type Role } from "@rapport/shared";
import cliProgress from "cli-progress";
import { Command, InvalidArgumentError } from "commander";
import { ZodError } from "zod";
import { loadConfig } from "./config.ts";
import { openPglite } from "./db/client.ts";
import { lockDataDir } from "./db/lock.ts";
import { openDatabase } from "./db/open.ts";
import { AppError } from "./lib/errors.ts";
import { startServer } from "./main.ts";
import { type SeedPhase, seedDemo } from "./modules/demo/seed.ts";
import { type ImportCliOptions, importCommand } from "./modules/imports/imports.cli.ts";
import { ZCreateUser, ZPassword } from "./modules/users/users.schema.ts";
import { insertUser, setPassword } from "./modules/users/users.service.ts";
import { createServices } from "./services.ts";

const program = new Command("rapport").description("Rapport help desk and CRM");

function checkPassword(password: string): string {
  const parsed = ZPassword.safeParse(password);
  if (!parsed.success) throw new Error(`Password: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

async function askPassword(given?: string): Promise<string> {
  const password = given ?? process.env.RAPPORT_PASSWORD;
  if (password) return checkPassword(password);
  if (!process.stdin.isTTY) throw new Error("Give --password or RAPPORT_PASSWORD (no terminal to ask on)");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question("Password (at least 10 characters): ");
  rl.close();
  return checkPassword(answer);
}

/** One line per problem: "email: Invalid email address", not a JSON dump. */
function errorMessage(err: unknown): string {
  if (err instanceof ZodError)
    return err.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`).join("\n");
  return err instanceof Error ? err.message : String(err);
}

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig());
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

program
  .command("start")
  .description("Start the server (PORT, HOST; PGlite in RAPPORT_DATA_DIR unless DATABASE_URL is set)")
  .action(async () => {
    const server = await startServer(loadConfig());
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        server.stop().then(() => process.exit(0));
      });
    }
  });

program
  .command("migrate")
  .description("Apply pending database migrations and exit")
  .action(async () => {
    await withDatabase(async (db) => console.log(`Migrations applied (${db.backend}).`));
  });

program
  .command("user:create")
  .description("Create an agent, manager or admin")
  .requiredOption("--email <email>")
  .requiredOption("--name <name>")
  .option("--role <role>", `one of ${ROLES.join(", ")}`, "agent")
  .option("--password <password>", "or RAPPORT_PASSWORD, or asked on the terminal")
  .action(async (opts: { email: string; name: string; role: string; password?: string }) => {
    if (!ROLES.includes(opts.role as Role)) throw new Error(`--role must be one of ${ROLES.join(", ")}`);
    const input = ZCreateUser.parse({
      email: opts.email,
      name: opts.name,
      role: opts.role,
      password: await askPassword(opts.password),
    });
    await withDatabase(async (db) => {
      const user = await insertUser(db.db, input);
      console.log(`Created ${user.role} ${user.name} <${user.email}> (${user.id})`);
    });
  });

program
  .command("user:reset-password")
  .description("Set a new password for a user and sign them out everywhere (sessions and API tokens)")
  .requiredOption("--email <email>")
  .option("--password <password>", "or RAPPORT_PASSWORD, or asked on the terminal")
  .action(async (opts: { email: string; password?: string }) => {
    const password = await askPassword(opts.password);
    await withDatabase(async (db) => {
      await setPassword(db.db, opts.email, password).catch((e: unknown) => {
        if (e instanceof AppError && e.code === "not_found")
          throw new Error(`No user with the email ${opts.email}`);
        throw e;
      });
      console.log(`Password reset for ${opts.email}; their sessions were ended and API tokens revoked.`);
    });
  });

program
  .command("backup")
  .description(
    "Write the embedded database to a .tar.gz file (stop the server first; for PostgreSQL use pg_dump)",
  )
  .option(
    "--out <file>",
    "output file",
    `rapport-backup-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.tar.gz`,
  )
  .action(async (opts: { out: string }) => {
    const config = loadConfig();
    if (config.databaseUrl)
      throw new Error("DATABASE_URL is set: back up PostgreSQL with pg_dump (see docs/cli.md)");
    // Opening a missing directory would create an empty database and back that up.
    if (!fs.existsSync(path.join(config.pgliteDir, "PG_VERSION")))
      throw new Error(`No database in ${config.pgliteDir} (check RAPPORT_DATA_DIR)`);
    const database = await openPglite({ dir: config.pgliteDir });
    try {
      const blob = await database.dump?.();
      if (!blob) throw new Error("This database cannot be dumped");
      fs.writeFileSync(opts.out, Buffer.from(await blob.arrayBuffer()));
      console.log(
        `Backup written to ${path.resolve(opts.out)} (${blob.size} bytes). Attachments are in ${config.attachmentsDir}.`,
      );
    } finally {
      await database.close();
    }
  });

program
  .command("restore")
  .description("Replace the embedded database with a backup file (stop the server first)")
  .argument("<file>", "a file written by `rapport backup`")
  .action(async (file: string) => {
    const config = loadConfig();
    if (config.databaseUrl)
      throw new Error("DATABASE_URL is set: restore PostgreSQL with pg_restore/psql (see docs/cli.md)");
    if (!fs.existsSync(file) || !fs.statSync(file).isFile())
      throw new Error(`Backup file not found: ${file}`);
    const data = fs.readFileSync(file);
    // A backup is a gzipped tarball; refuse anything else before touching the current database.
    if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b)
      throw new Error(`${file} is not a Rapport backup (expected a .tar.gz written by \`rapport backup\`)`);
    const dir = config.pgliteDir;
    // Refused while a server (or any command) has the database open: held until restored.
    const release = lockDataDir(dir);
    const aside = fs.existsSync(dir) ? `${dir}.before-restore-${Date.now()}` : null;
    try {
      if (aside) fs.renameSync(dir, aside);
    } catch (e) {
      release();
      throw e;
    }
    try {
      const database = await openPglite({ dir, loadDataDir: new Blob([data]), locked: true });
      await database.close();
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      if (aside) fs.renameSync(aside, dir);
      throw e;
    } finally {
      release();
    }
    console.log(
      `Restored ${file} into ${dir}.${aside ? ` The previous database was kept in ${aside}.` : ""}`,
    );
  });

function intOption(min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
    return n;
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const PHASE_LABELS: Record<SeedPhase, string> = {
  users: "Agents & teams",
  contacts: "Contacts",
  tickets: "Tickets",
};

/** A progress bar on stderr in a terminal; a line every 10% otherwise (logs, CI). */
function progressReporter() {
  let bar: cliProgress.SingleBar | undefined;
  let current: SeedPhase | undefined;
  let lastDecile = -1;
  const tty = process.stderr.isTTY;
  return {
    update(phase: SeedPhase, done: number, total: number) {
      if (phase !== current) {
        bar?.stop();
        bar = undefined;
        current = phase;
        lastDecile = -1;
        if (tty) {
          bar = new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: `${PHASE_LABELS[phase].padEnd(15)} [{bar}] {value}/{total} {percentage}%`,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0);
        }
      }
      if (bar) bar.update(done);
      else {
        const decile = Math.floor((done / Math.max(total, 1)) * 10);
        if (decile !== lastDecile || done === total) {
          lastDecile = decile;
          process.stderr.write(`${PHASE_LABELS[phase]}: ${done}/${total}\n`);
        }
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

program
  .command("seed:demo")
  .description(
    "Fill the database with realistic demo data in English, Vietnamese, Khmer and Tamil: agents, teams, organizations, contacts, tickets with threads",
  )
  .option("--tickets <n>", "number of tickets", intOption(0, 100_000), 1000)
  .option("--contacts <n>", "number of contacts", intOption(1, 20_000), 200)
  .option("--seed <seed>", "seed of the random generator: the same seed gives the same data", "rapport")
  .option(
    "--password <password>",
    "password of the demo users (or RAPPORT_PASSWORD); generated when not given",
  )
  .option("--force", "add another batch even if demo data is already there", false)
  .action(
    async (opts: { tickets: number; contacts: number; seed: string; password?: string; force: boolean }) => {
      const given = opts.password ?? process.env.RAPPORT_PASSWORD;
      const password = given === undefined ? undefined : checkPassword(given);
      await withDatabase(async (database) => {
        const services = createServices(loadConfig(), database);
        const progress = progressReporter();
        const result = await seedDemo(
          services,
          { seed: opts.seed, tickets: opts.tickets, contacts: opts.contacts, password, force: opts.force },
          progress.update,
        ).finally(() => progress.stop());
        const c = result.counts;
        console.log(
          `Seeded ${c.tickets} tickets (${c.messages} messages), ${c.contacts} contacts and ${c.organizations} organizations in ${seconds(result.ms)} (${database.backend}, seed "${opts.seed}"; users ${seconds(result.phases.users)}, contacts ${seconds(result.phases.contacts)}, tickets ${seconds(result.phases.tickets)}).`,
        );
        if (result.setUp)
          console.log(
            'Rapport was not set up yet: created the organization "Rapport Demo Shop" and a demo admin.',
          );
        console.log("\nDemo logins:");
        for (const l of result.logins) {
          const pw = l.password ?? "(existing user: password unchanged)";
          console.log(`  ${l.role.padEnd(8)} ${l.email.padEnd(40)} ${pw}   ${l.name}`);
        }
      });
    },
  );

const IMPORT_PLURAL = { contact: "contacts", organization: "organizations", order: "orders" } as const;
for (const entity of ["contact", "organization", "order"] as const)
  program
    .command(`import:${IMPORT_PLURAL[entity]}`)
    .description(
      `Import ${IMPORT_PLURAL[entity]} from a CSV file: all rows in one transaction, or none when a row has a problem (see docs/custom-fields-and-import.md)`,
    )
    .argument("<file>", "CSV file (UTF-8 with or without BOM, UTF-16, or --encoding)")
    .option(
      "--map <pairs>",
      'column mapping over the guess, e.g. "Full name=name,E-mail=email,Tier=cf.tier,Fax="',
    )
    .option("--dry-run", "check every row and print the report; write nothing", false)
    .option("--encoding <enc>", "auto, utf-8, utf-16le, utf-16be, windows-1258, windows-1252", "auto")
    .option("--country <cc>", "country of national phone numbers without a prefix, e.g. VN")
    .action(async (file: string, opts: ImportCliOptions) => {
      await withDatabase(async (database) => {
        process.exitCode = await importCommand(createServices(loadConfig(), database), entity, file, opts);
      });
    });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(errorMessage(err));
  process.exit(1);
});
