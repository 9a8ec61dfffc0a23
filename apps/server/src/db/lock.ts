import fs from "node:fs";

/**
 * One process at a time on an embedded (PGlite) data directory. PGlite keeps no lock of its
 * own across processes: a second process (`seed:demo`, `migrate`, `user:create` beside a running
 * server) would write the same files and corrupt the database. Every open of a PGlite directory
 * takes `<dir>.lock` (created exclusively, holding the owner's pid and command); a lock whose
 * process is gone (a crash, `kill -9`) is taken over.
 */
export class DataDirInUse extends Error {
  constructor(
    readonly dir: string,
    readonly owner: { pid: number; command?: string; since?: string },
  ) {
    super(
      `The embedded database in ${dir} is in use by another Rapport process (pid ${owner.pid}${
        owner.command ? `: ${owner.command}` : ""
      }${owner.since ? `, since ${owner.since}` : ""}). Stop it first: the embedded database can be opened by one process at a time, and a second one would corrupt it. To run commands beside a running server, use PostgreSQL (DATABASE_URL).`,
    );
    this.name = "DataDirInUse";
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Takes the lock of `dir` or throws DataDirInUse; returns its release. */
export function lockDataDir(dir: string): () => void {
  const file = `${dir}.lock`;
  const mine = JSON.stringify({
    pid: process.pid,
    command: process.argv.slice(2).join(" ").slice(0, 200),
    since: new Date().toISOString(),
  });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: "wx", mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
      let owner: { pid?: unknown; command?: string; since?: string } = {};
      try {
        owner = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch {
        // Unreadable or half-written: the owner died while writing it.
      }
      if (typeof owner.pid === "number" && alive(owner.pid))
        throw new DataDirInUse(dir, { pid: owner.pid, command: owner.command, since: owner.since });
      fs.rmSync(file, { force: true });
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      if (fs.readFileSync(file, "utf8") === mine) fs.rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
}
