import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiClient,
  createAgent,
  createTeam,
  multipart,
  TINY_PNG as PNG,
  setupAdmin,
} from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("public web form", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let ipSeq = 1;
  const anon = () => apiClient(t.app);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    const mb = await admin.api.post("/email/mailboxes", {
      address: "support@acme.test",
      displayName: "Acme Support",
      smtp: { host: "127.0.0.1", port: 2525, tls: "none" },
    });
    expect(mb.status, mb.raw).toBe(201);
  });
  afterAll(() => t.close());

  /** A token issued now, aged past the minimum fill time. */
  async function token() {
    const cfg = await anon().get("/forms/config");
    expect(cfg.status, cfg.raw).toBe(200);
    t.clock.advance(5000);
    return cfg.body.token as string;
  }

  const base = (tok: string, extra: Record<string, string> = {}) => ({
    token: tok,
    name: "Nguyễn Thị Hoa",
    email: "hoa@example.vn",
    subject: "Không đăng nhập được",
    message: "Tôi quên mật khẩu",
    locale: "vi",
    ...extra,
  });

  const send = async (
    fields: Record<string, string>,
    files: Parameters<typeof multipart>[1] = [],
    ip?: string,
  ) => {
    const mp = await multipart(fields, files);
    return anon().call("POST", "/forms/submit", undefined, {
      payload: mp.payload,
      headers: mp.headers,
      remoteAddress: ip ?? `10.0.0.${ipSeq++}`,
    });
  };

  async function counts() {
    const r = await t.database.db.execute(
      "select (select count(*) from tickets)::int as t, (select count(*) from messages)::int as m, (select count(*) from contacts)::int as c, (select count(*) from outbound_emails)::int as o, (select count(*) from callbacks)::int as cb" as never,
    );
    return (r as unknown as { rows: unknown[] }).rows[0];
  }

  it("links the articles suggested on the form to the request; agents who see the ticket see them", async () => {
    const cat = await admin.api.post("/kb/categories", { names: { vi: { name: "Tài khoản" } } });
    const a = await admin.api.post("/kb/articles", {
      categoryId: cat.body.id,
      language: "vi",
      title: "Quên mật khẩu đăng nhập",
      body: "<p>Đặt lại mật khẩu từ trang đăng nhập.</p>",
    });
    expect(a.status, a.raw).toBe(201);
    expect((await admin.api.post(`/kb/articles/${a.body.id}/publish`, { languages: ["vi"] })).status).toBe(
      200,
    );
    const sug = await anon().get("/public/kb/suggest?lang=vi&q=quen%20mat%20khau");
    expect(sug.body.items.map((h: { id: string }) => h.id)).toContain(a.body.id);
    const sid = "form-sid-000000000001";
    const shown = await anon().post("/public/deflection/events", {
      sid,
      source: "form",
      event: "shown",
      language: "vi",
      articleIds: [a.body.id],
    });
    expect(shown.status, shown.raw).toBe(202);
    const opened = await anon().get(`/public/deflection/open?article=${a.body.id}&lang=vi&sid=${sid}`);
    expect(opened.status).toBe(303);

    // A malformed sid is refused and writes nothing.
    const before = await counts();
    const bad = await send(base(await token(), { email: "sid@example.vn", sid: "<x>" }));
    expect(bad.status).toBe(400);
    expect(await counts()).toEqual(before);

    const res = await send(base(await token(), { email: "sid@example.vn", sid }));
    expect(res.status, res.raw).toBe(201);
    const list = await admin.api.get("/tickets?channel=web");
    const ticket = list.body.items.find((x: { number: number }) => x.number === res.body.ticketNumber);
    const seen = await admin.api.get(`/tickets/${ticket.id}/seen-articles`);
    expect(seen.status, seen.raw).toBe(200);
    expect(seen.body.items).toEqual([
      expect.objectContaining({
        articleId: a.body.id,
        language: "vi",
        title: "Quên mật khẩu đăng nhập",
        source: "form",
        url: expect.stringMatching(/^\/help\/vi\/articles\//),
        openedAt: expect.any(String),
      }),
    ]);
    // A ticket without suggestions: an empty list.
    const other = await send(base(await token(), { email: "nosid@example.vn" }));
    const otherTicket = (await admin.api.get("/tickets?channel=web")).body.items.find(
      (x: { number: number }) => x.number === other.body.ticketNumber,
    );
    expect((await admin.api.get(`/tickets/${otherTicket.id}/seen-articles`)).body.items).toEqual([]);

    // Another team's agent, an anonymous caller, a bad id, an unknown ticket.
    const teamA = await createTeam(admin.api);
    const teamB = await createTeam(admin.api);
    expect((await admin.api.patch(`/tickets/${ticket.id}`, { teamId: teamA.id })).status).toBe(200);
    const outsider = await createAgent(t, admin.api, { teamIds: [teamB.id] });
    const insider = await createAgent(t, admin.api, { teamIds: [teamA.id] });
    expect((await outsider.api.get(`/tickets/${ticket.id}/seen-articles`)).status).toBe(404);
    expect((await insider.api.get(`/tickets/${ticket.id}/seen-articles`)).status).toBe(200);
    expect((await anon().get(`/tickets/${ticket.id}/seen-articles`)).status).toBe(401);
    expect((await admin.api.get("/tickets/not-a-uuid/seen-articles")).status).toBe(400);
    expect((await admin.api.get(`/tickets/${crypto.randomUUID()}/seen-articles`)).status).toBe(404);
  });

  it("creates a web ticket with attachments, a call-back and the acknowledgement email in the visitor's language", async () => {
    const res = await send(
      base(await token(), {
        phone: "+84 90 555 1234",
        callback: "true",
        callbackTopic: "Gọi tôi buổi chiều",
      }),
      [{ name: "screenshot.png", type: "image/png", data: PNG }],
    );
    expect(res.status, res.raw).toBe(201);
    expect(res.body).toMatchObject({ acknowledgement: true, callbackRequested: true });
    const list = await admin.api.get("/tickets?channel=web");
    const ticket = list.body.items.find((x: { number: number }) => x.number === res.body.ticketNumber);
    expect(ticket).toMatchObject({ channel: "web", subject: "Không đăng nhập được", language: "vi" });
    expect(ticket.requester.email).toBe("hoa@example.vn");
    const msgs = await admin.api.get(`/tickets/${ticket.id}/messages`);
    expect(msgs.body.items[0]).toMatchObject({ channel: "web", author: { type: "customer" } });
    expect(msgs.body.items[0].attachments[0]).toMatchObject({
      filename: "screenshot.png",
      contentType: "image/png",
    });
    const out = await admin.api.get("/email/outbound");
    const ack = out.body.items.find((o: { ticketId: string }) => o.ticketId === ticket.id);
    expect(ack.subject).toContain("Chúng tôi đã nhận yêu cầu của bạn");
    expect(ack.to).toEqual(["hoa@example.vn"]);
    const cbs = await admin.api.get("/phone/callbacks");
    expect(cbs.body.items[0]).toMatchObject({
      source: "form",
      phone: "+84905551234",
      ticket: { id: ticket.id },
    });
    // The same email again is the same customer.
    const again = await send(base(await token(), { subject: "Thêm câu hỏi" }));
    expect(again.status).toBe(201);
    const contact = await admin.api.get(`/contacts/${ticket.requester.id}`);
    expect(contact.body.phones.map((p: { phone: string }) => p.phone)).toContain("+84905551234");
  });

  it("accepts JSON without files, and keeps hostile HTML as inert text", async () => {
    const res = await anon().call(
      "POST",
      "/forms/submit",
      base(await token(), {
        name: "<img src=x onerror=alert(1)>",
        email: "evil@example.com",
        subject: "<script>alert(1)</script>",
        message: "<b onclick=alert(1)>hi</b><script>alert(2)</script>",
        locale: "en",
      }),
      { remoteAddress: "10.9.9.9" },
    );
    expect(res.status, res.raw).toBe(201);
    const list = await admin.api.get("/tickets?channel=web");
    const tk = list.body.items.find((x: { number: number }) => x.number === res.body.ticketNumber);
    const msgs = await admin.api.get(`/tickets/${tk.id}/messages`);
    expect(msgs.body.items[0].bodyHtml).not.toMatch(/<script|<b[\s>]|<img/);
    expect(msgs.body.items[0].bodyHtml).toContain("&lt;script&gt;");
  });

  it("refuses the honeypot, a too-fast or forged token, and writes nothing", async () => {
    const before = await counts();
    const cfg = await anon().get("/forms/config");
    const fast = await send(base(cfg.body.token));
    expect(fast.status).toBe(400);
    expect(fast.body.error.details.reason).toBe("too_fast");
    t.clock.advance(5000);
    const honey = await send(base(cfg.body.token, { website: "http://spam.example" }));
    expect(honey.status).toBe(400);
    expect(honey.body.error.details.reason).toBe("spam_check");
    const [issued, nonce] = String(cfg.body.token).split(".");
    const forged = await send(base(`${Number(issued) - 60_000}.${nonce}.${"0".repeat(64)}`));
    expect(forged.body.error.details.reason).toBe("token_invalid");
    const garbage = await send(base("x"));
    expect(garbage.body.error.details.reason).toBe("token_invalid");
    t.clock.advance(25 * 3600_000);
    const expired = await send(base(cfg.body.token));
    expect(expired.body.error.details.reason).toBe("token_expired");
    expect(await counts()).toEqual(before);
    const stats = await admin.api.get("/forms/submissions");
    const outcomes = Object.fromEntries(
      stats.body.byOutcome.map((o: { outcome: string; count: number }) => [o.outcome, o.count]),
    );
    expect(outcomes).toMatchObject({ too_fast: 1, honeypot: 1, token_invalid: 2, token_expired: 1 });
  });

  it("rate-limits per address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(base(await token()), [], "10.7.7.7")).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    // Another address is not affected.
    expect((await send(base(await token()), [], "10.7.7.8")).status).toBe(201);
    t.clock.advance(11 * 60_000);
    expect((await send(base(await token()), [], "10.7.7.7")).status).toBe(201);
  });

  it("refuses wrong types, missing and oversized fields, unknown fields, bad files, with nothing written", async () => {
    const before = await counts();
    const tok = await token();
    const bad: Array<Record<string, string>> = [
      { ...base(tok), email: "not-an-email" },
      { ...base(tok), subject: "" },
      { ...base(tok), subject: "two\nlines" },
      { ...base(tok), message: "x".repeat(20_001) },
      { ...base(tok), name: "a\u0000b" },
      { ...base(tok), locale: "fr" },
      { ...base(tok), admin: "true" },
      { ...base(tok), phone: "call me maybe", callback: "true" },
      { ...base(tok), callback: "true" },
      { ...base(tok), customFields: "{not json" },
      { ...base(tok), customFields: JSON.stringify({ internal_score: 5 }) },
    ];
    for (const fields of bad) {
      const r = await send(fields);
      expect(r.status, JSON.stringify(fields).slice(0, 200)).toBe(400);
    }
    const wrongType = await anon().call(
      "POST",
      "/forms/submit",
      { ...base(tok), callback: true },
      {
        remoteAddress: "10.8.8.8",
      },
    );
    expect(wrongType.status).toBe(400);
    const html = await send(base(tok), [
      { name: "page.html", type: "text/html", data: Buffer.from("<html>") },
    ]);
    expect(html.status).toBe(415);
    const fakePng = await send(base(tok), [
      { name: "x.png", type: "image/png", data: Buffer.from("MZ not a png") },
    ]);
    expect(fakePng.status).toBe(415);
    const tooMany = await send(
      base(tok),
      Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.png`, type: "image/png", data: PNG })),
    );
    expect(tooMany.status).toBe(400);
    const big = await send(base(tok), [
      {
        name: "big.pdf",
        type: "application/pdf",
        data: Buffer.alloc(t.services.config.attachmentMaxBytes + 10, 0x25),
      },
    ]);
    expect(big.status).toBe(413);
    const notForm = await anon().call("POST", "/forms/submit", "name=x", {
      headers: { "content-type": "text/plain" },
      remoteAddress: "10.8.8.9",
    });
    expect([400, 415]).toContain(notForm.status);
    expect(await counts()).toEqual(before);
  });

  it("offers ticket custom fields whose key starts with form_ and stores their values", async () => {
    const f = await admin.api.post("/fields", {
      entity: "ticket",
      key: "form_product",
      type: "select",
      label: "Product",
      labels: { vi: "Sản phẩm" },
      options: [
        { value: "router", label: "Router" },
        { value: "modem", label: "Modem" },
      ],
    });
    expect(f.status, f.raw).toBe(201);
    await admin.api.post("/fields", {
      entity: "ticket",
      key: "internal_score",
      type: "number",
      label: "Score",
    });
    const cfg = await anon().get("/forms/config");
    expect(cfg.body.fields.map((x: { key: string }) => x.key)).toEqual(["form_product"]);
    t.clock.advance(5000);
    const ok = await send(base(cfg.body.token, { customFields: JSON.stringify({ form_product: "router" }) }));
    expect(ok.status, ok.raw).toBe(201);
    const wrong = await send(
      base(cfg.body.token, { customFields: JSON.stringify({ form_product: "toaster" }) }),
    );
    expect(wrong.status).toBe(400);
  });
});
