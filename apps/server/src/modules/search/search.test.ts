import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("search in four languages", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    const km = await createTicket(admin.api, {
      subject: "បញ្ហាការដឹកជញ្ជូន",
      requester: { email: "sokha@example.kh", name: "សុខា ចាន់" },
      message: { body: "ខ្ញុំចង់ទិញផលិតផលនេះ ប៉ុន្តែការបង់ប្រាក់មិនដំណើរការទេ" },
    });
    ids.km = km.id;
    const vi = await createTicket(admin.api, {
      subject: "Khiếu nại về dịch vụ",
      requester: { email: "huong@example.vn", name: "Nguyễn Thị Hương" },
      message: { body: "Tôi là khách hàng thân thiết, nhưng đơn hàng của tôi bị giao trễ." },
    });
    ids.vi = vi.id;
    const ta = await createTicket(admin.api, {
      subject: "பணம் திரும்பப் பெறுதல்",
      requester: { email: "kavya@example.in", name: "காவ்யா ராமன்" },
      message: { body: "என் ஆர்டர் இன்னும் வரவில்லை, வாடிக்கையாளர் சேவை உதவி தேவை" },
    });
    ids.ta = ta.id;
    const en = await createTicket(admin.api, {
      subject: "Invoice question",
      requester: { email: "john.smith@example.com", name: "John Smith" },
      message: { body: "The refund for order 4471 never reached my account." },
    });
    ids.en = en.id;
  });
  afterAll(() => t.close());

  const search = async (q: string, api = admin.api) =>
    (await api.get(`/search?q=${encodeURIComponent(q)}`)).body;

  it("finds a Khmer word inside a Khmer sentence written without spaces", async () => {
    const res = await search("ផលិតផល");
    expect(res.messages.map((m: { ticketId: string }) => m.ticketId)).toEqual([ids.km]);
    expect(res.messages[0].snippet).toContain("ផលិតផល");
    expect((await search("ការបង់ប្រាក់")).messages.map((m: { ticketId: string }) => m.ticketId)).toEqual([
      ids.km,
    ]);
    expect((await search("ការដឹកជញ្ជូន")).tickets.map((x: { id: string }) => x.id)).toEqual([ids.km]);
  });

  it("finds Vietnamese typed without diacritics", async () => {
    const res = await search("khach hang");
    expect(res.messages.map((m: { ticketId: string }) => m.ticketId)).toEqual([ids.vi]);
    expect((await search("khieu nai")).tickets.map((x: { id: string }) => x.id)).toEqual([ids.vi]);
    expect((await search("dich vu")).tickets.map((x: { id: string }) => x.id)).toEqual([ids.vi]);
    expect((await search("nguyen thi")).contacts.map((c: { name: string }) => c.name)).toEqual([
      "Nguyễn Thị Hương",
    ]);
    expect((await search("KHÁCH HÀNG")).messages).toHaveLength(1);
  });

  it("finds Tamil words in messages, subjects and names", async () => {
    expect((await search("வாடிக்கையாளர்")).messages.map((m: { ticketId: string }) => m.ticketId)).toEqual([
      ids.ta,
    ]);
    expect((await search("பணம்")).tickets.map((x: { id: string }) => x.id)).toEqual([ids.ta]);
    expect((await search("காவ்யா")).contacts).toHaveLength(1);
  });

  it("finds English words, word prefixes, emails and name fragments", async () => {
    expect((await search("refund")).messages.map((m: { ticketId: string }) => m.ticketId)).toEqual([ids.en]);
    expect((await search("invo")).tickets.map((x: { id: string }) => x.id)).toEqual([ids.en]);
    expect((await search("smi")).contacts.map((c: { name: string }) => c.name)).toEqual(["John Smith"]);
    expect((await search("john.smith@example.com")).contacts).toHaveLength(1);
    expect((await search("4471")).messages).toHaveLength(1);
  });

  it("returns nothing for words nobody wrote, and treats query syntax as text", async () => {
    expect(await search("zebra")).toMatchObject({ tickets: [], messages: [], contacts: [] });
    const hostile = await search("' & ! | :* <-> ( )");
    expect(hostile).toMatchObject({ tickets: [], messages: [], contacts: [] });
    expect((await admin.api.get("/search?q=")).status).toBe(400);
  });

  it("limits results to the types asked for", async () => {
    const res = await admin.api.get("/search?q=refund&types=contacts");
    expect(res.body.messages).toEqual([]);
    expect((await admin.api.get("/search?q=refund&types=planets")).status).toBe(400);
  });

  it("never shows an agent tickets or messages of a team they are not in", async () => {
    const secretTeam = await createTeam(admin.api, "Legal");
    await createTicket(admin.api, {
      subject: "Confidential settlement",
      teamId: secretTeam.id,
      message: { body: "settlement amount agreed" },
    });
    const outsider = await createAgent(t, admin.api, { teamIds: [(await createTeam(admin.api)).id] });
    const res = await search("settlement", outsider.api);
    expect(res.tickets).toEqual([]);
    expect(res.messages).toEqual([]);
    expect((await search("settlement")).tickets).toHaveLength(1);
  });
});
