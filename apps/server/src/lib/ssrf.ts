/**
 * The one SSRF guard for every server-side request to a URL someone typed or sent us:
 * outgoing webhooks, the webhook channel's outbound URL and its attachment downloads.
 *
 * - Every address form is normalised before it is classified: IPv4 in decimal, octal,
 *   hex and short forms (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`), and IPv4 carried
 *   inside IPv6 (mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`).
 * - Every special-purpose range of the IANA IPv4 and IPv6 registries that is not globally
 *   reachable is refused; for IPv6 only global unicast (`2000::/3`) is allowed at all.
 * - A name is resolved once and the connection goes to the checked address (no second
 *   lookup, so no DNS rebinding); `localhost` and `*.localhost`, with or without a trailing
 *   dot, are loopback without asking DNS.
 * - Redirects are followed by hand for GET, at most 3, each hop checked again.
 * - The answer is size-capped and the whole exchange has one deadline.
 * - Every refusal and every network failure reads the same ({@link REFUSED_MESSAGE}), so a
 *   caller cannot tell a blocked address from a closed port.
 *
 * Operators relax it with RAPPORT_OUTBOUND_ALLOW_PRIVATE=1 (everything) or
 * RAPPORT_OUTBOUND_ALLOW (a list of addresses, networks or address:port pairs);
 * see docs/security.md.
 */
import dns from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { AppError } from "./errors.ts";

/** `1` lets outbound requests reach any address (tests, receivers on the same network). */
export const ALLOW_PRIVATE_ENV = "RAPPORT_OUTBOUND_ALLOW_PRIVATE";
/** Older names of {@link ALLOW_PRIVATE_ENV}, still honoured. */
export const ALLOW_PRIVATE_ALIASES = [
  "RAPPORT_WEBHOOKS_ALLOW_PRIVATE",
  "CHANNEL_ALLOW_PRIVATE_URLS",
] as const;
/** Comma-separated exceptions: `10.0.0.5`, `10.0.0.5:8443`, `10.1.0.0/16`, `[fd00::5]:443`, `fd00::/64`. */
export const ALLOW_LIST_ENV = "RAPPORT_OUTBOUND_ALLOW";

/** The only thing a caller learns when a request is refused or fails below HTTP. */
export const REFUSED_MESSAGE = "The URL could not be reached, or its address is not allowed";

// ---- addresses ----

/** A parsed address: IPv4 as a 32-bit number, IPv6 as a 128-bit one. */
export type Ip = { v: 4; n: number } | { v: 6; n: bigint };

/**
 * IPv4 the way `inet_aton` and the WHATWG URL parser read it: 1 to 4 dot-separated parts,
 * each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes.
 * One trailing dot is allowed. Returns null for anything else.
 */
export function parseIPv4(input: string): number | null {
  const parts = input.split(".");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length === 0 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : Number.parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = Number.parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) n = Number(p);
    else return null;
    if (!Number.isSafeInteger(n)) return null;
    nums.push(n);
  }
  const last = nums.pop() as number;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null;
  return nums.reduce((acc, n, i) => acc + n * 256 ** (3 - i), 0) + last;
}

