/** Timing helpers: bounded load loops, percentiles, and capture of the SQL a request sends. */
import pg from "pg";

export type Stats = { n: number; p50: number; p95: number; p99: number; mean: number; max: number };

export function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), mean, max: s.at(-1) ?? 0 };
}

export const fmt = (x: number, digits = 1) => x.toFixed(digits);

/**
 * Runs `fn` with `concurrency` workers until `count` calls are done or `maxMs` has
 * passed (whichever is first); returns each call's duration in ms and the wall time.
 */
export async function load(
  fn: (i: number) => Promise<void>,
  opts: { count: number; maxMs: number; concurrency?: number; warmup?: number },
): Promise<{ durations: number[]; wallMs: number }> {
  for (let i = 0; i < (opts.warmup ?? 0); i++) await fn(-1 - i);
  const durations: number[] = [];
  const deadline = performance.now() + opts.maxMs;
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < opts.count && performance.now() < deadline) {
      const i = next++;
      const s = performance.now();
      await fn(i);
      durations.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 1 }, worker));
  return { durations, wallMs: performance.now() - t0 };
}

/** An HTTP client for the app over real sockets (Node's fetch keeps connections alive). */
export function httpClient(base: string, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body: unknown) => call("POST", path, body),
  };
}

export type CapturedQuery = { text: string; values: unknown[] };

/**
 * Records every statement the pg driver sends while `fn` runs (the app is in this
 * process, so these are exactly the request's queries), to replay them as a raw-SQL
 * baseline and to EXPLAIN them.
 */
export async function captureQueries<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; queries: CapturedQuery[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const queries: CapturedQuery[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === "string") queries.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === "object" && "text" in first) {
      const q = first as { text: string; values?: unknown[] };
      queries.push({ text: q.text, values: Array.isArray(second) ? second : (q.values ?? []) });
    }
    return original.apply(this, args);
  };
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    proto.query = original;
  }
}
