import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import { connectAgent, is, type FrameOf as Of, WsClient, wsUrl } from "../../realtime/ws-client.ts";
import { type Api, apiClient, createAgent, createTeam, type Json, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { outboundEmails } from "../email/email.table.ts";
import { users } from "../users/users.table.ts";
import { type Notice, notify } from "./notifications.service.ts";
import { notifications } from "./notifications.table.ts";

let t: TestApp;
let admin: { token: string; api: Api; user: Json };
let alice: { token: string; api: Api; user: Json };
let bob: { token: string; api: Api; user: Json };
let manager: { token: string; api: Api; user: Json };

const sys = () => withActor(t.services, SYSTEM);
const notice = (userId: string, i: number, extra: Partial<Notice> = {}): Notice => ({
  userId,
  kind: "sla.warning",
  params: { number: 100 + i, subject: `Parcel ${i} late`, metric: "first_response" },
  link: `/tickets/${100 + i}`,
  ...extra,
});
const unread = async (api: Api) => {
  const res = await api.get("/notifications/unread-count");
  expect(res.status).toBe(200);
  return res.body.unread as number;
};

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  admin = await setupAdmin(t);
  const team = await createTeam(admin.api, "Support");
  alice = await createAgent(t, admin.api, { name: "Alice", teamIds: [team.id] });
  bob = await createAgent(t, admin.api, { name: "Bob", teamIds: [team.id] });
  manager = await createAgent(t, admin.api, { name: "Minh", role: "manager", teamIds: [team.id] });
});
afterAll(async () => {
  WsClient.terminateAll();
  await t?.close();
});

describe("the list", () => {
  it("pages a user's notices newest first by cursor, with the unread filter and count", async () => {
    for (let i = 0; i < 25; i++) {
      t.clock.set(new Date(Date.UTC(2026, 11, 1, 8, i)));
      await notify(sys(), [notice(alice.user.id, i)]);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=10&cursor=${encodeURIComponent(cursor)}` : "?limit=10";
      const res = await alice.api.get(`/notifications${q}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((n: Json) => n.params.number));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 124 - i));
    const first = (await alice.api.get("/notifications?limit=1")).body.items[0];
    expect(first).toMatchObject({
      kind: "sla.warning",
      title: "#124: First response due soon",
      body: "Parcel 24 late",
      link: "/tickets/124",
      readAt: null,
    });
    expect(await unread(alice.api)).toBe(25);
  });

  it("renders titles in the reader's language", async () => {
    await t.database.db.update(users).set({ locale: "vi" }).where(eq(users.id, bob.user.id));
    await notify(sys(), [notice(bob.user.id, 1, { kind: "sla.breach" })]);
    const bobApi = apiClient(t.app, { token: bob.token });
    const res = await bobApi.get("/notifications");
    expect(res.body.items[0].title).toBe("#101: Phản hồi đầu tiên đã quá hạn cam kết");
    await t.database.db.update(users).set({ locale: "en" }).where(eq(users.id, bob.user.id));
  });

  it("files a notice once per dedupe key and recipient", async () => {
    const n = notice(manager.user.id, 7, { dedupeKey: "sla-warn:x" });
    expect(await notify(sys(), [n, n])).toHaveLength(1);
    expect(await notify(sys(), [n])).toHaveLength(0);
    expect(await notify(sys(), [{ ...n, userId: bob.user.id }])).toHaveLength(1);
  });
});

describe("reading", () => {
  it("marks one read (idempotent), then all read", async () => {
    const list = (await alice.api.get("/notifications?unread=true&limit=100")).body.items;
    expect(list).toHaveLength(25);
    const res = await alice.api.post(`/notifications/${list[0].id}/read`);
    expect(res.status).toBe(200);
    expect(res.body.unread).toBe(24);
    expect((await alice.api.post(`/notifications/${list[0].id}/read`)).body.unread).toBe(24);
    const again = (await alice.api.get("/notifications?unread=true&limit=100")).body.items;
    expect(again.map((n: Json) => n.id)).not.toContain(list[0].id);
    const all = await alice.api.post("/notifications/read-all");
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ unread: 0, marked: 24 });
    expect(await unread(alice.api)).toBe(0);
    expect((await alice.api.get("/notifications?unread=true")).body.items).toHaveLength(0);
    expect((await alice.api.get("/notifications?limit=100")).body.items).toHaveLength(25);
  });
});