/** IPv6 in any textual form (`::` compression, embedded dotted quad, zone id) as a 128-bit number. */
export function parseIPv6(input: string): bigint | null {
  const text = input.replace(/%.*$/, "");
  if (!net.isIPv6(text)) return null;
  let words: number[] = [];
  let rest = text;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
  const tail: number[] = [];
  if (quad?.[1]) {
    const v4 = net.isIPv4(quad[1]) ? parseIPv4(quad[1]) : null;
    if (v4 === null) return null;
    tail.push(v4 >>> 16, v4 & 0xffff);
    rest = rest.slice(0, -quad[1].length);
    if (rest.endsWith(":") && !rest.endsWith("::")) rest = rest.slice(0, -1);
  }
  const hex = (s: string) => (s === "" ? [] : s.split(":").map((w) => Number.parseInt(w, 16)));
  const gap = rest.indexOf("::");
  if (gap >= 0) {
    const head = hex(rest.slice(0, gap));
    const after = [...hex(rest.slice(gap + 2)), ...tail];
    words = [...head, ...new Array(8 - head.length - after.length).fill(0), ...after];
  } else words = [...hex(rest), ...tail];
  if (words.length !== 8) return null;
  return words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

/** Parses an address literal (IPv6 may be in brackets); null for a name. */
export function parseIp(host: string): Ip | null {
  const h = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const v6 = parseIPv6(h);
  if (v6 !== null) return { v: 6, n: v6 };
  const v4 = parseIPv4(h);
  return v4 === null ? null : { v: 4, n: v4 };
}

const v4Net = (text: string): [number, number] => {
  const [a, len] = text.split("/") as [string, string];
  return [parseIPv4(a) as number, Number(len)];
};
const v6Net = (text: string): [bigint, number] => {
  const [a, len] = text.split("/") as [string, string];
  return [parseIPv6(a) as bigint, Number(len)];
};
const inV4 = (n: number, [base, len]: [number, number]) =>
  len === 0 || n >>> (32 - len) === base >>> (32 - len);
const inV6 = (n: bigint, [base, len]: [bigint, number]) =>
  len === 0 || n >> BigInt(128 - len) === base >> BigInt(128 - len);

/** IPv4 ranges of the IANA special-purpose registry that are not globally reachable, and multicast. */
export const BLOCKED_V4 = [
  "0.0.0.0/8", // "this network"
  "10.0.0.0/8", // private
  "100.64.0.0/10", // shared address space (carrier-grade NAT)
  "127.0.0.0/8", // loopback
  "169.254.0.0/16", // link-local (cloud metadata at 169.254.169.254)
  "172.16.0.0/12", // private
  "192.0.0.0/24", // IETF protocol assignments
  "192.0.2.0/24", // TEST-NET-1
  "192.88.99.0/24", // 6to4 relay anycast (deprecated)
  "192.168.0.0/16", // private
  "198.18.0.0/15", // benchmarking
  "198.51.100.0/24", // TEST-NET-2
  "203.0.113.0/24", // TEST-NET-3
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved
  "255.255.255.255/32", // limited broadcast
] as const;
const V4_NETS = BLOCKED_V4.map((c) => [c, v4Net(c)] as const);

/** IPv6 ranges refused by name (anything outside 2000::/3 is refused too). */
export const BLOCKED_V6 = [
  "::/128", // unspecified
  "::1/128", // loopback
  "::/96", // IPv4-compatible (deprecated)
  "::ffff:0:0:0/96", // IPv4-translated (SIIT)
  "64:ff9b:1::/48", // local-use IPv4/IPv6 translation
  "100::/64", // discard-only
  "2001::/23", // IETF protocol assignments (Teredo, benchmarking, ORCHID, ...)
  "2001:db8::/32", // documentation
  "3fff::/20", // documentation
  "5f00::/16", // SRv6 SIDs
  "fc00::/7", // unique local
  "fe80::/10", // link-local
  "fec0::/10", // site-local (deprecated)
  "ff00::/8", // multicast
] as const;
const V6_NETS = BLOCKED_V6.map((c) => [c, v6Net(c)] as const);
const MAPPED = v6Net("::ffff:0:0/96");
const NAT64 = v6Net("64:ff9b::/96");
const SIX_TO_FOUR = v6Net("2002::/16");
const GLOBAL_UNICAST = v6Net("2000::/3");

export type Verdict = { blocked: boolean; range: string | null; v4: string | null };

const v4Text = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/** The IPv4 address an IPv6 one stands for (mapped, NAT64 or 6to4), if any. */
export function embeddedV4(n: bigint): number | null {
  if (inV6(n, MAPPED) || inV6(n, NAT64)) return Number(n & 0xffffffffn);
  if (inV6(n, SIX_TO_FOUR)) return Number((n >> 80n) & 0xffffffffn);
  return null;
}

function verdictOf(ip: Ip): Verdict {
  if (ip.v === 4) {
    const hit = V4_NETS.find(([, r]) => inV4(ip.n, r));
    return { blocked: Boolean(hit), range: hit?.[0] ?? null, v4: v4Text(ip.n) };
  }
  const v4 = embeddedV4(ip.n);
  if (v4 !== null) return verdictOf({ v: 4, n: v4 });
  const hit = V6_NETS.find(([, r]) => inV6(ip.n, r));
  if (hit) return { blocked: true, range: hit[0], v4: null };
  if (!inV6(ip.n, GLOBAL_UNICAST)) return { blocked: true, range: "outside 2000::/3", v4: null };
  return { blocked: false, range: null, v4: null };
}

/**
 * Classifies an address literal in any of its forms. A string that is not an address is
 * blocked (a resolver's answer is always an address; anything else is a mistake).
 */
export function classifyAddress(address: string): Verdict {
  const ip = parseIp(address);
  return ip ? verdictOf(ip) : { blocked: true, range: "not an address", v4: null };
}

export const isBlockedAddress = (address: string) => classifyAddress(address).blocked;

/** `localhost`, `x.localhost`, with any trailing dots: loopback by definition (RFC 6761). */
export const isLocalhostName = (host: string) => /(^|\.)localhost$/i.test(host.replace(/\.+$/, ""));

// ---- policy ----

type AllowEntry =
  | { v: 4; net: [number, number]; port: number | null }
  | { v: 6; net: [bigint, number]; port: number | null };

function parseAllowEntry(raw: string): AllowEntry | null {
  let text = raw;
  let port: number | null = null;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4Port = /^([^:]+):(\d+)$/.exec(text);
  if (bracket?.[1]) {
    text = bracket[1];
    port = bracket[2] ? Number(bracket[2]) : null;
  } else if (v4Port?.[1]) {
    text = v4Port[1];
    port = Number(v4Port[2]);
  }
  const [addr, lenText] = text.split("/") as [string, string | undefined];
  const ip = net.isIP(addr) ? parseIp(addr) : null;
  if (!ip) return null;
  const max = ip.v === 4 ? 32 : 128;
  const len = lenText === undefined ? max : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > max) return null;
  return ip.v === 4 ? { v: 4, net: [ip.n, len], port } : { v: 6, net: [ip.n, len], port };
}

