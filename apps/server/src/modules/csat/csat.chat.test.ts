import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type Api, type Json, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { until } from "../../test/until.ts";

/** The in-chat rating (issue 16): the widget asks for it when the chat is solved, through the CSAT service. */
let t: TestApp;
let admin: Api;
let base: string;
let site: Json;
const PAGE = "https://shop.example";

async function widget(method: "GET" | "POST", path: string, body?: unknown, token?: string) {
  const res = await t.app.inject({
    method,
    url: path,
    ...(body === undefined ? {} : { payload: body as object }),
    headers: token ? { "x-visitor-token": token } : {},
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
}

function connect(token: string) {
  const ws = new WebSocket(`${base.replace("http", "ws")}/widget/ws?key=${site.key}`, {
    headers: { origin: PAGE },
  });
  const frames: Json[] = [];
  ws.on("message", (d) => frames.push(JSON.parse(d.toString())));
  ws.once("open", () => ws.send(JSON.stringify({ type: "auth", token })));
  return { ws, frames };
}

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  admin = (await setupAdmin(t)).api;
  const addr = t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  const res = await admin.post("/chat/sites", {
    name: "Shop",
    allowedOrigins: [PAGE],
    appearance: { color: "#0055aa", position: "right", greeting: { en: "Hi!" } },
    languages: ["en", "vi", "km", "ta"],
    prechat: { enabled: false, fields: [], required: [], topics: [] },
    hours: null,
    teamId: null,
    active: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  site = res.body;
});
afterAll(async () => {
  await t?.close();
});

describe("in-chat rating", () => {
  it("a solved chat asks its visitor for a rating in their language; the answer is recorded once", async () => {
    expect((await admin.patch("/csat/settings", { scale: "five" })).status).toBe(200);
    const reason = await admin.post("/csat/reasons", { labels: { en: "Too slow", vi: "Quá chậm" } });
    expect(reason.status).toBe(201);
    const s = await widget("POST", "/widget/api/session", {
      key: site.key,
      pageOrigin: PAGE,
      locale: "vi-VN",
    });
    expect(s.status).toBe(200);
    const token = s.body.token as string;
    const other = (await widget("POST", "/widget/api/session", { key: site.key, pageOrigin: PAGE })).body
      .token as string;
    const v = connect(token);
    await until(() => v.frames.some((f) => f.type === "ready"));
    v.ws.send(JSON.stringify({ type: "message", clientId: "c1", text: "Đơn hàng của tôi bị trễ" }));
    await until(() => v.frames.some((f) => f.type === "ack"));
    const ticketId = v.frames.find((f) => f.type === "ack").ticketId as string;

    // Not solved yet: nothing to rate.
    expect((await widget("GET", "/widget/api/rating", undefined, token)).status).toBe(404);
    expect((await admin.post(`/tickets/${ticketId}/messages`, { body: "Đã gửi lại hôm nay." })).status).toBe(
      201,
    );
    expect((await admin.patch(`/tickets/${ticketId}`, { status: "solved" })).status).toBe(200);
    await until(() => v.frames.some((f) => f.type === "rating"));
    expect(v.frames.find((f) => f.type === "rating").ticketId).toBe(ticketId);

    const view = await widget("GET", "/widget/api/rating", undefined, token);
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body).toMatchObject({ status: "open", language: "vi", scale: "five" });
    expect(view.body.options.map((o: Json) => o.value)).toEqual(["1", "2", "3", "4", "5"]);
    expect(view.body.reasons).toEqual([{ id: reason.body.id, label: "Quá chậm" }]);
    expect((await widget("GET", "/widget/api/rating?lang=ta", undefined, token)).body.language).toBe("ta");

    // Someone else's visitor token, no token, bad input: refused, nothing recorded.
    expect((await widget("GET", "/widget/api/rating", undefined, other)).status).toBe(404);
    expect((await widget("POST", "/widget/api/rating", { rating: 1 }, other)).status).toBe(404);
    expect((await widget("POST", "/widget/api/rating", { rating: 1 })).status).toBe(401);
    expect((await widget("POST", "/widget/api/rating", { rating: 1 }, "forged-token")).status).toBe(401);
    for (const bad of [
      { rating: 7 },
      { rating: "good" },
      { rating: 5, reasonId: reason.body.id },
      { rating: 2, reasonId: "00000000-0000-4000-8000-000000000000" },
      { rating: 2, comment: "a\u0000b" },
      { rating: 2, comment: "x".repeat(5001) },
      { rating: 2, extra: true },
    ]) {
      const res = await widget("POST", "/widget/api/rating", bad, token);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await widget("GET", "/widget/api/rating?lang=fr", undefined, token)).status).toBe(400);
    const before = await admin.get(`/tickets/${ticketId}/csat`);
    expect(before.body.surveys.every((i: Json) => i.status !== "answered")).toBe(true);

    const answer = await widget(
      "POST",
      "/widget/api/rating",
      { rating: 2, reasonId: reason.body.id, comment: "<b>chậm</b>" },
      token,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ status: "answered", rating: 2, good: false });
    const again = await widget("POST", "/widget/api/rating", { rating: 5 }, token);
    expect(again.status).toBe(409);
    const after = await admin.get(`/tickets/${ticketId}/csat`);
    expect(after.body.surveys[0]).toMatchObject({
      status: "answered",
      rating: 2,
      good: false,
      comment: "<b>chậm</b>",
      reason: { id: reason.body.id },
      channel: "chat",
    });
    const events = await t.database.query<{ data: Json }>(
      "select data from ticket_events where ticket_id = $1 and type = 'csat.rated'",
      [ticketId],
    );
    expect(events.map((e) => e.data.via)).toEqual(["chat"]);
    // The answer counts in the reports like an emailed one.
    const at = Date.parse(after.body.surveys[0].ratedAt);
    const day = 86_400_000;
    const overview = await admin.get(
      `/reports/overview?channel=chat&from=${new Date(at - day).toISOString()}&to=${new Date(at + day).toISOString()}`,
    );
    expect(overview.body.current.csat).toMatchObject({ rated: 1, good: 0 });
    v.ws.close();
  });
});
