import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import type { Services } from "../../context.ts";
import { groupCommit } from "../../lib/group-commit.ts";
import { plusAddress } from "./email.parse.ts";
import { type ReceivedEmail, storeInboundBatch } from "./inbound.service.ts";
import { activeMailboxes, type MailboxRow } from "./mailboxes.service.ts";

export type SmtpReceiver = { port: number; close: () => Promise<void> };

const smtpError = (message: string, responseCode: number) =>
  Object.assign(new Error(message), { responseCode });

/** Counts messages per envelope sender in a sliding minute. */
class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly perMinute: number) {}
  allow(key: string, now = Date.now()): boolean {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < 60_000);
    if (list.length >= this.perMinute) {
      this.hits.set(key, list);
      return false;
    }
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.hits.clear();
    return true;
  }
}

/**
 * The built-in SMTP receiver: accepts mail only for configured mailbox addresses
 * (and their +t<number> plus-addresses), enforces the size limit (552 before the
 * data is stored) and a per-sender rate limit, and stores every accepted message
 * raw, with its processing job, before answering 250.
 */
export async function startSmtpReceiver(
  services: Services,
  opts: { port?: number; host?: string } = {},
): Promise<SmtpReceiver> {
  const cfg = services.config.email;
  const limiter = new RateLimiter(cfg.smtpRatePerMinute);
  // Messages that arrive while one is being stored are stored together, in one transaction.
  const store = groupCommit((list: ReceivedEmail[]) => storeInboundBatch(services, list));
  let cache: { at: number; list: MailboxRow[] } | undefined;
  const mailboxFor = async (address: string) => {
    if (!cache || Date.now() - cache.at > 5000)
      cache = { at: Date.now(), list: await activeMailboxes(services.db) };
    const base = plusAddress(address).base;
    return cache.list.find((m) => m.address.toLowerCase() === base && m.inbound === "smtp");
  };
  const tls =
    cfg.smtpTlsCert && cfg.smtpTlsKey
      ? { cert: fs.readFileSync(cfg.smtpTlsCert), key: fs.readFileSync(cfg.smtpTlsKey) }
      : undefined;
  const options: SMTPServerOptions = {
    name: cfg.smtpHostname,
    banner: "Rapport",
    size: cfg.smtpMaxBytes,
    authOptional: true,
    disabledCommands: tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    ...(tls ? tls : {}),
    logger: false,
    maxClients: 200,
    socketTimeout: 60_000,
    onMailFrom(address, session, cb) {
      const declared = Number(address.args && (address.args as Record<string, string>).SIZE);
      if (declared && declared > cfg.smtpMaxBytes)
        return cb(smtpError(`Message exceeds the ${cfg.smtpMaxBytes} byte limit`, 552));
      const sender = (address.address || "<>").toLowerCase();
      if (!limiter.allow(sender)) return cb(smtpError("Too many messages from this sender, try later", 421));
      session.envelope.mailFrom = address;
      cb();
    },
    onRcptTo(address, session, cb) {
      if (session.envelope.rcptTo.length >= cfg.smtpMaxRecipients)
        return cb(smtpError("Too many recipients", 452));
      mailboxFor(address.address)
        .then((m) => (m ? cb() : cb(smtpError(`No mailbox ${address.address} here`, 550))))
        .catch(() => cb(smtpError("Temporary failure, try again", 451)));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= cfg.smtpMaxBytes) chunks.push(c);
      });
      stream.on("error", (e) => cb(e));
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || size > cfg.smtpMaxBytes)
          return cb(smtpError(`Message exceeds the ${cfg.smtpMaxBytes} byte limit`, 552));
        const rcpt = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        (async () => {
          const first = rcpt[0] ? await mailboxFor(rcpt[0]) : undefined;
          await store({
            mailboxId: first?.id ?? null,
            source: "smtp",
            raw: Buffer.concat(chunks),
            envelopeFrom: from || null,
            envelopeTo: rcpt,
          });
        })()
          .then(() => cb(null, "Queued"))
          .catch(() => cb(smtpError("Temporary failure storing the message, try again", 451)));
      });
    },
  };
  const server = new SMTPServer(options);
  server.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(opts.port ?? cfg.smtpPort, opts.host ?? cfg.smtpHost, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