export type OutboundPolicy = { allowPrivate: boolean; allow: AllowEntry[] };

/** Reads the switches on every call, so an operator's (or a test's) change applies at once. */
export function outboundPolicy(env: NodeJS.ProcessEnv = process.env): OutboundPolicy {
  const allowPrivate = [ALLOW_PRIVATE_ENV, ...ALLOW_PRIVATE_ALIASES].some((k) => env[k] === "1");
  const allow = (env[ALLOW_LIST_ENV] ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(parseAllowEntry)
    .filter((e): e is AllowEntry => e !== null);
  return { allowPrivate, allow };
}

/** Whether the policy lets a request reach `address` on `port`. */
export function permits(policy: OutboundPolicy, address: string, port: number): boolean {
  if (policy.allowPrivate) return true;
  const ip = parseIp(address);
  if (!ip) return false;
  if (!verdictOf(ip).blocked) return true;
  // An IPv4-mapped address is the same destination as its IPv4 address; other embeddings are not.
  const asV4 = ip.v === 4 ? ip.n : inV6(ip.n, MAPPED) ? Number(ip.n & 0xffffffffn) : null;
  return policy.allow.some((e) => {
    if (e.port !== null && e.port !== port) return false;
    if (e.v === 4) return asV4 !== null && inV4(asV4, e.net);
    return ip.v === 6 && inV6(ip.n, e.net);
  });
}

// ---- resolving and fetching ----

export type Address = { address: string; family: 4 | 6 };
/** Turns a name into addresses; tests inject one to give a test server a public-looking name. */
export type Resolver = (host: string) => Promise<Address[]>;

const dnsResolver: Resolver = async (host) =>
  (await dns.lookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/**
 * Why a request did not happen or did not finish. The message is always {@link REFUSED_MESSAGE};
 * `blocked` and `detail` are for the server's own decisions (retry or not) and logs, never
 * for the caller.
 */
export class OutboundRefused extends Error {
  constructor(
    readonly blocked: boolean,
    readonly detail: string,
  ) {
    super(REFUSED_MESSAGE);
    this.name = "OutboundRefused";
  }
}

/** The answer was larger than the caller's cap (only possible from an allowed address). */
export class OutboundTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
    this.name = "OutboundTooLarge";
  }
}

