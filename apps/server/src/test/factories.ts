import { randomUUID } from "node:crypto";
import type { Role } from "@rapport/shared";
import type { FastifyInstance, InjectOptions } from "fastify";
import { withActor } from "../context.ts";
import { createApiToken } from "../modules/auth/auth.service.ts";
import type { TUser } from "../modules/users/users.schema.ts";
import { agentActor, findUserWithTeams } from "../modules/users/users.service.ts";
import type { TestApp } from "./harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON; tests assert on their shape
export type Json = any;
export type Res<T = Json> = { status: number; body: T; headers: Record<string, unknown>; raw: string };

/**
 * A small HTTP client over app.inject for one identity: an API token, or a session
 * cookie with its CSRF token, or nobody.
 */
export function apiClient(
  app: FastifyInstance,
  auth: { token?: string; cookie?: string; csrf?: string } = {},
) {
  const call = async <T = Json>(
    method: InjectOptions["method"],
    url: string,
    payload?: unknown,
    extra: InjectOptions = {},
  ): Promise<Res<T>> => {
    const headers: Record<string, string> = { ...(extra.headers as Record<string, string>) };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.cookie = `rapport_session=${auth.cookie}`;
    if (auth.csrf) headers["x-csrf-token"] = auth.csrf;
    const res = await app.inject({
      method,
      url: url.startsWith("/api/") ? url : `/api/v1${url}`,
      ...(payload !== undefined ? { payload: payload as InjectOptions["payload"] } : {}),
      ...extra,
      headers,
    });
    let body: Json = res.body;
    if ((res.headers["content-type"] ?? "").toString().includes("json") && res.body)
      body = JSON.parse(res.body);
    return { status: res.statusCode, body, headers: res.headers, raw: res.body };
  };
  return {
    get: <T = Json>(url: string, extra?: InjectOptions) => call<T>("GET", url, undefined, extra),
    post: <T = Json>(url: string, payload?: unknown, extra?: InjectOptions) =>
      call<T>("POST", url, payload ?? {}, extra),
    patch: <T = Json>(url: string, payload?: unknown, extra?: InjectOptions) =>
      call<T>("PATCH", url, payload ?? {}, extra),
    put: <T = Json>(url: string, payload?: unknown, extra?: InjectOptions) =>
      call<T>("PUT", url, payload ?? {}, extra),
    delete: <T = Json>(url: string, extra?: InjectOptions) => call<T>("DELETE", url, undefined, extra),
    call,
  };
}
export type Api = ReturnType<typeof apiClient>;

export const PASSWORD = "correct-horse-battery";

/** Runs first-time setup and returns the admin with an API token client. */
export async function setupAdmin(t: TestApp, email = "admin@rapport.test") {
  const anon = apiClient(t.app);
  const res = await anon.post("/setup", {
    organization: { name: "Acme Support", timeZone: "Asia/Ho_Chi_Minh", defaultLanguage: "en" },
    admin: { name: "Ada Admin", email, password: PASSWORD },
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.raw}`);
  return { user: res.body.admin as TUser, ...(await tokenFor(t, res.body.admin.id)) };
}

/** An API token for a user, made through the service (fast: no password hashing). */
export async function tokenFor(t: TestApp, userId: string) {
  const row = await findUserWithTeams(t.database.db, userId);
  if (!row) throw new Error("no such user");
  const created = await createApiToken(withActor(t.services, agentActor(row.user, row.teamIds, "token")), {
    name: "test",
  });
  return { token: created.token, api: apiClient(t.app, { token: created.token }) };
}

/** Creates a user through the admin API and returns it with its own API client. */
export async function createAgent(
  t: TestApp,
  admin: Api,
  opts: { role?: Role; teamIds?: string[]; name?: string; email?: string; languages?: string[] } = {},
) {
  const suffix = randomUUID().slice(0, 8);
  const res = await admin.post("/users", {
    name: opts.name ?? `Agent ${suffix}`,
    email: opts.email ?? `agent-${suffix}@rapport.test`,
    role: opts.role ?? "agent",
    password: PASSWORD,
    teamIds: opts.teamIds ?? [],
    languages: opts.languages ?? [],
  });
  if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${res.raw}`);
  return { user: res.body as TUser, ...(await tokenFor(t, res.body.id)) };
}

export async function createTeam(admin: Api, name = `Team ${randomUUID().slice(0, 6)}`) {
  const res = await admin.post("/teams", { name });
  if (res.status !== 201) throw new Error(`create team failed: ${res.status} ${res.raw}`);
  return res.body as { id: string; name: string };
}

export async function createTicket(api: Api, overrides: Record<string, unknown> = {}) {
  const suffix = randomUUID().slice(0, 8);
  const res = await api.post("/tickets", {
    subject: `Order ${suffix} has not arrived`,
    requester: { email: `customer-${suffix}@example.com`, name: `Customer ${suffix}` },
    message: { body: "Hello, my parcel is late. Can you help?" },
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`create ticket failed: ${res.status} ${res.raw}`);
  return res.body;
}

/** Signs in with email and password and returns a cookie-session client with its CSRF token. */
export async function loginAs(t: TestApp, email: string, password = PASSWORD) {
  const res = await apiClient(t.app).post("/auth/login", { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.raw}`);
  const setCookie = String(res.headers["set-cookie"]);
  const cookie = /rapport_session=([^;]+)/.exec(setCookie)?.[1];
  if (!cookie) throw new Error("no session cookie");
  return {
    cookie,
    csrf: res.body.csrfToken as string,
    setCookie,
    api: apiClient(t.app, { cookie, csrf: res.body.csrfToken }),
  };
}

/** A 1x1 PNG for upload tests. */
export const TINY_PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201e2213a3b0000000049454e44ae426082",
  "hex",
);

/** A multipart/form-data body (the web form's and the portal's fields and files) for `app.inject`. */
export async function multipart(
  fields: Record<string, string>,
  files: Array<{ name: string; type: string; data: Buffer }> = [],
) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files) fd.append("attachments", new Blob([f.data], { type: f.type }), f.name);
  const req = new Request("http://localhost/", { method: "POST", body: fd });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    headers: { "content-type": req.headers.get("content-type") ?? "" },
  };
}
