/**
 * The API contract check (decision 0012): a web call such as `get<Reason[]>("/csat/reasons")` must
 * not name a hand-written type when the server declares that route's response schema. The web app
 * takes those shapes from "@rapport/server/contract" instead, so tsc catches a changed field.
 *
 * It reads the OpenAPI document (every route with a 2xx response schema) and the web app's sources:
 * each `get|post|patch|del|api<T>(path)` call with a literal path that matches such a route fails
 * when T is an inline object type or names a type the web app declares as an object literal.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../test/factories.ts";
import { createTestApp, type TestApp } from "../test/harness.ts";

const WEB_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/src");

const HOLE = "\u0000";

function webFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "locales" ? [] : webFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Names the web app declares as object types: `type X = {`, `type X = Array<{`, `interface X`. */
function handDeclaredNames(sources: string[]): Set<string> {
  const names = new Set<string>();
  const re =
    /(?:^|\n)\s*(?:export\s+)?(?:type\s+([A-Z]\w*)(?:<[^=]*>)?\s*=\s*(?:Array<\s*)?\{|interface\s+([A-Z]\w*))/g;
  for (const src of sources) for (const m of src.matchAll(re)) names.add((m[1] ?? m[2]) as string);
  return names;
}

/** Reads a balanced `<...>` starting at `i` (the `<`); returns its inside and the index after it. */
function readGeneric(src: string, i: number): { text: string; end: number } | null {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === "<" || c === "{" || c === "(" || c === "[") depth++;
    else if (c === ">" && src[j - 1] !== "=") {
      depth--;
      if (depth === 0) return { text: src.slice(i + 1, j), end: j + 1 };
    } else if (c === "}" || c === ")" || c === "]") depth--;
    if (depth < 0) return null;
  }
  return null;
}

/** Reads a string or template literal at `i`; `${...}` parts become HOLE. */
function readLiteral(src: string, i: number): string | null {
  const q = src[i];
  if (q !== '"' && q !== "'" && q !== "`") return null;
  let out = "";
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === q) return out;
    if (q === "`" && c === "$" && src[j + 1] === "{") {
      let depth = 0;
      let k = j + 1;
      for (; k < src.length; k++) {
        if (src[k] === "{") depth++;
        else if (src[k] === "}" && --depth === 0) break;
      }
      out += HOLE;
      j = k;
    } else out += c;
  }
  return null;
}

type Call = { file: string; method: string; path: string; type: string };

function webCalls(file: string, src: string): Call[] {
  const calls: Call[] = [];
  const re = /\b(get|post|patch|put|del|api)</g;
  for (const m of src.matchAll(re)) {
    const g = readGeneric(src, (m.index ?? 0) + m[0].length - 1);
    if (!g) continue;
    let i = g.end;
    while (/\s/.test(src[i] ?? "")) i++;
    if (src[i] !== "(") continue;
    i++;
    while (/\s/.test(src[i] ?? "")) i++;
    let method = ({ get: "GET", post: "POST", patch: "PATCH", put: "PUT", del: "DELETE" } as const)[
      m[1] as "get"
    ];
    if (m[1] === "api") {
      const verb = readLiteral(src, i);
      if (!verb) continue;
      method = verb as "GET";
      i = src.indexOf(",", i) + 1;
      while (/\s/.test(src[i] ?? "")) i++;
    }
    const raw = readLiteral(src, i);
    if (raw === null || !raw.startsWith("/")) continue;
    // The query string is not part of the route: `?a=${x}` or a trailing `${qs(...)}`.
    let p = raw.split("?")[0] as string;
    if (p.endsWith(HOLE) && !p.endsWith(`/${HOLE}`)) p = p.slice(0, -1);
    calls.push({ file: path.relative(WEB_SRC, file), method, path: p, type: g.text.trim() });
  }
  return calls;
}

describe("the web app takes API shapes from the server's schemas", () => {
  let t: TestApp;
  let routes: Map<string, boolean>;
  beforeAll(async () => {
    t = await createTestApp();
    const doc = (await apiClient(t.app).get("/openapi.json")).body as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>;
    };
    routes = new Map();
    for (const [p, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const typed = Object.entries(op.responses ?? {}).some(
          ([status, r]) => status.startsWith("2") && r.content !== undefined,
        );
        const key = `${method.toUpperCase()} ${p.replace(/^\/api\/v1/, "").replace(/\{[^}]+\}/g, HOLE)}`;
        routes.set(key, typed);
      }
  });
  afterAll(() => t.close());

  it("finds the web app's calls and the server's routes", () => {
    const files = webFiles(WEB_SRC);
    const calls = files.flatMap((f) => webCalls(f, fs.readFileSync(f, "utf8")));
    expect(calls.length).toBeGreaterThan(100);
    // Most literal paths match a route; a few call routes outside /api/v1 or build the path.
    const matched = calls.filter((c) => routes.has(`${c.method} ${c.path}`));
    expect(matched.length / calls.length).toBeGreaterThan(0.8);
  });

  it("declares no response type by hand for a route with a response schema", () => {
    const files = webFiles(WEB_SRC);
    const sources = new Map(files.map((f) => [f, fs.readFileSync(f, "utf8")]));
    const hand = handDeclaredNames([...sources.values()]);
    const offending = new Map<string, string[]>();
    for (const [file, src] of sources)
      for (const c of webCalls(file, src)) {
        if (!routes.get(`${c.method} ${c.path}`)) continue;
        const names = c.type.match(/\b[A-Z]\w*/g) ?? [];
        const byHand = c.type.includes("{") || names.some((n) => hand.has(n));
        if (!byHand) continue;
        const list = offending.get(c.file) ?? [];
        list.push(`${c.method} ${c.path.replaceAll(HOLE, ":id")} <${c.type}>`);
        offending.set(c.file, list);
      }
    // Every web file is converted (the last ones in December 2026): no exceptions remain.
    expect(Object.fromEntries(offending)).toEqual({});
  });
});