const portOf = (url: URL) => (url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80);

/**
 * Resolves a URL's host once and checks every address it has; returns the one to connect to.
 * Throws {@link OutboundRefused} (blocked: true) for a refused scheme or address.
 */
export async function resolveTarget(
  url: URL,
  opts: { resolve?: Resolver; policy?: OutboundPolicy } = {},
): Promise<Address> {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new OutboundRefused(true, `scheme ${url.protocol}`);
  const policy = opts.policy ?? outboundPolicy();
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = parseIp(host);
  let addrs: Address[];
  if (literal) addrs = [{ address: literal.v === 4 ? v4Text(literal.n) : host, family: literal.v }];
  else if (isLocalhostName(host))
    addrs = [
      { address: "127.0.0.1", family: 4 },
      { address: "::1", family: 6 },
    ];
  else {
    try {
      addrs = await (opts.resolve ?? dnsResolver)(host);
    } catch (e) {
      throw new OutboundRefused(false, `${host} does not resolve (${(e as Error).message})`);
    }
  }
  const first = addrs[0];
  if (!first) throw new OutboundRefused(false, `${host} has no address`);
  const port = portOf(url);
  const bad = addrs.find((a) => !permits(policy, a.address, port));
  if (bad)
    throw new OutboundRefused(true, `${host} -> ${bad.address} (${classifyAddress(bad.address).range})`);
  return first;
}

/**
 * The check when a URL is saved (webhook URL, channel outbound URL): a 400 `url_not_allowed`
 * for a refused scheme or address. A name that does not resolve yet is accepted; it is
 * checked again on every request.
 */
export async function assertOutboundUrl(raw: string, field: string, resolve?: Resolver) {
  try {
    await resolveTarget(new URL(raw), resolve ? { resolve } : {});
  } catch (e) {
    if (e instanceof OutboundRefused && e.blocked)
      throw new AppError(
        "url_not_allowed",
        400,
        "This URL points to an address Rapport does not connect to (loopback, private, link-local or another special-purpose range)",
        { field },
      );
    if (!(e instanceof OutboundRefused)) throw e;
  }
}

export type FetchOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Largest answer body read (default 64 KiB). */
  maxBytes?: number;
  /** `truncate` keeps the first maxBytes; `error` throws {@link OutboundTooLarge}. */
  overflow?: "truncate" | "error";
  /** Deadline for the whole exchange, redirects included (default 10 s). */
  timeoutMs?: number;
  /** Redirects followed for GET and HEAD (default 3, each hop checked again); other methods get the 3xx. */
  maxRedirects?: number;
  resolve?: Resolver;
};
export type OutboundResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  url: string;
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** One request to one checked address; resolves with the response once its headers arrive. */
function send(
  url: URL,
  target: Address,
  o: { method: string; headers: Record<string, string>; body: Buffer | null; deadline: number },
) {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const lib = url.protocol === "https:" ? https : http;
    const headers = { ...o.headers, ...(o.body ? { "content-length": String(o.body.length) } : {}) };
    const req = lib.request(url, {
      method: o.method,
      headers,
      agent: false,
      // Connect to the address the guard checked, never to a second DNS answer.
      lookup: (_host, opts, cb) => {
        if ((opts as { all?: boolean }).all) cb(null, [target]);
        else (cb as (e: null, a: string, f: number) => void)(null, target.address, target.family);
      },
    });
    const timer = setTimeout(() => req.destroy(new Error("timed out")), Math.max(0, o.deadline - Date.now()));
    req.on("response", (res) => {
      res.on("close", () => clearTimeout(timer));
      resolve(res);
    });
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(o.body ?? undefined);
  });
}

