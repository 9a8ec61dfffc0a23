import { ImapFlow } from "imapflow";
import type { Services } from "../../context.ts";
import { storeInboundBatch } from "./inbound.service.ts";
import { activeMailboxes, type MailboxRow } from "./mailboxes.service.ts";

export type ImapPollers = {
  stop: () => Promise<void> /** Resolves after every mailbox finished one fetch round. */;
  synced: () => Promise<void>;
};
type Log = (msg: string, err?: unknown) => void;

/** Messages fetched per IMAP FETCH command (and stored per transaction). */
export const IMAP_FETCH_CHUNK = 100;

/**
 * Fetches the unseen messages of one mailbox and stores each raw (deduplicated by
 * UIDVALIDITY+UID), and only then marks them \Seen (or moves them). Returns the count stored.
 *
 * Messages come in chunks of `IMAP_FETCH_CHUNK`: one FETCH per chunk, one transaction that
 * stores the chunk's raw rows and their jobs (the same `storeInboundBatch` as the SMTP group
 * commit, so the worker hands them to the batched ingestion path), one STORE (or MOVE) for the
 * chunk once that transaction committed. The database write of a chunk runs while the next
 * chunk is being fetched: the IMAP connection and the database work at the same time.
 */
export async function fetchMailboxOnce(services: Services, client: ImapFlow, m: MailboxRow): Promise<number> {
  const lock = await client.getMailboxLock(m.imapFolder);
  let stored = 0;
  try {
    const box = client.mailbox;
    const validity = box && typeof box === "object" ? String(box.uidValidity) : "0";
    const uids = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b);
    const store = async (got: Array<{ uid: number; source: Buffer }>) => {
      const ids = await storeInboundBatch(
        services,
        got.map((g) => ({
          mailboxId: m.id,
          source: "imap" as const,
          raw: g.source,
          dedupeKey: `imap:${m.id}:${validity}:${g.uid}`,
        })),
      );
      stored += ids.filter((id) => id !== null).length;
      return got.map((g) => g.uid);
    };
    // Stored durably (or already stored before): only then is it safe to mark or move them.
    const mark = async (done: number[]) => {
      if (done.length === 0) return;
      const range = done.join(",");
      if (m.imapMoveTo) await client.messageMove(range, m.imapMoveTo, { uid: true });
      else await client.messageFlagsAdd(range, ["\\Seen"], { uid: true });
    };
    let writing: Promise<number[]> | undefined;
    for (let i = 0; i < uids.length; i += IMAP_FETCH_CHUNK) {
      const got: Array<{ uid: number; source: Buffer }> = [];
      for await (const msg of client.fetch(
        uids.slice(i, i + IMAP_FETCH_CHUNK).join(","),
        { source: true, uid: true },
        { uid: true },
      )) {
        if (msg.source) got.push({ uid: msg.uid, source: msg.source });
      }
      if (writing) await mark(await writing);
      writing = got.length ? store(got) : undefined;
      // Awaited after the next FETCH; until then a failure must not count as unhandled.
      writing?.catch(() => {});
    }
    if (writing) await mark(await writing);
  } finally {
    lock.release();
  }
  return stored;
}

/**
 * One loop per IMAP mailbox, all concurrent and isolated: a slow or broken mailbox
 * only delays itself. Uses IDLE when the server supports it, else polls every
 * `imapPollSeconds`; reconnects with backoff after errors.
 */
export function startImapPollers(services: Services, log: Log = () => {}): ImapPollers {
  const loops = new Map<string, { stop: () => Promise<void>; firstRound: Promise<void> }>();
  let stopped = false;

  const runMailbox = (m: MailboxRow) => {
    let halt = false;
    let client: ImapFlow | undefined;
    let wake: (() => void) | undefined;
    let markRound: () => void = () => {};
    const firstRound = new Promise<void>((r) => {
      markRound = r;
    });
    const sleep = (ms: number) =>
      new Promise<void>((r) => {
        const t = setTimeout(r, ms);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
    const done = (async () => {
      let failures = 0;
      while (!halt) {
        try {
          client = new ImapFlow({
            host: m.imapHost ?? "localhost",
            port: m.imapPort ?? (m.imapTls ? 993 : 143),
            secure: m.imapTls,
            auth: { user: m.imapUser ?? "", pass: m.imapPassword ?? "" },
            logger: false,
            disableAutoIdle: true,
          });
          client.on("error", (e) => log(`imap ${m.address}`, e));
          // New mail during IDLE: end the IDLE (any command does) so the loop fetches.
          client.on("exists", () => wake?.());
          await client.connect();
          failures = 0;
          const idle = client.capabilities.has("IDLE");
          while (!halt && client.usable) {
            await fetchMailboxOnce(services, client, m);
            markRound();
            if (halt) break;
            if (idle) {
              await client.mailboxOpen(m.imapFolder);
              const c = client;
              const timer = setTimeout(() => void c.noop().catch(() => {}), m.imapPollSeconds * 1000);
              wake = () => void c.noop().catch(() => {});
              await client.idle();
              clearTimeout(timer);
            } else {
              await sleep(m.imapPollSeconds * 1000);
            }
          }
        } catch (e) {
          log(`imap ${m.address} failed`, e);
          markRound();
          failures++;
          if (!halt) await sleep(Math.min(300_000, 1000 * 2 ** Math.min(failures, 8)));
        } finally {
          await client?.logout().catch(() => client?.close());
          client = undefined;
        }
      }
    })();
    return {
      firstRound,
      stop: async () => {
        halt = true;
        wake?.();
        client?.close();
        await done;
      },
    };
  };

  let refreshTimer: NodeJS.Timeout | undefined;
  const refresh = async () => {
    if (stopped) return;
    const list = (await activeMailboxes(services.db)).filter((m) => m.inbound === "imap" && m.imapHost);
    const key = (m: MailboxRow) => `${m.id}:${m.updatedAt.getTime()}`;
    const wanted = new Map(list.map((m) => [key(m), m]));
    for (const [k, loop] of loops) {
      if (!wanted.has(k)) {
        loops.delete(k);
        await loop.stop();
      }
    }
    for (const [k, m] of wanted) if (!loops.has(k)) loops.set(k, runMailbox(m));
  };
  const first = refresh().catch((e) => log("imap refresh", e));
  refreshTimer = setInterval(() => void refresh().catch((e) => log("imap refresh", e)), 30_000);

  return {
    synced: async () => {
      await first;
      await Promise.all([...loops.values()].map((l) => l.firstRound));
    },
    stop: async () => {
      stopped = true;
      clearInterval(refreshTimer);
      refreshTimer = undefined;
      await first;
      await Promise.all([...loops.values()].map((l) => l.stop()));
      loops.clear();
    },
  };
}
