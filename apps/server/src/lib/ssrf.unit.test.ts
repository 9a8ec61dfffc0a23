import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALLOW_LIST_ENV,
  ALLOW_PRIVATE_ENV,
  assertOutboundUrl,
  BLOCKED_V4,
  classifyAddress,
  excerpt,
  fetchOutbound,
  OutboundRefused,
  OutboundTooLarge,
  outboundPolicy,
  parseIPv4,
  permits,
  REFUSED_MESSAGE,
  type Resolver,
  resolveTarget,
} from "./ssrf.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

/** The host a URL parser makes of `host`, classified: what the guard sees for a typed URL. */
const viaUrl = (host: string) => classifyAddress(new URL(`http://${host}/`).hostname);

describe("address classifier", () => {
  // [form, blocked, range]
  const table: Array<[string, boolean, string | null]> = [
    // IPv4 loopback in every spelling
    ["127.0.0.1", true, "127.0.0.0/8"],
    ["2130706433", true, "127.0.0.0/8"],
    ["0177.0.0.1", true, "127.0.0.0/8"],
    ["0x7f.1", true, "127.0.0.0/8"],
    ["0x7f000001", true, "127.0.0.0/8"],
    ["127.1", true, "127.0.0.0/8"],
    ["127.0.1", true, "127.0.0.0/8"],
    ["127.0.0.1.", true, "127.0.0.0/8"],
    ["017700000001", true, "127.0.0.0/8"],
    // IPv4 in IPv6
    ["::ffff:127.0.0.1", true, "127.0.0.0/8"],
    ["[::ffff:127.0.0.1]", true, "127.0.0.0/8"],
    ["::ffff:7f00:1", true, "127.0.0.0/8"],
    ["0:0:0:0:0:ffff:7f00:1", true, "127.0.0.0/8"],
    ["::FFFF:7F00:0001", true, "127.0.0.0/8"],
    ["64:ff9b::127.0.0.1", true, "127.0.0.0/8"],
    ["64:ff9b::a9fe:a9fe", true, "169.254.0.0/16"],
    ["2002:7f00:1::1", true, "127.0.0.0/8"],
    ["2002:a9fe:a9fe::", true, "169.254.0.0/16"],
    ["::127.0.0.1", true, "::/96"],
    ["::7f00:1", true, "::/96"],
    ["::ffff:0:127.0.0.1", true, "::ffff:0:0:0/96"],
    ["::ffff:0:7f00:1", true, "::ffff:0:0:0/96"],
    ["64:ff9b:1::1", true, "64:ff9b:1::/48"],
    // the IPv4 special-purpose registry
    ["0.0.0.0", true, "0.0.0.0/8"],
    ["0", true, "0.0.0.0/8"],
    ["10.1.2.3", true, "10.0.0.0/8"],
    ["100.64.0.1", true, "100.64.0.0/10"],
    ["100.127.255.255", true, "100.64.0.0/10"],
    ["169.254.169.254", true, "169.254.0.0/16"],
    ["172.16.0.1", true, "172.16.0.0/12"],
    ["172.31.255.255", true, "172.16.0.0/12"],
    ["192.0.0.8", true, "192.0.0.0/24"],
    ["192.0.2.1", true, "192.0.2.0/24"],
    ["192.88.99.1", true, "192.88.99.0/24"],
    ["192.168.1.1", true, "192.168.0.0/16"],
    ["198.18.0.1", true, "198.18.0.0/15"],
    ["198.19.255.254", true, "198.18.0.0/15"],
    ["198.51.100.7", true, "198.51.100.0/24"],
    ["203.0.113.9", true, "203.0.113.0/24"],
    ["224.0.0.1", true, "224.0.0.0/4"],
    ["239.255.255.250", true, "224.0.0.0/4"],
    ["240.0.0.1", true, "240.0.0.0/4"],
    ["255.255.255.255", true, "240.0.0.0/4"],
    // the IPv6 special-purpose registry
    ["::", true, "::/128"],
    ["::1", true, "::1/128"],
    ["0:0:0:0:0:0:0:1", true, "::1/128"],
    ["fc00::1", true, "fc00::/7"],
    ["fd12:3456::1", true, "fc00::/7"],
    ["fe80::1", true, "fe80::/10"],
    ["fe80::1%eth0", true, "fe80::/10"],
    ["fec0::1", true, "fec0::/10"],
    ["ff02::1", true, "ff00::/8"],
    ["2001:db8::1", true, "2001:db8::/32"],
    ["100::1", true, "100::/64"],
    ["2001::1", true, "2001::/23"],
    ["2001:2::1", true, "2001::/23"],
    ["3fff::1", true, "3fff::/20"],
    ["5f00::1", true, "5f00::/16"],
    ["4000::1", true, "outside 2000::/3"],
    // not addresses
    ["localhost", true, "not an address"],
    ["example.com", true, "not an address"],
    // public
    ["8.8.8.8", false, null],
    ["93.184.216.34", false, null],
    ["172.32.0.1", false, null],
    ["100.128.0.1", false, null],
    ["198.20.0.1", false, null],
    ["192.0.3.1", false, null],
    ["::ffff:8.8.8.8", false, null],
    ["64:ff9b::808:808", false, null],
    ["2002:808:808::1", false, null],
    ["2606:4700::1111", false, null],
    ["2a00:1450:4001::200e", false, null],
  ];

  it.each(table)("%s -> blocked %s (%s)", (form, blocked, range) => {
    expect(classifyAddress(form)).toMatchObject({ blocked, range });
  });

  it("reads typed URLs the same way (the URL parser's normalisation, then the classifier)", () => {
    for (const host of [
      "2130706433",
      "0177.0.0.1",
      "0x7f.1",
      "127.1",
      "[::ffff:127.0.0.1]",
      "[::ffff:7f00:1]",
      "[0:0:0:0:0:ffff:7f00:1]",
      "[::ffff:0:127.0.0.1]",
      "[::127.0.0.1]",
      "%31%32%37.0.0.1",
    ])
      expect(viaUrl(host).blocked, host).toBe(true);
  });

  it("parses IPv4 exactly like the WHATWG URL parser", PROPERTY, () => {
    const part = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.integer({ min: 0, max: 0xffff }).map((n) => `0x${n.toString(16)}`),
      fc.integer({ min: 0, max: 0o777 }).map((n) => `0${n.toString(8)}`),
      fc.integer({ min: 0, max: 0xffffffff }).map(String),
      fc.constantFrom("", "x", "08", "0x", "1e3", "-1"),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        const host = parts.join(".");
        let expected: number | null = null;
        try {
          const h = new URL(`http://${host}/`).hostname;
          const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
          if (m) expected = m.slice(1).reduce((acc, b) => acc * 256 + Number(b), 0);
        } catch {
          expected = null;
        }
        const got = parseIPv4(host);
        // Where the URL parser made an IPv4 address, ours is the same; where it refused a
        // numeric-looking host, ours is null too.
        if (expected !== null) expect(got).toBe(expected);
        else if (/^[0-9.x]+$/i.test(host) && !/[g-wyz]/i.test(host)) expect(got).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe("every IPv4 address of a blocked range is blocked in every encoding", () => {
  const ranges = BLOCKED_V4.map((c) => {
    const [a, len] = c.split("/") as [string, string];
    return { base: parseIPv4(a) as number, size: 2 ** (32 - Number(len)) };
  });
  const blockedV4 = fc
    .tuple(fc.constantFrom(...ranges), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }))
    .map(([r, f]) => (r.base + Math.floor(f * r.size)) >>> 0);
  const anyV4 = fc.integer({ min: 0, max: 0xffffffff });

  const bytes = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255] as const;
  const hex16 = (n: number) => [(n >>> 16).toString(16), (n & 0xffff).toString(16)] as const;
  /** Every textual form of one IPv4 address the guard must see through. */
  function encodings(n: number): string[] {
    const [a, b, c, d] = bytes(n);
    const [hi, lo] = hex16(n);
    return [
      `${a}.${b}.${c}.${d}`,
      String(n),
      `0${n.toString(8)}`,
      `0x${n.toString(16)}`,
      [a, b, c, d].map((x) => `0${x.toString(8)}`).join("."),
      [a, b, c, d].map((x) => `0x${x.toString(16)}`).join("."),
      `${a}.${(b << 16) + (c << 8) + d}`,
      `${a}.${b}.${(c << 8) + d}`,
      `0x${a.toString(16)}.${b}.0${((c << 8) + d).toString(8)}`,
      `${a}.${b}.${c}.${d}.`,
      `::ffff:${a}.${b}.${c}.${d}`,
      `::ffff:${hi}:${lo}`,
      `0:0:0:0:0:ffff:${hi}:${lo}`,
      `[::ffff:${hi}:${lo}]`,
      `64:ff9b::${a}.${b}.${c}.${d}`,
      `64:ff9b::${hi}:${lo}`,
      `2002:${hi}:${lo}::1`,
      `2002:${hi}:${lo}:ffff::`,
      `::${a}.${b}.${c}.${d}`,
      `::ffff:0:${hi}:${lo}`,
    ];
  }

  it("as an address literal", PROPERTY, () => {
    fc.assert(
      fc.property(blockedV4, (n) => {
        for (const form of encodings(n)) expect(classifyAddress(form).blocked, form).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("as the host of a typed URL", PROPERTY, () => {
    fc.assert(
      fc.property(blockedV4, (n) => {
        for (const form of encodings(n)) {
          const host = form.includes(":") && !form.startsWith("[") ? `[${form}]` : form;
          expect(viaUrl(host).blocked, form).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a mapped, NAT64 or 6to4 form is judged by the IPv4 address it carries", PROPERTY, () => {
    fc.assert(
      fc.property(anyV4, (n) => {
        const verdict = classifyAddress(encodings(n)[0] as string).blocked;
        for (const form of encodings(n).slice(0, 18))
          expect(classifyAddress(form).blocked, form).toBe(verdict);
      }),
      { numRuns: 200 },
    );
  });
});

describe("policy switches", () => {
  it("one switch allows every address; the older names are aliases", () => {
    for (const name of [ALLOW_PRIVATE_ENV, "RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "CHANNEL_ALLOW_PRIVATE_URLS"])
      expect(outboundPolicy({ [name]: "1" }).allowPrivate, name).toBe(true);
    expect(outboundPolicy({}).allowPrivate).toBe(false);
    expect(outboundPolicy({ [ALLOW_PRIVATE_ENV]: "yes" }).allowPrivate).toBe(false);
  });

  it("the allow-list admits exactly the listed addresses, networks and ports", () => {
    const policy = outboundPolicy({
      [ALLOW_LIST_ENV]: "127.0.0.1:8080, 10.1.0.0/16 [fd00::5]:443,192.168.1.9, nonsense, 1.2.3.4/99",
    });
    expect(policy.allow).toHaveLength(4);
    const cases: Array<[string, number, boolean]> = [
      ["127.0.0.1", 8080, true],
      ["::ffff:127.0.0.1", 8080, true],
      ["127.0.0.1", 8081, false],
      ["127.0.0.2", 8080, false],
      ["2002:7f00:1::", 8080, false],
      ["10.1.200.3", 1, true],
      ["10.2.0.1", 80, false],
      ["fd00::5", 443, true],
      ["fd00::5", 80, false],
      ["192.168.1.9", 5432, true],
      ["8.8.8.8", 53, true],
      ["169.254.169.254", 80, false],
    ];
    for (const [address, port, allowed] of cases)
      expect([address, port, permits(policy, address, port)]).toEqual([address, port, allowed]);
  });
});

describe("resolving and fetching", () => {
  let server: http.Server;
  let port: number;
  const seen: Array<{ url: string; host: string | undefined }> = [];
  let closedPort: number;
  const env = { ...process.env };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? "", host: req.headers.host });
      const u = new URL(req.url ?? "/", "http://x");
      if (u.pathname === "/to") res.writeHead(302, { location: u.searchParams.get("l") ?? "/" }).end();
      else if (u.pathname.startsWith("/hop/")) {
        const n = Number(u.pathname.slice(5));
        res.writeHead(302, { location: n > 0 ? `/hop/${n - 1}` : "/ok" }).end();
      } else if (u.pathname === "/big") res.end(Buffer.alloc(100_000, 97));
      else if (u.pathname === "/slow") setTimeout(() => res.end("late"), 2000);
      else res.end(`ok ${req.method}`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    // The test server stands in for a public host: only its exact address and port are allowed.
    process.env[ALLOW_LIST_ENV] = `127.0.0.1:${port},127.0.0.1:${closedPort}`;
    for (const k of [ALLOW_PRIVATE_ENV, "RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "CHANNEL_ALLOW_PRIVATE_URLS"])
      delete process.env[k];
  });
  afterAll(async () => {
    process.env = env;
    await new Promise((r) => server.close(r));
  });

  /** A resolver that answers a fixed address for any name and counts its calls. */
  const fixed = (address: string) => {
    const calls: string[] = [];
    const resolve: Resolver = async (host) => {
      calls.push(host);
      return [{ address, family: address.includes(":") ? 6 : 4 }];
    };
    return { resolve, calls };
  };

  it("resolves a name once and connects to the checked address, with the name as Host", async () => {
    const { resolve, calls } = fixed("127.0.0.1");
    const res = await fetchOutbound(`http://bridge.example:${port}/ok`, { resolve });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe("ok GET");
    expect(calls).toEqual(["bridge.example"]);
    expect(seen.at(-1)?.host).toBe(`bridge.example:${port}`);
  });

  it("refuses a name with any blocked address among its answers", async () => {
    const resolve: Resolver = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.1", family: 4 },
    ];
    await expect(resolveTarget(new URL("http://mixed.example/"), { resolve })).rejects.toMatchObject({
      blocked: true,
    });
  });

  it("follows redirects by hand, checking each hop, at most 3", async () => {
    const before = seen.length;
    const ok = await fetchOutbound(`http://127.0.0.1:${port}/hop/2`);
    expect(ok.body.toString()).toBe("ok GET");
    expect(seen.length - before).toBe(4);
    await expect(fetchOutbound(`http://127.0.0.1:${port}/hop/3`)).rejects.toBeInstanceOf(OutboundRefused);
    for (const target of [
      "http://127.0.0.2/x",
      "http://[::ffff:127.0.0.1]/x",
      "http://169.254.169.254/latest/meta-data",
      "http://localhost./x",
      "file:///etc/passwd",
    ]) {
      const start = seen.length;
      const err = await fetchOutbound(`http://127.0.0.1:${port}/to?l=${encodeURIComponent(target)}`).catch(
        (e) => e,
      );
      expect([target, err]).toEqual([target, expect.any(OutboundRefused)]);
      expect((err as OutboundRefused).blocked).toBe(true);
      expect(seen.length - start).toBe(1);
    }
    // A POST gets the 3xx as its answer.
    const post = await fetchOutbound(`http://127.0.0.1:${port}/to?l=/ok`, { method: "POST", body: "{}" });
    expect(post.status).toBe(302);
  });

  it("says the same thing for a blocked address, an unknown name, a closed port and a timeout", async () => {
    const errors = await Promise.all(
      [
        fetchOutbound("http://10.0.0.1/"),
        fetchOutbound("http://[::ffff:0:127.0.0.1]/"),
        fetchOutbound("http://localhost./"),
        fetchOutbound("http://no-such-host.invalid/"),
        fetchOutbound(`http://127.0.0.1:${closedPort}/`),
        fetchOutbound(`http://127.0.0.1:${port}/slow`, { timeoutMs: 200 }),
      ].map((p) =>
        p.then(
          () => null,
          (e: Error) => e,
        ),
      ),
    );
    expect(errors.map((e) => e?.message)).toEqual(new Array(6).fill(REFUSED_MESSAGE));
    expect(errors.map((e) => (e as OutboundRefused).blocked)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it("counts a slow lookup against the deadline", async () => {
    const never: Resolver = () => new Promise(() => {});
    const started = Date.now();
    const err = await fetchOutbound("http://slow-dns.example/", { resolve: never, timeoutMs: 100 }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(OutboundRefused);
    expect((err as Error).message).toBe(REFUSED_MESSAGE);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("caps the answer: truncated, or refused when asked", async () => {
    const cut = await fetchOutbound(`http://127.0.0.1:${port}/big`, { maxBytes: 1000 });
    expect([cut.body.length, cut.truncated]).toEqual([1000, true]);
    await expect(
      fetchOutbound(`http://127.0.0.1:${port}/big`, { maxBytes: 1000, overflow: "error" }),
    ).rejects.toBeInstanceOf(OutboundTooLarge);
  });

  it("refuses blocked URLs at save time with url_not_allowed; an unknown name is accepted", async () => {
    for (const url of ["http://[::127.0.0.1]/", "http://localhost./", "http://198.18.0.1/", "gopher://x/"])
      await expect(assertOutboundUrl(url, "url"), url).rejects.toMatchObject({
        code: "url_not_allowed",
        status: 400,
        details: { field: "url" },
      });
    await expect(assertOutboundUrl("https://no-such-host.invalid/", "url")).resolves.toBeUndefined();
    await expect(assertOutboundUrl(`http://127.0.0.1:${port}/`, "url")).resolves.toBeUndefined();
  });

  it("keeps a one-line printable excerpt of an answer", () => {
    expect(excerpt("  <h1>Bad\r\n gateway</h1>\u0000\u001b[31m ")).toBe("<h1>Bad gateway</h1> [31m");
    expect(excerpt("x".repeat(500))).toHaveLength(120);
  });
});