function readBody(res: http.IncomingMessage, max: number, overflow: "truncate" | "error") {
  return new Promise<{ body: Buffer; truncated: boolean }>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      resolve({ body: Buffer.concat(chunks), truncated });
    };
    res.on("data", (c: Buffer) => {
      if (done) return;
      if (size + c.length > max) {
        if (overflow === "error") {
          done = true;
          res.destroy();
          reject(new OutboundTooLarge(max));
          return;
        }
        chunks.push(c.subarray(0, max - size));
        size = max;
        finish(true);
        res.destroy();
        return;
      }
      size += c.length;
      chunks.push(c);
    });
    res.on("end", () => finish(false));
    res.on("error", (e) => {
      if (done) return;
      done = true;
      reject(e);
    });
    res.on("close", () => {
      if (!done) {
        done = true;
        reject(new Error("the connection closed before the answer ended"));
      }
    });
  });
}

/** A slow resolver counts against the same deadline as the rest of the exchange. */
async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new OutboundRefused(false, "no address in time")),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The only way the server fetches a URL from outside. Throws {@link OutboundRefused} for a
 * refused address, a failed lookup, a failed connection, a timeout or a broken answer, and
 * {@link OutboundTooLarge} when asked to; an HTTP error status is an answer, not a throw.
 */
export async function fetchOutbound(raw: string | URL, opts: FetchOptions = {}): Promise<OutboundResponse> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const maxRedirects = opts.maxRedirects ?? 3;
  const method = (opts.method ?? "GET").toUpperCase();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused(true, "not a URL");
  }
  for (let hop = 0; ; hop++) {
    const target = await beforeDeadline(
      resolveTarget(url, opts.resolve ? { resolve: opts.resolve } : {}),
      deadline,
    );
    let res: http.IncomingMessage;
    try {
      res = await send(url, target, {
        method,
        headers: opts.headers ?? {},
        body: opts.body === undefined ? null : Buffer.from(opts.body),
        deadline,
      });
    } catch (e) {
      throw new OutboundRefused(false, `${url.host}: ${(e as Error).message}`);
    }
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECTS.has(status) && location && (method === "GET" || method === "HEAD")) {
      res.destroy();
      if (hop >= maxRedirects) throw new OutboundRefused(true, `more than ${maxRedirects} redirects`);
      try {
        url = new URL(location, url);
      } catch {
        throw new OutboundRefused(true, "a redirect to something that is not a URL");
      }
      continue;
    }
    try {
      const { body, truncated } = await readBody(
        res,
        opts.maxBytes ?? 64 * 1024,
        opts.overflow ?? "truncate",
      );
      return { status, headers: res.headers, body, truncated, url: url.toString() };
    } catch (e) {
      if (e instanceof OutboundTooLarge) throw e;
      throw new OutboundRefused(false, `${url.host}: ${(e as Error).message}`);
    }
  }
}

/** A short, printable excerpt of an answer for a delivery log: no control characters, one line. */
export function excerpt(body: Buffer | string, max = 120): string {
  const text = (typeof body === "string" ? body : body.subarray(0, max * 4).toString("utf8"))
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufffd]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
