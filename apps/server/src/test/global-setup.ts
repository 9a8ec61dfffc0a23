import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, openPglite, openPostgres } from "../db/client.ts";

/**
 * Runs once per test run: builds a migrated PGlite template (a data-dir dump that
 * every test file loads) and, when TEST_DATABASE_URL is set, a migrated PostgreSQL
 * template database that every test file clones with CREATE DATABASE ... TEMPLATE.
 */
export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-test-"));
  const file = path.join(dir, "template.tar.gz");
  const lite = await openPglite();
  await migrate(lite);
  const blob = await lite.dump?.();
  await lite.close();
  if (!blob) throw new Error("PGlite dump failed");
  fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  provide("pgliteTemplate", file);

  const url = process.env.TEST_DATABASE_URL;
  let template: string | undefined;
  if (url) {
    if (url === process.env.DATABASE_URL) throw new Error("TEST_DATABASE_URL must not be the DATABASE_URL");
    template = `rapport_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    await admin.end();
    const db = openPostgres(withDatabase(url, template), { max: 1 });
    await migrate(db);
    await db.close();
    provide("pgTemplate", template);
  }
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (url && template) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop database if exists ${template} with (force)`);
      await admin.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string | undefined;
  }
}
