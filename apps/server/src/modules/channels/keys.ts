import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../../config.ts";

const cache = new Map<string, Buffer>();

/**
 * The server's key for channel secrets and form tokens (decision 0007): 32 bytes from
 * CHANNEL_SECRET_KEY (hex or base64) when set, else `<data dir>/keys/channels.key`, created
 * once with mode 0600. It is never stored in the database, so a database dump or backup
 * alone does not reveal any channel's secret. Every server process must see the same key.
 */
export function serverKey(config: Pick<Config, "dataDir">): Buffer {
  const fromEnv = process.env.CHANNEL_SECRET_KEY;
  if (fromEnv) {
    const key = /^[0-9a-f]{64}$/i.test(fromEnv)
      ? Buffer.from(fromEnv, "hex")
      : Buffer.from(fromEnv, "base64");
    if (key.length < 32) throw new Error("CHANNEL_SECRET_KEY must hold at least 32 bytes (hex or base64)");
    return key;
  }
  const file = path.join(config.dataDir, "keys", "channels.key");
  const cached = cache.get(file);
  if (cached) return cached;
  let key: Buffer;
  try {
    key = fs.readFileSync(file);
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, randomBytes(32), { flag: "wx", mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    key = fs.readFileSync(file);
  }
  if (key.length < 32) throw new Error(`${file} is shorter than 32 bytes`);
  cache.set(file, key);
  return key;
}

/** A purpose-bound key derived from the server key (HMAC-SHA256). */
export function derive(config: Pick<Config, "dataDir">, purpose: string, ...parts: string[]): Buffer {
  return createHmac("sha256", serverKey(config))
    .update([purpose, ...parts].join("\u0000"))
    .digest();
}

export const hmacHex = (key: Buffer | string, data: string | Buffer) =>
  createHmac("sha256", key).update(data).digest("hex");

/** Constant-time comparison of two hex strings of any length. */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
