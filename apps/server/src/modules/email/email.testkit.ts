import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { SMTPServer } from "smtp-server";

/** Test helpers for the email suites: a capturing SMTP server and a sender. Real sockets only. */

export type Captured = { envelope: { from: string; to: string[] }; raw: Buffer; mail: ParsedMail };

/** An SMTP server that records what Rapport sends; addresses matching `reject` get a 550. */
export async function startCapture(opts: { reject?: RegExp } = {}) {
  const received: Captured[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _s, cb) {
      if (opts.reject?.test(address.address))
        return cb(Object.assign(new Error("5.1.1 mailbox unavailable"), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        received.push({
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          raw,
          mail: await simpleParser(raw),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export function sender(port: number) {
  return nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    ignoreTLS: true,
    pool: false,
  } satisfies SMTPTransport.Options);
}

/** Sends raw MIME as it is (fixtures, hostile input). */
export async function sendRaw(port: number, from: string, to: string[], raw: Buffer | string) {
  return sender(port).sendMail({ envelope: { from, to }, raw });
}

/** The shared condition wait (one copy, in test/until.ts), for suites that import it from here. */
export { until } from "../../test/until.ts";
