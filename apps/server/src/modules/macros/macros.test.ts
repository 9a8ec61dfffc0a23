import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

let t: TestApp;
let admin: Api;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await setupAdmin(t)).api;
});
afterAll(async () => t.close());

describe("macros", () => {
  it("applies a shared macro: actions change the ticket, placeholders filled in the ticket's language", async () => {
    const agent = await createAgent(t, admin, { name: "Minh Pham" });
    const macro = await admin.post("/macros", {
      title: "Refund: hoàn tiền",
      shared: true,
      bodies: {
        en: "Hello {{customer.first_name}}, refund for #{{ticket.number}} ({{ticket.subject}}) is on its way. We answer within {{promised_response_time}}. {{agent.name}}",
        vi: "Chào {{customer.first_name}}, phiếu #{{ticket.number}} đã được hoàn tiền. {{agent.name}}",
      },
      actions: [
        { type: "set_status", value: "pending" },
        { type: "add_tags", tags: ["refund"] },
        { type: "assign_to_me" },
      ],
    });
    expect(macro.status).toBe(201);
    const en = await createTicket(admin, {
      subject: "Broken kettle",
      requester: { email: "jane@example.com", name: "Jane Doe" },
    });
    const applied = await agent.api.post(`/macros/${macro.body.id}/apply`, { ticketId: en.id });
    expect(applied.status).toBe(200);
    expect(applied.body.locale).toBe("en");
    expect(applied.body.text).toBe(
      `Hello Jane, refund for #${en.number} (Broken kettle) is on its way. We answer within 10 business hours. Minh Pham`,
    );
    expect(applied.body.changed.sort()).toEqual(["assignee", "status", "tags"]);
    const after = (await admin.get(`/tickets/${en.id}`)).body;
    expect(after).toMatchObject({ status: "pending", assignee: { id: agent.user.id } });
    expect(after.tags).toContain("refund");

    const vi = await createTicket(admin, {
      requester: { email: "an@example.vn", name: "Nguyễn Văn An" },
      message: { body: "Xin chào, tôi muốn được hoàn tiền cho đơn hàng." },
    });
    const appliedVi = await agent.api.post(`/macros/${macro.body.id}/apply`, { ticketId: vi.id });
    expect(appliedVi.body).toMatchObject({
      locale: "vi",
      text: `Chào An, phiếu #${vi.number} đã được hoàn tiền. Minh Pham`,
    });
    // An explicit language wins; an absent one falls back.
    expect(
      (await agent.api.post(`/macros/${macro.body.id}/apply`, { ticketId: vi.id, locale: "en" })).body.locale,
    ).toBe("en");
    expect(
      (await agent.api.post(`/macros/${macro.body.id}/apply`, { ticketId: vi.id, locale: "km" })).body.locale,
    ).toBe("vi");
    expect((await agent.api.get(`/macros/${macro.body.id}`)).body.usageCount).toBe(4);
  });

  it("escapes placeholder values: a hostile customer name cannot inject HTML, in the macro or the sent reply", async () => {
    const evil = `<img src=x onerror=alert(1)><script>alert(2)</script>`;
    const macro = await admin.post("/macros", {
      title: "Greeting",
      bodies: { en: "Dear {{customer.name}}," },
    });
    const ticket = await createTicket(admin, { requester: { email: "evil@example.com", name: evil } });
    const applied = (await admin.post(`/macros/${macro.body.id}/apply`, { ticketId: ticket.id })).body;
    expect(applied.text).toBe(`Dear ${evil},`);
    expect(applied.html).not.toMatch(/<img|<script/);
    expect(applied.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const sent = await admin.post(`/tickets/${ticket.id}/messages`, { body: applied.text });
    expect(sent.status).toBe(201);
    expect(sent.body.bodyHtml).not.toMatch(/<img|<script/);
  });

  it("keeps personal macros private and shared ones editable only by admins and managers", async () => {
    const a = await createAgent(t, admin);
    const b = await createAgent(t, admin);
    const manager = await createAgent(t, admin, { role: "manager" });
    const mine = await a.api.post("/macros", {
      title: "My private sign-off",
      bodies: { en: "Cheers, {{agent.first_name}}" },
    });
    expect(mine.body).toMatchObject({ shared: false, owner: { id: a.user.id }, editable: true });
    const ticket = await createTicket(admin);
    expect((await b.api.get(`/macros/${mine.body.id}`)).status).toBe(404);
    expect((await b.api.post(`/macros/${mine.body.id}/apply`, { ticketId: ticket.id })).status).toBe(404);
    expect((await b.api.patch(`/macros/${mine.body.id}`, { title: "stolen" })).status).toBe(404);
    expect((await b.api.delete(`/macros/${mine.body.id}`)).status).toBe(404);
    expect((await admin.get(`/macros/${mine.body.id}`)).status).toBe(404);
    expect((await b.api.get("/macros?q=private")).body).toEqual([]);
    expect((await a.api.get("/macros?q=private")).body.map((m: { id: string }) => m.id)).toEqual([
      mine.body.id,
    ]);

    expect((await a.api.post("/macros", { title: "x", shared: true, bodies: { en: "y" } })).status).toBe(403);
    const shared = await manager.api.post("/macros", {
      title: "Shared hello",
      shared: true,
      bodies: { en: "Hi" },
    });
    expect(shared.status).toBe(201);
    expect((await a.api.get(`/macros/${shared.body.id}`)).body.editable).toBe(false);
    expect((await a.api.patch(`/macros/${shared.body.id}`, { title: "mine now" })).status).toBe(403);
    expect((await a.api.delete(`/macros/${shared.body.id}`)).status).toBe(403);
    expect((await admin.patch(`/macros/${shared.body.id}`, { title: "Shared hello v2" })).body.title).toBe(
      "Shared hello v2",
    );
    // An agent cannot apply a macro to a ticket they cannot see.
    const team = await createTeam(admin);
    const hidden = await createTicket(admin, { teamId: team.id });
    expect((await a.api.post(`/macros/${shared.body.id}/apply`, { ticketId: hidden.id })).status).toBe(404);
  });

  it("finds macros by folded title and text (Vietnamese without diacritics)", async () => {
    const m = await admin.post("/macros", {
      title: "Đổi mật khẩu",
      shared: true,
      bodies: { vi: "Hướng dẫn đổi mật khẩu" },
    });
    const found = (await admin.get("/macros?q=doi%20mat%20khau")).body.map((x: { id: string }) => x.id);
    expect(found).toContain(m.body.id);
    expect((await admin.get("/macros?q=%25")).status).toBe(200);
  });

  it("tone-checks a macro's texts when it is saved and when it is changed, in every language (the API too)", async () => {
    const made = await admin.post("/macros", {
      title: "Where is my parcel",
      shared: true,
      bodies: {
        en: "Hello, I don't know where your parcel is.",
        vi: "Chào anh, em khong biet don hang o dau.",
        km: "សួស្តី ខ្ញុំមិនដឹងទេថាកញ្ចប់នៅឯណា",
        ta: "வணக்கம், எனக்குத் தெரியாது.",
      },
    });
    expect(made.status, made.raw).toBe(201);
    // Saved anyway (the check never refuses), with what each language's rules flag.
    expect(Object.keys(made.body.tone).sort()).toEqual(["en", "km", "ta", "vi"]);
    const en = made.body.tone.en[0];
    expect(en).toMatchObject({ text: "I don't know", category: "uncertainty" });
    expect(made.body.bodies.en.slice(en.start, en.end)).toBe("I don't know");
    expect(en.suggestions.length).toBeGreaterThan(0);
    // Vietnamese typed without diacritics, Khmer inside unspaced text.
    expect(made.body.tone.vi[0].text).toBe("em khong biet");
    expect(made.body.tone.km[0].text).toBe("ខ្ញុំមិនដឹងទេ");
    expect(made.body.tone.ta[0].text).toBe("எனக்குத் தெரியாது");
    // Changed: the new texts are checked; a clean text has no key.
    const changed = await admin.patch(`/macros/${made.body.id}`, {
      bodies: {
        en: "Hello, I will find out where your parcel is and call you back.",
        vi: "Chào anh, bên em không làm vậy.",
      },
    });
    expect(changed.status, changed.raw).toBe(200);
    expect(changed.body.tone.en).toBeUndefined();
    expect(changed.body.tone.vi?.[0]).toMatchObject({ category: "refusal" });
    // A title-only change still answers with the check of the texts kept.
    const renamed = await admin.patch(`/macros/${made.body.id}`, { title: "Parcel" });
    expect(renamed.body.tone.vi?.length).toBe(1);
    // Reading a macro does not check it (only saving does).
    expect((await admin.get(`/macros/${made.body.id}`)).body.tone).toBeUndefined();
  });

  it("refuses bad input", async () => {
    const bad = [
      { title: "", bodies: { en: "x" } },
      { title: "x", bodies: {} },
      { title: "x", bodies: { en: "" } },
      { title: "x", bodies: { "not a locale": "x" } },
      { title: "x", bodies: { en: "a\u0000b" } },
      { title: "x", bodies: { en: "x".repeat(20_001) } },
      { title: "x", bodies: { en: "x" }, actions: [{ type: "delete_ticket" }] },
      { title: "x", bodies: { en: "x" }, actions: [{ type: "assign_team", teamId: crypto.randomUUID() }] },
      { title: "x", bodies: { en: "x" }, owner: "someone" },
    ];
    for (const b of bad) expect((await admin.post("/macros", b)).status).toBe(400);
    const m = await admin.post("/macros", { title: "ok", bodies: { en: "ok" } });
    expect((await admin.post(`/macros/${m.body.id}/apply`, { ticketId: "nope" })).status).toBe(400);
    expect((await admin.post(`/macros/${m.body.id}/apply`, { ticketId: crypto.randomUUID() })).status).toBe(
      404,
    );
    expect((await admin.get("/macros?limit=0")).status).toBe(400);
  });
});
