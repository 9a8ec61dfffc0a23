import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, createTicket, multipart, TINY_PNG as PNG, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { outboundEmails } from "../email/email.table.ts";
import { callbacks } from "../phone/phone.table.ts";
import { kbDeflections } from "./portal.table.ts";

/**
 * The customer portal through its HTTP API on a real database: sign-in links (once, 15 minutes,
 * rate-limited without telling whether an address exists), customer sessions that never reach
 * the agent API, requests, threads without internal notes, replies with files, call-backs,
 * profile, organization sharing, and deflection figures.
 */
describe("customer portal", () => {
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

  async function linkFor(email: string, ip = `10.1.0.${ipSeq++}`) {
    const res = await anon().post("/portal/auth/link", { email }, { remoteAddress: ip });
    expect(res.status, res.raw).toBe(202);
    const [mail] = await t.services.db
      .select()
      .from(outboundEmails)
      .where(and(eq(outboundEmails.kind, "portal_link"), sql`${email} = any(${outboundEmails.to})`))
      .orderBy(sql`${outboundEmails.createdAt} desc`)
      .limit(1);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail?.bodyText ?? "")?.[1];
    return { token, mail };
  }

  /** A customer client: cookie `rapport_portal` and the CSRF header. */
  async function signIn(email: string) {
    const { token } = await linkFor(email);
    expect(token).toBeTruthy();
    const res = await anon().post("/portal/auth/verify", { token });
    expect(res.status, res.raw).toBe(200);
    const cookie = /rapport_portal=([^;]+)/.exec(String(res.headers["set-cookie"]))?.[1] ?? "";
    const csrf = res.body.csrfToken as string;
    const call = (
      method: "GET" | "POST" | "PATCH",
      url: string,
      payload?: unknown,
      extra: Record<string, unknown> = {},
    ) =>
      apiClient(t.app).call(method, url, payload, {
        ...extra,
        headers: {
          cookie: `rapport_portal=${cookie}`,
          "x-csrf-token": csrf,
          ...((extra.headers as object) ?? {}),
        },
      });
    return { cookie, csrf, call, profile: res.body.profile };
  }

  async function customer(name: string, extra: Record<string, unknown> = {}) {
    const email = `${name.toLowerCase()}-${ipSeq++}@example.com`;
    const c = await admin.api.post("/contacts", { name, emails: [email], language: "vi", ...extra });
    expect(c.status, c.raw).toBe(201);
    return { id: c.body.id as string, email };
  }

  it("signs in by a one-time link that works once and expires in 15 minutes", async () => {
    const lan = await customer("Lan");
    const { token, mail } = await linkFor(lan.email);
    expect(mail?.subject).toContain("Acme");
    expect(mail?.bodyText).toContain("15");
    // Vietnamese: the contact's language.
    expect(mail?.bodyText).toContain("Xin chào Lan");
    const ok = await anon().post("/portal/auth/verify", { token });
    expect(ok.status, ok.raw).toBe(200);
    expect(ok.body.profile).toMatchObject({ name: "Lan", email: lan.email, language: "vi" });
    expect(String(ok.headers["set-cookie"])).toMatch(/rapport_portal=.*HttpOnly/i);
    const again = await anon().post("/portal/auth/verify", { token });
    expect(again.status).toBe(410);
    expect(again.body.error.details.reason).toBe("used");

    const late = await linkFor(lan.email);
    t.clock.advance(15 * 60_000 + 1000);
    const expired = await anon().post("/portal/auth/verify", { token: late.token });
    expect(expired.status).toBe(410);
    expect(expired.body.error.details.reason).toBe("expired");
    const forged = await anon().post("/portal/auth/verify", { token: "x".repeat(43) });
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe("invalid_token");
  });

  it("answers link requests alike for known and unknown addresses, and rate-limits both", async () => {
    const known = await customer("Known");
    const unknown = `nobody-${ipSeq++}@example.com`;
    const ip = "10.9.9.9";
    const answers: Array<[number, string]> = [];
    for (const email of [known.email, unknown]) {
      for (let i = 0; i < 3; i++) {
        const r = await anon().post("/portal/auth/link", { email }, { remoteAddress: ip });
        answers.push([r.status, r.raw]);
      }
      const limited = await anon().post("/portal/auth/link", { email }, { remoteAddress: ip });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe("rate_limited");
    }
    // Same status and body, whoever the address is.
    expect(new Set(answers.map((a) => `${a[0]} ${a[1]}`)).size).toBe(1);
    const sentToUnknown = await t.services.db
      .select()
      .from(outboundEmails)
      .where(sql`${unknown} = any(${outboundEmails.to})`);
    expect(sentToUnknown).toHaveLength(0);
    // Per network: 20 requests in 15 minutes over many addresses.
    const net = "10.8.8.8";
    let status = 0;
    for (let i = 0; i < 21; i++) {
      status = (
        await anon().post(
          "/portal/auth/link",
          { email: `x${i}-${ipSeq}@example.org` },
          { remoteAddress: net },
        )
      ).status;
    }
    expect(status).toBe(429);
  });

  it("lists own requests with the promised time, the thread without internal notes, replies with files, closes", async () => {
    const hoa = await customer("Hoa");
    const ticket = await createTicket(admin.api, {
      subject: "Máy in bị kẹt giấy",
      requester: { email: hoa.email },
      message: { body: "Máy in không chạy" },
    });
    t.clock.advance(1000);
    const note = await admin.api.post(`/tickets/${ticket.id}/messages`, {
      body: "SECRET internal note",
      internal: true,
    });
    expect(note.status, note.raw).toBe(201);
    const reply = await admin.api.post(`/tickets/${ticket.id}/messages`, {
      body: "Please restart the printer",
    });
    expect(reply.status, reply.raw).toBe(201);

    const me = await signIn(hoa.email);
    const list = await me.call("GET", "/portal/requests");
    expect(list.status, list.raw).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ number: ticket.number, subject: "Máy in bị kẹt giấy" });
    expect(list.body.items[0]).toHaveProperty("promisedBy");

    const thread = await me.call("GET", `/portal/requests/${ticket.id}/messages`);
    expect(thread.status, thread.raw).toBe(200);
    expect(thread.raw).not.toContain("SECRET");
    expect(thread.body.items.map((m: { author: string }) => m.author)).toEqual(["customer", "support"]);

    const mp = await multipart({ body: "Đã thử, vẫn kẹt. Ảnh đính kèm." }, [
      { name: "jam.png", type: "image/png", data: PNG },
    ]);
    const sent = await me.call("POST", `/portal/requests/${ticket.id}/messages`, undefined, {
      payload: mp.payload,
      headers: mp.headers,
    });
    expect(sent.status, sent.raw).toBe(201);
    expect(sent.body.attachments).toHaveLength(1);
    const file = await me.call("GET", `/portal/attachments/${sent.body.attachments[0].id}`);
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toBe("image/png");
    // The agent sees the customer's reply in the ticket, through the pipeline (timeline event).
    const agentView = await admin.api.get(`/tickets/${ticket.id}/messages`);
    expect(agentView.raw).toContain("Đã thử, vẫn kẹt");

    const closed = await me.call("POST", `/portal/requests/${ticket.id}/close`, {});
    expect(closed.status, closed.raw).toBe(200);
    expect(closed.body.status).toBe("solved");
    const events = await admin.api.get(`/tickets/${ticket.id}/events`);
    expect(JSON.stringify(events.body)).toContain("customer");
  });

  it("opens a new request through the pipeline and links the session's suggestions to it", async () => {
    const minh = await customer("Minh");
    const me = await signIn(minh.email);
    const created = await me.call("POST", "/portal/requests", {
      subject: "Đổi địa chỉ giao hàng",
      body: "Tôi muốn đổi địa chỉ",
      sid: "sid-minh-0001",
    });
    expect(created.status, created.raw).toBe(201);
    const agentList = await admin.api.get(`/tickets/${created.body.id}`);
    expect(agentList.body).toMatchObject({ channel: "web", language: "vi" });
    const ack = await t.services.db
      .select()
      .from(outboundEmails)
      .where(and(eq(outboundEmails.kind, "ack"), eq(outboundEmails.ticketId, created.body.id)));
    expect(ack).toHaveLength(1);
  });

  it("suggests the article for a whole sentence (any word; rare words weigh more), never an internal one", async () => {
    const cat = await admin.api.post("/kb/categories", { names: { en: { name: "Parcels" } } });
    expect(cat.status, cat.raw).toBe(201);
    const article = async (
      title: string,
      body: string,
      extra: { visibility?: string; vi?: [string, string] } = {},
    ) => {
      const { vi, ...rest } = extra;
      const a = await admin.api.post("/kb/articles", { categoryId: cat.body.id, title, body, ...rest });
      expect(a.status, a.raw).toBe(201);
      if (vi) {
        const tr = { language: "vi", title: vi[0], body: vi[1] };
        expect((await admin.api.post(`/kb/articles/${a.body.id}/translations`, tr)).status).toBe(201);
      }
      const languages = vi ? ["en", "vi"] : ["en"];
      expect((await admin.api.post(`/kb/articles/${a.body.id}/publish`, { languages })).status).toBe(200);
      return a.body.id as string;
    };
    // Articles written the way people write: the filler words of the sentence are in all of them.
    const track = await article(
      "Track a parcel that has not arrived",
      "<p>If you can not find your parcel, you can use the tracking number in the email we sent you.</p>",
      {
        vi: [
          "Theo dõi bưu kiện chưa đến",
          "<p>Bạn có thể dùng mã vận đơn trong email để tìm bưu kiện của bạn.</p>",
        ],
      },
    );
    const fillers: string[] = [];
    for (const [title, body] of [
      ["Change your password", "<p>If you can not sign in, you can reset it from the email we sent you.</p>"],
      [
        "Update your profile",
        "<p>You can change your name and phone, and we can help you if it does not work.</p>",
      ],
      ["Pay an invoice", "<p>You can pay by card; if it does not work we can help you.</p>"],
    ] as const)
      fillers.push(await article(title, body));
    const internal = await article(
      "Lost parcel refunds (internal)",
      "<p>When a parcel has not arrived, refund it without asking.</p>",
      { visibility: "internal" },
    );
    const suggest = async (lang: string, q: string) => {
      const res = await anon().get(`/public/kb/suggest?lang=${lang}&q=${encodeURIComponent(q)}`);
      expect(res.status, res.raw).toBe(200);
      return (res.body.items as Array<{ id: string }>).map((h) => h.id);
    };
    // A subject and a description, as the new-request page sends them: every word need not match.
    const ids = await suggest(
      "en",
      "Where is my order? Hello, my parcel has still not arrived and I can not find it, can you help me",
    );
    expect(ids[0]).toBe(track);
    expect(ids).not.toContain(internal);
    for (const id of fillers) expect(ids.indexOf(id)).toBeGreaterThan(0);
    // Vietnamese without diacritics, in a sentence.
    const vi = await suggest("vi", "xin chao, toi van chua nhan duoc buu kien, ban giup toi voi");
    expect(vi[0]).toBe(track);
    expect(vi).not.toContain(internal);
    // Typing: the last word is a prefix.
    expect((await suggest("en", "my parc"))[0]).toBe(track);
    // Nothing in common: nothing.
    expect(await suggest("en", "zzqx wvyk")).toEqual([]);
  });

  it("lists up to three public articles in the acknowledgement when the mailbox asks for it, in the request's language", async () => {
    const [mb] = (await admin.api.get("/email/mailboxes")).body as Array<{
      id: string;
      ackArticles: boolean;
    }>;
    expect(mb?.ackArticles).toBe(false);
    const cat = await admin.api.post("/kb/categories", { names: { en: { name: "Delivery" } } });
    expect(cat.status, cat.raw).toBe(201);
    const article = async (title: string, body: string, extra: Record<string, unknown> = {}) => {
      const a = await admin.api.post("/kb/articles", { categoryId: cat.body.id, title, body, ...extra });
      expect(a.status, a.raw).toBe(201);
      return a.body.id as string;
    };
    const pub = await article("Change the delivery address", "<p>Open your order and edit the address.</p>");
    for (const [language, title, body] of [
      ["vi", "Đổi địa chỉ giao hàng nhanh", "<p>Mở đơn hàng và sửa địa chỉ.</p>"],
      ["km", "ប្តូរអាសយដ្ឋានដឹកជញ្ជូន", "<p>បើកការបញ្ជាទិញ ហើយកែអាសយដ្ឋាន។</p>"],
      ["ta", "விநியோக முகவரியை மாற்றுதல்", "<p>உங்கள் ஆர்டரைத் திறந்து முகவரியைத் திருத்தவும்.</p>"],
    ] as const) {
      const tr = await admin.api.post(`/kb/articles/${pub}/translations`, { language, title, body });
      expect(tr.status, tr.raw).toBe(201);
    }
    expect(
      (await admin.api.post(`/kb/articles/${pub}/publish`, { languages: ["en", "vi", "km", "ta"] })).status,
    ).toBe(200);
    // Internal, customers-only and draft articles with the same words never reach the email.
    const internal = await article("Địa chỉ giao hàng nội bộ", "<p>Địa chỉ giao hàng</p>", {
      language: "vi",
      visibility: "internal",
    });
    await admin.api.post(`/kb/articles/${internal}/publish`, { languages: ["vi"] });
    const members = await article("Địa chỉ giao hàng khách", "<p>Địa chỉ giao hàng</p>", {
      language: "vi",
      visibility: "customers",
    });
    await admin.api.post(`/kb/articles/${members}/publish`, { languages: ["vi"] });
    await article("Địa chỉ giao hàng nháp", "<p>Địa chỉ giao hàng</p>", { language: "vi" });

    const ackOf = async (ticketId: string) =>
      (
        await t.services.db
          .select()
          .from(outboundEmails)
          .where(and(eq(outboundEmails.kind, "ack"), eq(outboundEmails.ticketId, ticketId)))
      )[0];
    const request = async (who: { email: string }, subject: string, body: string) => {
      const me = await signIn(who.email);
      const created = await me.call("POST", "/portal/requests", { subject, body });
      expect(created.status, created.raw).toBe(201);
      return ackOf(created.body.id);
    };

    // Off (the default): no articles.
    const off = await request(await customer("Off"), "Đổi địa chỉ giao hàng", "Tôi muốn đổi địa chỉ");
    expect(off?.bodyText).not.toContain("Đổi địa chỉ giao hàng nhanh");

    const on = await admin.api.patch(`/email/mailboxes/${mb?.id}`, { ackArticles: true });
    expect(on.status, on.raw).toBe(200);
    expect(on.body.ackArticles).toBe(true);
    const bad = await admin.api.patch(`/email/mailboxes/${mb?.id}`, { ackArticles: "yes" });
    expect(bad.status).toBe(400);

    // Vietnamese, typed without diacritics in a longer sentence: any word may match, best first.
    const vi = await request(
      await customer("Vi"),
      "Xin giup: doi dia chi giao hang",
      "Toi muon doi dia chi cho don hang moi",
    );
    expect(vi?.bodyText).toContain("Trong lúc chờ");
    expect(vi?.bodyText).toMatch(/Đổi địa chỉ giao hàng nhanh: http:\/\/\S+\/help\/vi\/articles\//);
    expect(vi?.bodyHtml).toContain('<a href="http://');
    for (const hidden of ["nội bộ", "giao hàng khách", "nháp"]) expect(vi?.bodyText).not.toContain(hidden);
    expect((vi?.bodyText.match(/^- /gm) ?? []).length).toBeLessThanOrEqual(3);

    for (const [language, title, heading, subject] of [
      ["en", "Change the delivery address", "While you wait", "How do I change my delivery address?"],
      ["km", "ប្តូរអាសយដ្ឋានដឹកជញ្ជូន", "ពេលកំពុងរង់ចាំ", "ខ្ញុំចង់ប្តូរអាសយដ្ឋាន"],
      ["ta", "விநியோக முகவரியை மாற்றுதல்", "நீங்கள் காத்திருக்கும்போது", "முகவரியை மாற்ற வேண்டும்"],
    ] as const) {
      const mail = await request(await customer(`C${language}`, { language }), subject, subject);
      expect(mail?.bodyText, language).toContain(heading);
      expect(mail?.bodyText, language).toContain(`${title}: http`);
    }

    // Nothing matches: no heading at all; hostile text is only a query.
    const none = await request(await customer("None"), "<script>alert(1)</script> zzqx", "' or 1=1 --");
    expect(none?.bodyText).not.toContain("Trong lúc chờ");
    await admin.api.patch(`/email/mailboxes/${mb?.id}`, { ackArticles: false });
  });

  it("never shows another customer's request, note attachment or the agent API to a customer", async () => {
    const a = await customer("Anh");
    const b = await customer("Binh");
    const theirs = await createTicket(admin.api, { requester: { email: b.email } });
    const me = await signIn(a.email);
    for (const url of [`/portal/requests/${theirs.id}`, `/portal/requests/${theirs.id}/messages`]) {
      const r = await me.call("GET", url);
      expect(r.status).toBe(404);
    }
    const post = await me.call("POST", `/portal/requests/${theirs.id}/messages`, { body: "hi" });
    expect(post.status).toBe(404);
    const close = await me.call("POST", `/portal/requests/${theirs.id}/close`, {});
    expect(close.status).toBe(404);
    // The agent API: with the portal cookie, and with the portal session token as an agent cookie.
    for (const url of ["/tickets", `/tickets/${theirs.id}`, "/contacts", "/kb/articles", "/users/me"]) {
      const r = await me.call("GET", url);
      expect(r.status, url).toBe(401);
      const asAgentCookie = await apiClient(t.app, { cookie: me.cookie, csrf: me.csrf }).get(url);
      expect(asAgentCookie.status, url).toBe(401);
    }
    // Writes without the CSRF token are refused.
    const noCsrf = await apiClient(t.app).call(
      "POST",
      "/portal/requests",
      { subject: "x", body: "y" },
      {
        headers: { cookie: `rapport_portal=${me.cookie}` },
      },
    );
    expect(noCsrf.status).toBe(403);
    // Anonymous: 401 everywhere in the portal.
    expect((await anon().get("/portal/requests")).status).toBe(401);
    expect((await anon().get("/portal/profile")).status).toBe(401);
    // An agent session is not a customer session.
    expect((await admin.api.get("/portal/requests")).status).toBe(401);
  });

  it("shows the organization's requests only when the organization shares them", async () => {
    const org = await admin.api.post("/organizations", { name: `Org ${ipSeq++}` });
    expect(org.status, org.raw).toBe(201);
    const a = await customer("Chi", { organizationId: org.body.id });
    const b = await customer("Dung", { organizationId: org.body.id });
    const hers = await createTicket(admin.api, { requester: { email: b.email } });
    const me = await signIn(a.email);
    expect((await me.call("GET", `/portal/requests/${hers.id}`)).status).toBe(404);
    const orgList = await me.call("GET", "/portal/requests?scope=organization");
    expect(orgList.body.organizationShared).toBe(false);
    expect(orgList.body.items).toHaveLength(0);
    expect((await me.call("GET", `/portal/organizations/${org.body.id}`)).status).toBe(404);
    const share = await admin.api.put(`/portal/organizations/${org.body.id}`, { shareRequests: true });
    expect(share.status, share.raw).toBe(200);
    const shared = await me.call("GET", "/portal/requests?scope=organization");
    expect(shared.body.organizationShared).toBe(true);
    expect(shared.body.items.map((i: { id: string }) => i.id)).toContain(hers.id);
    expect((await me.call("GET", `/portal/requests/${hers.id}`)).status).toBe(200);
  });

  it("asks for a call-back at a chosen time (source portal), lists and cancels it", async () => {
    const c = await customer("Khanh");
    const me = await signIn(c.email);
    const at = new Date(t.clock.now().getTime() + 2 * 86400_000);
    const local = `${at.toISOString().slice(0, 10)}T10:30`;
    const cb = await me.call("POST", "/portal/callbacks", {
      phone: "+84 90 123 4567",
      windowStart: local,
      topic: "Hóa đơn",
    });
    expect(cb.status, cb.raw).toBe(201);
    const [row] = await t.services.db.select().from(callbacks).where(eq(callbacks.id, cb.body.id));
    expect(row).toMatchObject({ source: "portal", contactId: c.id, phone: "+84901234567" });
    const agentQueue = await admin.api.get("/phone/callbacks");
    expect(agentQueue.raw).toContain(cb.body.id);
    const list = await me.call("GET", "/portal/callbacks");
    expect(list.body.items).toHaveLength(1);
    const cancelled = await me.call("POST", `/portal/callbacks/${cb.body.id}/cancel`, {});
    expect(cancelled.status, cancelled.raw).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect((await me.call("POST", `/portal/callbacks/${cb.body.id}/cancel`, {})).status).toBe(409);
    const other = await customer("Long");
    const them = await signIn(other.email);
    expect((await them.call("POST", `/portal/callbacks/${cb.body.id}/cancel`, {})).status).toBe(404);
    expect((await them.call("GET", "/portal/callbacks")).body.items).toHaveLength(0);
  });

  it("edits the profile: name, phone, preferred language", async () => {
    const c = await customer("Mai");
    const me = await signIn(c.email);
    const r = await me.call("PATCH", "/portal/profile", {
      name: "Mai Trần",
      phone: "+855 12 345 678",
      language: "km",
    });
    expect(r.status, r.raw).toBe(200);
    expect(r.body).toMatchObject({ name: "Mai Trần", phone: "+85512345678", language: "km" });
    const contact = await admin.api.get(`/contacts/${c.id}`);
    expect(contact.body.language).toBe("km");
  });

  it("shows the customer their own loyalty tier, benefits and points, never another customer's", async () => {
    const gold = await admin.api.post("/loyalty/tiers", {
      name: "Portal Gold",
      rank: 7,
      minPoints: 100,
      discountPercent: 12,
      benefits: "Free delivery on every order",
      color: "yellow",
    });
    expect(gold.status, gold.raw).toBe(201);
    const member = await customer("Hoa");
    const other = await customer("Bao");
    const grant = await admin.api.post("/loyalty/ledger", {
      contactId: member.id,
      kind: "grant",
      points: 1500,
      reason: "Welcome",
    });
    expect(grant.status, grant.raw).toBe(200);
    const mine = await signIn(member.email);
    expect(mine.profile.membership).toEqual({
      tier: {
        name: "Portal Gold",
        color: "yellow",
        discountPercent: 12,
        benefits: "Free delivery on every order",
      },
      points: 1500,
    });
    expect((await mine.call("GET", "/portal/profile")).body.membership.points).toBe(1500);
    const page = await t.app.inject({
      url: "/portal/profile?lang=vi",
      headers: { cookie: `rapport_portal=${mine.cookie}` },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="portal-tier"');
    expect(page.body).toContain("Hạng của bạn: Portal Gold");
    expect(page.body).toContain("1.500");
    expect(page.body).toContain("Free delivery on every order");
    // Another customer sees no tier (none of their own) and nothing of Hoa's.
    const theirs = await signIn(other.email);
    expect(theirs.profile.membership).toEqual({ tier: null, points: 0 });
    const otherPage = await t.app.inject({
      url: "/portal/profile?lang=en",
      headers: { cookie: `rapport_portal=${theirs.cookie}` },
    });
    expect(otherPage.body).toContain('data-testid="portal-membership"');
    expect(otherPage.body).not.toContain("Portal Gold");
    expect(otherPage.body).not.toContain("Free delivery on every order");
    // The portal has no way to ask for someone else's profile.
    expect(
      (await theirs.call("GET", `/portal/profile?contactId=${member.id}`)).body.membership.tier,
    ).toBeNull();
  });

  it("refuses bad input with clear 4xx and writes nothing", async () => {
    const c = await customer("Nam");
    const me = await signIn(c.email);
    const cases: Array<[string, string, unknown]> = [
      ["POST", "/portal/auth/link", { email: "not-an-email" }],
      ["POST", "/portal/auth/link", { email: "a@b.co", extra: 1 }],
      ["POST", "/portal/auth/verify", { token: 42 }],
      ["POST", "/portal/requests", { subject: "", body: "x" }],
      ["POST", "/portal/requests", { subject: "a\nb", body: "x" }],
      ["POST", "/portal/requests", { subject: "x", body: "nul \u0000" }],
      ["POST", "/portal/requests", { subject: "x", body: "y", sid: "<script>" }],
      ["POST", "/portal/requests", { subject: "x", body: "y".repeat(20_001) }],
      ["POST", "/portal/callbacks", { phone: "12", windowStart: "2030-01-01T10:00" }],
      ["POST", "/portal/callbacks", { phone: "+84901234567", windowStart: "tomorrow" }],
      ["PATCH", "/portal/profile", { language: "xx" }],
    ];
    for (const [method, url, body] of cases) {
      const r = await me.call(method as "POST", url, body);
      expect(r.status, `${url} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      expect(r.body.error.code).toBeTruthy();
    }
    const badJson = await me.call("POST", "/portal/requests", "{not json", {
      headers: { "content-type": "application/json" },
    });
    expect(badJson.status).toBe(400);
    const huge = await me.call("POST", "/portal/requests", { subject: "x", body: "y".repeat(2_000_000) });
    expect(huge.status).toBe(413);
    const exe = await multipart({ subject: "virus", body: "see file" }, [
      { name: "evil.exe", type: "application/x-msdownload", data: Buffer.from("MZ\x90\x00evil") },
    ]);
    const refused = await me.call("POST", "/portal/requests", undefined, {
      payload: exe.payload,
      headers: exe.headers,
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect((await me.call("GET", "/portal/requests")).body.items).toHaveLength(0);
    // Hostile HTML in a reply is shown escaped in the thread.
    const created = await me.call("POST", "/portal/requests", {
      subject: "html",
      body: '<img src=x onerror="alert(1)">',
    });
    expect(created.status).toBe(201);
    expect(created.raw).not.toContain("<img");
  });

  it("measures deflection: shown, opened, no request in 24 h; a request after opening is not deflected", async () => {
    const cat = await admin.api.post("/kb/categories", {
      names: { en: { name: "Billing" } },
      slug: `billing-${ipSeq++}`,
    });
    expect(cat.status, cat.raw).toBe(201);
    const art = await admin.api.post("/kb/articles", {
      categoryId: cat.body.id,
      language: "en",
      title: "How to download an invoice",
      body: "<p>Open Billing, then Invoices, then Download.</p>",
      visibility: "public",
    });
    expect(art.status, art.raw).toBe(201);
    const pub = await admin.api.post(`/kb/articles/${art.body.id}/publish`, {});
    expect(pub.status, pub.raw).toBe(200);
    const internal = await admin.api.post("/kb/articles", {
      categoryId: cat.body.id,
      language: "en",
      title: "Internal invoice tricks",
      body: "<p>internal</p>",
      visibility: "internal",
    });
    await admin.api.post(`/kb/articles/${internal.body.id}/publish`, {});

    const shown = async (sid: string) =>
      anon().post("/public/deflection/events", {
        sid,
        source: "form",
        event: "shown",
        language: "en",
        articleIds: [art.body.id, internal.body.id],
      });
    const s1 = await shown("visitor-one-1");
    expect(s1.status, s1.raw).toBe(202);
    // The internal article does not count (never suggested publicly).
    expect(s1.body.recorded).toBe(1);
    const open = await anon().get(`/public/deflection/open?article=${art.body.id}&lang=en&sid=visitor-one-1`);
    expect(open.status).toBe(303);
    expect(open.headers.location).toMatch(/^\/help\/en\/articles\//);
    expect((await anon().get(`/public/deflection/open?article=${internal.body.id}&lang=en`)).status).toBe(
      404,
    );

    // Visitor two reads the article inside the widget (an `opened` event, no redirect) and then
    // writes to support anyway (the widget's first message).
    await shown("visitor-two-2");
    const opened = {
      sid: "visitor-two-2",
      source: "widget",
      event: "opened",
      language: "en",
      articleIds: [art.body.id],
    };
    const read = await anon().post("/public/deflection/events", opened);
    expect(read.status, read.raw).toBe(202);
    expect(read.body.recorded).toBe(1);
    // Only one article at a time, and only one the visitor may read.
    for (const articleIds of [[], [art.body.id, art.body.id]]) {
      const bad = await anon().post("/public/deflection/events", { ...opened, articleIds });
      expect(bad.status, bad.raw).toBe(400);
    }
    expect(
      (await anon().post("/public/deflection/events", { ...opened, articleIds: [internal.body.id] })).status,
    ).toBe(404);
    const asked = await anon().post("/public/deflection/events", {
      sid: "visitor-two-2",
      source: "widget",
      event: "requested",
      language: "en",
    });
    expect(asked.status).toBe(202);

    // Visitor three sees it but never opens it.
    await shown("visitor-three-3");

    const early = await admin.api.get("/kb/deflection?language=en");
    expect(early.status, early.raw).toBe(200);
    const row0 = early.body.items.find((i: { articleId: string }) => i.articleId === art.body.id);
    expect(row0).toMatchObject({ shown: 3, opened: 2, deflected: 0, notDeflected: 1, pending: 1 });

    t.clock.advance(24 * 3600_000 + 60_000);
    const later = await admin.api.get("/kb/deflection?language=en");
    const row = later.body.items.find((i: { articleId: string }) => i.articleId === art.body.id);
    expect(row).toMatchObject({ shown: 3, opened: 2, deflected: 1, notDeflected: 1, pending: 0, rate: 0.5 });
    expect(later.body.items.some((i: { articleId: string }) => i.articleId === internal.body.id)).toBe(false);
    const rows = await t.services.db
      .select()
      .from(kbDeflections)
      .where(eq(kbDeflections.articleId, art.body.id));
    expect(rows).toHaveLength(3);

    // Only managers see the figures.
    expect((await anon().get("/kb/deflection")).status).toBe(401);
    // Bad event input.
    for (const body of [
      { sid: "short", source: "form", event: "shown", language: "en" },
      { sid: "visitor-x-123", source: "evil", event: "shown", language: "en" },
      { sid: "visitor-x-123", source: "form", event: "shown", language: "en", articleIds: ["nope"] },
    ]) {
      expect((await anon().post("/public/deflection/events", body)).status).toBe(400);
    }
  });

  it("serves the pages: sign in by link without JavaScript, list, thread, new request, in the customer's language", async () => {
    const c = await customer("Sokha", { language: "km" });
    const other = await customer("Other");
    const theirs = await createTicket(admin.api, { requester: { email: other.email } });
    const home = await t.app.inject({ url: "/portal", headers: { "accept-language": "ta-IN,ta;q=0.9" } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('lang="ta"');
    expect(home.body).toContain("உள்நுழை");
    const mp = await multipart({ email: c.email, lang: "km" }, []);
    const sent = await t.app.inject({
      method: "POST",
      url: "/portal/link",
      payload: mp.payload,
      headers: mp.headers,
      remoteAddress: "10.7.7.7",
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toContain("sent=1");
    const [mail] = await t.services.db
      .select()
      .from(outboundEmails)
      .where(and(eq(outboundEmails.kind, "portal_link"), sql`${c.email} = any(${outboundEmails.to})`));
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail?.bodyText ?? "")?.[1] ?? "";
    // Opening the link (a mail scanner does) does not use it.
    const look = await t.app.inject({ url: `/portal/verify?token=${token}` });
    expect(look.statusCode).toBe(200);
    const form = await multipart({ token }, []);
    const verified = await t.app.inject({
      method: "POST",
      url: "/portal/verify",
      payload: form.payload,
      headers: form.headers,
    });
    expect(verified.statusCode).toBe(303);
    const cookie = /rapport_portal=([^;]+)/.exec(String(verified.headers["set-cookie"]))?.[1] ?? "";
    const reuse = await t.app.inject({
      method: "POST",
      url: "/portal/verify?lang=km",
      payload: form.payload,
      headers: form.headers,
    });
    expect(reuse.statusCode).toBe(410);
    expect(reuse.body).toContain("ត្រូវបានប្រើរួចហើយ");
    const headers = { cookie: `rapport_portal=${cookie}` };
    const list = await t.app.inject({ url: "/portal", headers });
    expect(list.body).toContain('lang="km"');
    expect(list.body).toContain("សំណើរបស់ខ្ញុំ");
    const newPage = await t.app.inject({ url: "/portal/new?lang=en", headers });
    expect(newPage.headers["content-security-policy"]).toMatch(/script-src 'nonce-/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(newPage.body)?.[1] ?? "";
    const noCsrf = await multipart({ subject: "Wifi", body: "No wifi" }, []);
    const refused = await t.app.inject({
      method: "POST",
      url: "/portal/new",
      payload: noCsrf.payload,
      headers: { ...headers, ...noCsrf.headers },
    });
    expect(refused.statusCode).toBe(403);
    const ok = await multipart(
      { _csrf: csrf, subject: "Wifi <b>down</b>", body: "No wifi", sid: "page-sid-0001" },
      [],
    );
    const created = await t.app.inject({
      method: "POST",
      url: "/portal/new",
      payload: ok.payload,
      headers: { ...headers, ...ok.headers },
    });
    expect(created.statusCode, created.body).toBe(303);
    const thread = await t.app.inject({ url: String(created.headers.location), headers });
    expect(thread.statusCode).toBe(200);
    expect(thread.body).toContain("Wifi &lt;b&gt;down&lt;/b&gt;");
    const notMine = await t.app.inject({ url: `/portal/requests/${theirs.id}`, headers });
    expect(notMine.statusCode).toBe(404);
    const anonymous = await t.app.inject({ url: "/portal/new" });
    expect(anonymous.statusCode).toBe(303);
  });

  it("rates a solved request on its page: the customer's own only, once, a wrong answer asked again", async () => {
    const c = await customer("Vanna");
    const other = await customer("Dara");
    const { cookie } = await signIn(c.email);
    const headers = { cookie: `rapport_portal=${cookie}` };
    const mine = await createTicket(admin.api, { channel: "web", requester: { email: c.email } });
    const theirs = await createTicket(admin.api, { channel: "web", requester: { email: other.email } });
    for (const tk of [mine, theirs])
      expect((await admin.api.patch(`/tickets/${tk.id}`, { status: "solved" })).status).toBe(200);
    const shown = await t.app.inject({ url: `/portal/requests/${mine.id}`, headers });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('data-testid="portal-rating"');
    expect(shown.body).toContain(`Bạn đánh giá thế nào về sự hỗ trợ cho yêu cầu #${mine.number}?`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(shown.body)?.[1] ?? "";
    const rate = async (id: string, fields: Record<string, string>) => {
      const mp = await multipart({ _csrf: csrf, ...fields }, []);
      return t.app.inject({
        method: "POST",
        url: `/portal/requests/${id}/rating`,
        payload: mp.payload,
        headers: { ...headers, ...mp.headers },
      });
    };
    expect((await rate(theirs.id, { rating: "good" })).statusCode).toBe(404);
    const noCsrf = await multipart({ rating: "good" }, []);
    const forged = await t.app.inject({
      method: "POST",
      url: `/portal/requests/${mine.id}/rating`,
      payload: noCsrf.payload,
      headers: { ...headers, ...noCsrf.headers },
    });
    expect(forged.statusCode).toBe(403);
    const wrong = await rate(mine.id, { rating: "7", comment: "giữ lại" });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('role="alert"');
    expect(wrong.body).toContain("giữ lại");
    const ok = await rate(mine.id, { rating: "bad", comment: "Chậm quá" });
    expect(ok.statusCode, ok.body).toBe(303);
    const after = await t.app.inject({ url: String(ok.headers.location), headers });
    expect(after.body).toContain("Cảm ơn bạn! Đánh giá của bạn đã được ghi nhận.");
    expect(after.body).not.toContain('data-testid="portal-rating"');
    const csat = await admin.api.get(`/tickets/${mine.id}/csat`);
    expect(csat.body.surveys[0]).toMatchObject({ status: "answered", good: false, comment: "Chậm quá" });
    expect((await rate(mine.id, { rating: "good" })).statusCode).toBe(409);
    const theirsCsat = await admin.api.get(`/tickets/${theirs.id}/csat`);
    expect(theirsCsat.body.surveys[0].status).not.toBe("answered");
  });
});
