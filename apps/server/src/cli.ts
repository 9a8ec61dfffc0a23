import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { ROLES, type Role } from "@rapport/shared";
import { Command } from "commander";
import { loadConfig } from "./config.ts";
import { openPglite } from "./db/client.ts";
import { openDatabase } from "./db/open.ts";
import { startServer } from "./main.ts";
import { ZCreateUser, ZPassword } from "./modules/users/users.schema.ts";
import { insertUser, setPassword } from "./modules/users/users.service.ts";

const program = new Command("rapport").description("Rapport help desk and CRM");

async function askPassword(given?: string): Promise<string> {
  const password = given ?? process.env.RAPPORT_PASSWORD;
  if (password) return ZPassword.parse(password);
  if (!process.stdin.isTTY) throw new Error("Give --password or RAPPORT_PASSWORD (no terminal to ask on)");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question("Password (at least 10 characters): ");
  rl.close();
  return ZPassword.parse(answer);
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
  .description("Set a new password for a user and sign them out everywhere")
  .requiredOption("--email <email>")
  .option("--password <password>", "or RAPPORT_PASSWORD, or asked on the terminal")
  .action(async (opts: { email: string; password?: string }) => {
    const password = await askPassword(opts.password);
    await withDatabase(async (db) => {
      await setPassword(db.db, opts.email, password);
      console.log(`Password reset for ${opts.email}; their sessions were ended.`);
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
      throw new Error("DATABASE_URL is set: back up PostgreSQL with pg_dump (see README)");
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
      throw new Error("DATABASE_URL is set: restore PostgreSQL with pg_restore/psql (see README)");
    const data = fs.readFileSync(file);
    const dir = config.pgliteDir;
    const aside = fs.existsSync(dir) ? `${dir}.before-restore-${Date.now()}` : null;
    if (aside) fs.renameSync(dir, aside);
    try {
      const database = await openPglite({ dir, loadDataDir: new Blob([data]) });
      await database.close();
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      if (aside) fs.renameSync(aside, dir);
      throw e;
    }
    console.log(
      `Restored ${file} into ${dir}.${aside ? ` The previous database was kept in ${aside}.` : ""}`,
    );
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