describe("preferences", () => {
  it("lists every kind with its default and saves the caller's choice", async () => {
    const res = await bob.api.get("/notifications/preferences");
    expect(res.status).toBe(200);
    expect(res.body.items.find((p: Json) => p.kind === "promise.reminder")).toEqual({
      kind: "promise.reminder",
      inApp: true,
      email: true,
    });
    expect(res.body.items.map((p: Json) => p.kind)).toContain("approval.requested");
    const put = await bob.api.put("/notifications/preferences", {
      items: [{ kind: "sla.warning", inApp: false, email: true }],
    });
    expect(put.status).toBe(200);
    expect(put.body.items.find((p: Json) => p.kind === "sla.warning")).toEqual({
      kind: "sla.warning",
      inApp: false,
      email: true,
    });
    // Someone else's choices are their own.
    const alices = await alice.api.get("/notifications/preferences");
    expect(alices.body.items.find((p: Json) => p.kind === "sla.warning")).toMatchObject({ inApp: true });
  });

  it("honours them: no in-app notice, an email in the recipient's language instead", async () => {
    await t.database.db.update(users).set({ locale: "km" }).where(eq(users.id, bob.user.id));
    const before = await unread(bob.api);
    const filed = await notify(sys(), [notice(bob.user.id, 50, { dedupeKey: "pref-test" })]);
    expect(filed).toHaveLength(0);
    expect(await unread(bob.api)).toBe(before);
    const mails = await t.database.db
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.kind, "notification"));
    const mine = mails.filter((m) => m.to.includes(bob.user.email));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.subject).toBe("Rapport: #150: ការឆ្លើយតបដំបូង ជិតដល់ពេលកំណត់");
    expect(mine[0]?.bodyText).toContain("/tickets/150");
    // Both in the app and by email: a repeated dedupe key sends neither again.
    await bob.api.put("/notifications/preferences", {
      items: [{ kind: "sla.breach", inApp: true, email: true }],
    });
    const n = notice(bob.user.id, 51, { kind: "sla.breach", dedupeKey: "both" });
    expect(await notify(sys(), [n])).toHaveLength(1);
    expect(await notify(sys(), [n])).toHaveLength(0);
    const after = await t.database.db
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.kind, "notification"));
    expect(after.filter((m) => m.to.includes(bob.user.email))).toHaveLength(2);
    await t.database.db.update(users).set({ locale: "en" }).where(eq(users.id, bob.user.id));
  });
});

describe("access", () => {
  it("shows a user only their own notices; another user's cannot be read or marked", async () => {
    const [mine] = await notify(sys(), [notice(manager.user.id, 60)]);
    expect(mine).toBeDefined();
    const ids = async (api: Api) =>
      ((await api.get("/notifications?limit=100")).body.items as Json[]).map((n) => n.id);
    expect(await ids(manager.api)).toContain(mine?.id);
    for (const other of [alice.api, bob.api, admin.api]) {
      expect(await ids(other)).not.toContain(mine?.id);
      const res = await other.post(`/notifications/${mine?.id}/read`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    const [row] = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.id, mine?.id ?? ""));
    expect(row?.readAt).toBeNull();
    // Read-all reads only the caller's.
    await admin.api.post("/notifications/read-all");
    expect((await manager.api.get("/notifications?unread=true")).body.items.map((n: Json) => n.id)).toContain(
      mine?.id,
    );
  });

  it("answers 401 without a session on every route", async () => {
    const anon = apiClient(t.app);
    for (const [method, path] of [
      ["get", "/notifications"],
      ["get", "/notifications/unread-count"],
      ["post", "/notifications/read-all"],
      ["post", "/notifications/00000000-0000-4000-8000-000000000000/read"],
      ["get", "/notifications/preferences"],
      ["put", "/notifications/preferences"],
    ] as const) {
      const res = method === "put" ? await anon.put(path, { items: [] }) : await anon[method](path);
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it("refuses bad input with a clear 400", async () => {
    const bad = [
      await alice.api.get("/notifications?cursor=not-a-cursor"),
      await alice.api.get(`/notifications?cursor=${Buffer.from('["x","y"]').toString("base64url")}`),
      await alice.api.get("/notifications?limit=1000"),
      await alice.api.get("/notifications?unread=maybe"),
      await alice.api.get("/notifications?nope=1"),
      await alice.api.post("/notifications/not-a-uuid/read"),
      await alice.api.put("/notifications/preferences", {
        items: [{ kind: "nope", inApp: true, email: false }],
      }),
      await alice.api.put("/notifications/preferences", {
        items: [{ kind: "sla.warning", inApp: "yes", email: false }],
      }),
      await alice.api.put("/notifications/preferences", {
        items: [
          { kind: "sla.warning", inApp: true, email: false },
          { kind: "sla.warning", inApp: false, email: false },
        ],
      }),
      await alice.api.put("/notifications/preferences", { items: [], extra: 1 }),
      await alice.api.put("/notifications/preferences", {
        items: Array.from({ length: 500 }, () => ({ kind: "sla.warning", inApp: true, email: true })),
      }),
    ];
    for (const res of bad) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBeTypeOf("string");
    }
  });

  it("keeps hostile text as text (the web renders it escaped)", async () => {
    // Later than every notice above (they share the test clock), so it is the newest.
    t.clock.set(new Date(Date.UTC(2026, 11, 2, 9, 0)));
    await notify(sys(), [
      notice(alice.user.id, 70, { params: { number: 1, subject: "<img src=x onerror=alert(1)>" } }),
    ]);
    const res = await alice.api.get("/notifications?limit=1");
    expect(res.body.items[0].body).toBe("<img src=x onerror=alert(1)>");
  });
});

describe("push over the websocket", () => {
  it("pushes a new notice and the unread count to the recipient's socket only, and read counts to other tabs", async () => {
    const url = wsUrl(t.app);
    const a = await connectAgent(url, alice.token);
    const b = await connectAgent(url, bob.token);
    const before = await unread(alice.api);
    await notify(sys(), [notice(alice.user.id, 80, { dedupeKey: "push-1" })]);
    const f = await a.ws.next<Of<"notification">>(is("notification"));
    expect(f.unread).toBe(before + 1);
    expect(f.notification).toMatchObject({ kind: "sla.warning", title: "#180: First response due soon" });
    await b.ws.flush();
    expect(b.ws.log.filter((x) => x.type === "notification")).toHaveLength(0);
    const id = (f.notification as Json).id as string;
    await alice.api.post(`/notifications/${id}/read`);
    const u = await a.ws.next<Of<"notifications.unread">>(is("notifications.unread"));
    expect(u.unread).toBe(before);
  });
});
