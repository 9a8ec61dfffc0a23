import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { matchScore } from "./search.service.ts";

/** Search finds a contact's tickets by the contact's name, and orders its groups by relevance. */
describe("search: contacts' tickets and relevance", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let outsider: Awaited<ReturnType<typeof createAgent>>;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    const billing = await createTeam(admin.api, "Billing");
    const other = await createTeam(admin.api, "Other");
    outsider = await createAgent(t, admin.api, { teamIds: [other.id] });
    // The contact's name is in none of these subjects.
    ids.duc = (
      await createTicket(admin.api, {
        subject: "Hoá đơn tháng 11 chưa nhận được",
        requester: { email: "duc.tran@example.vn", name: "Trần Văn Đức" },
        teamId: billing.id,
      })
    ).id;
    ids.sokha = (
      await createTicket(admin.api, {
        subject: "បញ្ហាការដឹកជញ្ជូន",
        requester: { email: "sokha@example.kh", name: "សុខា ចាន់" },
      })
    ).id;
    // A Khmer name inside unspaced Khmer text (no spaces between words), another requester.
    ids.unspaced = (
      await createTicket(admin.api, {
        subject: "សុខាចង់ប្តូរអាសយដ្ឋានដឹកជញ្ជូន",
        requester: { email: "dara@example.kh", name: "ដារា" },
      })
    ).id;
    ids.refund = (
      await createTicket(admin.api, {
        subject: "Refund",
        requester: { email: "pat@example.com", name: "Pat Lee" },
        message: { body: "Please send the money back to my card." },
      })
    ).id;
    await createTicket(admin.api, {
      subject: "Question about shipping",
      requester: { email: "kim@example.com", name: "Kim Ng" },
      message: { body: "If the parcel is lost, is a refund possible?" },
    });
  });
  afterAll(() => t.close());

  it("finds a contact's tickets by the name typed without Vietnamese diacritics", async () => {
    for (const q of ["tran van duc", "Trần Văn Đức", "duc"]) {
      const r = await admin.api.get(`/search?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
      expect(
        r.body.tickets.map((x: { id: string }) => x.id),
        q,
      ).toContain(ids.duc);
      expect(
        r.body.contacts.map((c: { name: string }) => c.name),
        q,
      ).toContain("Trần Văn Đức");
    }
    // The whole name: the contact is the best answer, then their tickets.
    const r = await admin.api.get("/search?q=tran%20van%20duc");
    expect(r.body.groups).toEqual(["contacts", "tickets", "messages"]);
    // The inbox's own search (GET /tickets?q=) finds them the same way.
    const list = await admin.api.get("/tickets?q=tran%20van%20duc");
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([ids.duc]);
  });

  it("finds a Khmer name as a contact, in that contact's tickets and inside unspaced text", async () => {
    const r = await admin.api.get(`/search?q=${encodeURIComponent("សុខា")}`);
    expect(r.status).toBe(200);
    const found = r.body.tickets.map((x: { id: string }) => x.id);
    expect(found).toContain(ids.sokha);
    expect(found).toContain(ids.unspaced);
    expect(r.body.contacts.map((c: { name: string }) => c.name)).toEqual(["សុខា ចាន់"]);
    // The name is a whole word of the contact's name and (segmented) of the unspaced subject: a tie.
    expect(r.body.groups).toEqual(["tickets", "contacts", "messages"]);
  });

  it("puts the group with the best match first", async () => {
    // "refund": a ticket's whole subject beats a word in another message.
    const refund = await admin.api.get("/search?q=refund");
    expect(refund.body.tickets[0].id).toBe(ids.refund);
    expect(refund.body.messages.length).toBeGreaterThan(0);
    expect(refund.body.groups).toEqual(["tickets", "messages", "contacts"]);
    // Words only in a message body: messages first.
    const parcel = await admin.api.get("/search?q=parcel%20is%20lost");
    expect(parcel.body.groups[0]).toBe("messages");
    // Only the asked-for groups are ranked.
    const only = await admin.api.get("/search?q=refund&types=contacts,messages");
    expect(only.body.groups).toEqual(["messages", "contacts"]);
    // A ticket number.
    const number = (await admin.api.get(`/tickets/${ids.refund}`)).body.number;
    expect((await admin.api.get(`/search?q=%23${number}&types=tickets`)).body.groups).toEqual(["tickets"]);
  });

  it("scores a field: whole, a name's word, a word's start, inside unspaced text, word by word", () => {
    expect(matchScore("tran van duc", "Trần Văn Đức")).toBe(1);
    expect(matchScore("duc", "Trần Văn Đức")).toBe(0.85);
    expect(matchScore("hươ", "Nguyễn Thị Hương")).toBe(0.7);
    // Segmented, the Khmer name is the first word of the unspaced sentence.
    expect(matchScore("សុខា", "សុខាចង់ប្តូរអាសយដ្ឋានដឹកជញ្ជូន")).toBe(0.85);
    expect(matchScore("ប្តូរអាស", "សុខាចង់ប្តូរអាសយដ្ឋានដឹកជញ្ជូន")).toBe(0.7);
    expect(matchScore("money card", "send the money back to my card")).toBe(0.3);
    expect(matchScore("absent", "send the money")).toBe(0);
    expect(matchScore("", "x")).toBe(0);
  });

  it("never shows a contact's tickets to an agent who may not see them", async () => {
    const r = await outsider.api.get("/search?q=tran%20van%20duc");
    expect(r.status).toBe(200);
    expect(r.body.tickets.map((x: { id: string }) => x.id)).not.toContain(ids.duc);
    const list = await outsider.api.get("/tickets?q=tran%20van%20duc");
    expect(list.body.items).toEqual([]);
  });

  it("answers bad input with a clear 400 and hostile text with an empty result", async () => {
    for (const q of ["", "x".repeat(201)]) {
      const r = await admin.api.get(`/search?q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBeTruthy();
    }
    expect((await admin.api.get("/search?q=a&types=secrets")).status).toBe(400);
    for (const q of ["<script>alert(1)</script>", "%_\\'", "' or 1=1 --", "\u200b"]) {
      const r = await admin.api.get(`/search?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
      expect(r.body.tickets, q).toEqual([]);
      expect(r.body.groups, q).toHaveLength(3);
    }
    expect((await t.app.inject({ method: "GET", url: "/api/v1/search?q=duc" })).statusCode).toBe(401);
  });
});
