import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config.ts";
import { startWorker, type Worker } from "../../jobs/worker.ts";
import { type Api, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";
import { emailJobHandlers, startEmailChannel } from "./email.runtime.ts";

/**
 * STARTTLS with a real certificate: a throwaway self-signed certificate made with the
 * openssl CLI at test time, configured through SMTP_TLS_CERT / SMTP_TLS_KEY; clients
 * that trust it upgrade the connection and the mail arrives.
 */
let dir: string;
let certPem: string;
let t: TestApp;
let admin: Api;
let worker: Worker;
let channel: Awaited<ReturnType<typeof startEmailChannel>>;
let port: number;

/** Reads SMTP replies until a final line (`NNN ` rather than `NNN-`). */
function reader(socket: net.Socket | tls.TLSSocket) {
  let buf = "";
  const waiting: Array<() => void> = [];
  socket.on("data", (d: Buffer) => {
    buf += d.toString("utf8");
    for (const w of waiting.splice(0)) w();
  });
  return async () => {
    for (;;) {
      const m = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buf);
      if (m) {
        const end = m.index + m[0].length;
        const reply = buf.slice(0, end);
        buf = buf.slice(end);
        return reply;
      }
      await new Promise<void>((r) => waiting.push(r));
    }
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-tls-"));
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
      ...["-keyout", key, "-out", cert, "-subj", "/CN=mail.acme.test"],
      ...["-addext", "subjectAltName=DNS:mail.acme.test,IP:127.0.0.1"],
    ],
    { stdio: "ignore" },
  );
  certPem = fs.readFileSync(cert, "utf8");
  const env = loadConfig({
    RAPPORT_DATA_DIR: dir,
    LOG_LEVEL: "silent",
    SMTP_TLS_CERT: cert,
    SMTP_TLS_KEY: key,
  });
  t = await createTestApp({ config: { email: env.email } });
  admin = (await setupAdmin(t)).api;
  expect(
    (
      await admin.post("/email/mailboxes", {
        address: "secure@acme.test",
        displayName: "Secure",
        ackEnabled: false,
      })
    ).status,
  ).toBe(201);
  worker = await startWorker(t.services, emailJobHandlers, { pollMs: 20 });
  channel = await startEmailChannel(t.services, { smtpPort: 0, imap: false });
  port = channel.smtpPort ?? 0;
});

afterAll(async () => {
  await channel?.stop();
  await worker?.stop();
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("SMTP receiver with STARTTLS", () => {
  it("offers STARTTLS and upgrades to TLS with the configured certificate", async () => {
    const plain = net.connect(port, "127.0.0.1");
    const read = reader(plain);
    expect(await read()).toMatch(/^220 /);
    plain.write("EHLO client.test\r\n");
    expect(await read()).toMatch(/250-STARTTLS/);
    plain.write("STARTTLS\r\n");
    expect(await read()).toMatch(/^220 /);
    const secure = tls.connect({ socket: plain, ca: certPem, servername: "mail.acme.test" });
    await new Promise<void>((resolve, reject) => {
      secure.once("secureConnect", resolve);
      secure.once("error", reject);
    });
    expect(secure.authorized).toBe(true);
    const expected = new crypto.X509Certificate(certPem).fingerprint256;
    expect(secure.getPeerX509Certificate()?.fingerprint256).toBe(expected);
    const readTls = reader(secure);
    secure.write("EHLO client.test\r\n");
    const ehlo = await readTls();
    expect(ehlo).toMatch(/^250/);
    expect(ehlo).not.toContain("STARTTLS"); // already upgraded
    secure.write("QUIT\r\n");
    await readTls();
    secure.destroy();
  });

  it("delivers mail from a client that requires TLS and verifies the certificate", async () => {
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port,
      secure: false,
      requireTLS: true,
      tls: { ca: certPem, servername: "mail.acme.test", rejectUnauthorized: true },
    });
    const info = await transport.sendMail({
      from: "kim@customer.test",
      to: "secure@acme.test",
      subject: "Over TLS",
      text: "Sent after STARTTLS.",
    });
    expect(info.response).toMatch(/^250/);
    transport.close();
    const ticket = await until(async () => {
      const res = await admin.get("/tickets?limit=50");
      return (res.body.items as Array<{ id: string; subject: string }>).find((x) => x.subject === "Over TLS");
    });
    const msgs = (await admin.get(`/tickets/${ticket.id}/messages`)).body.items;
    expect(msgs[0].bodyText).toBe("Sent after STARTTLS.");
  });

  it("a client that does not trust the certificate cannot upgrade, and nothing is delivered", async () => {
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: true },
    });
    await expect(
      transport.sendMail({ from: "eve@evil.test", to: "secure@acme.test", subject: "Untrusted", text: "x" }),
    ).rejects.toThrow(/certificate/i);
    transport.close();
    const res = await admin.get("/tickets?limit=50");
    expect((res.body.items as Array<{ subject: string }>).some((x) => x.subject === "Untrusted")).toBe(false);
  });
});
