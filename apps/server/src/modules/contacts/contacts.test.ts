import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

describe("contacts and organizations", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
  });
  afterAll(() => t.close());

  it("creates a contact with emails, phones in E.164, language, time zone and tags", async () => {
    const res = await admin.api.post("/contacts", {
      name: "Nguyễn Thị Hương",
      emails: ["Huong@Example.vn", "huong.work@example.vn"],
      phones: ["+84 90 123 45 67"],
      language: "vi",
      timeZone: "Asia/Ho_Chi_Minh",
      tags: ["VIP", "Khách hàng thân thiết"],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Nguyễn Thị Hương",
      emails: [
        { email: "Huong@Example.vn", primary: true, verified: false },
        { email: "huong.work@example.vn", primary: false, verified: false },
      ],
      phones: [{ phone: "+84901234567", primary: true }],
      language: "vi",
      timeZone: "Asia/Ho_Chi_Minh",
      tags: ["vip", "khách-hàng-thân-thiết"],
    });
  });

  it("keeps emails unique per contact, case-insensitively", async () => {
    const res = await admin.api.post("/contacts", { name: "Impostor", emails: ["HUONG@example.VN"] });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toMatchObject({ field: "emails" });
    const list = await admin.api.get("/contacts?q=impostor");
    expect(list.body.items).toHaveLength(0);
  });

  it("finds contacts by name fragment without diacritics, exact email, phone and tag", async () => {
    expect((await admin.api.get("/contacts?q=nguyen thi")).body.items[0]?.name).toBe("Nguyễn Thị Hương");
    expect((await admin.api.get("/contacts?q=huong")).body.items).toHaveLength(1);
    expect((await admin.api.get("/contacts?email=HUONG@EXAMPLE.VN")).body.items).toHaveLength(1);
    expect(
      (await admin.api.get(`/contacts?phone=${encodeURIComponent("+84901234567")}`)).body.items,
    ).toHaveLength(1);
    expect((await admin.api.get("/contacts?tag=vip")).body.items).toHaveLength(1);
    expect((await admin.api.get("/contacts?q=%25")).body.items).toHaveLength(0);
  });

  it("pages through contacts with a cursor, each contact exactly once", async () => {
    for (let i = 0; i < 7; i++) await admin.api.post("/contacts", { name: `Paged ${i}`, tags: ["paged"] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = `/contacts?tag=paged&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await admin.api.get(qs);
      seen.push(...page.body.items.map((c: { name: string }) => c.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect((await admin.api.get("/contacts?cursor=garbage")).status).toBe(400);
  });

  it("updates a contact, replacing emails and phones", async () => {
    const c = await admin.api.post("/contacts", { name: "Kavya", emails: ["kavya@example.in"] });
    const res = await admin.api.patch(`/contacts/${c.body.id}`, {
      name: "காவ்யா ராமன்",
      emails: ["kavya.raman@example.in"],
      phones: ["+91 98765 43210"],
      language: "ta",
      notes: "Prefers calls in the evening",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "காவ்யா ராமன்",
      emails: [{ email: "kavya.raman@example.in" }],
      phones: [{ phone: "+919876543210" }],
      language: "ta",
    });
    expect((await admin.api.get("/contacts?email=kavya@example.in")).body.items).toHaveLength(0);
    expect((await admin.api.patch(`/contacts/${c.body.id}`, { emails: ["HUONG@example.vn"] })).status).toBe(
      409,
    );
    expect((await admin.api.get(`/contacts/${c.body.id}`)).body.emails[0].email).toBe(
      "kavya.raman@example.in",
    );
  });

  it("links contacts to organizations, automatically by email domain", async () => {
    const org = await admin.api.post("/organizations", {
      name: "Angkor Trading",
      domains: ["Angkor.example"],
    });
    expect(org.status).toBe(201);
    expect(org.body.domains).toEqual(["angkor.example"]);
    const c = await admin.api.post("/contacts", { name: "Dara", emails: ["dara@angkor.example"] });
    expect(c.body.organization).toEqual({ id: org.body.id, name: "Angkor Trading" });
    const other = await admin.api.post("/contacts", { name: "Vanna", emails: ["vanna@sub.angkor.example"] });
    expect(other.body.organization).toBeNull();
    expect((await admin.api.get(`/contacts?organizationId=${org.body.id}`)).body.items).toHaveLength(1);
    expect((await admin.api.post("/organizations", { name: "angkor trading" })).status).toBe(409);
    expect((await admin.api.post("/organizations", { name: "Bad", domains: ["not a domain"] })).status).toBe(
      400,
    );
    const renamed = await admin.api.patch(`/organizations/${org.body.id}`, { notes: "Key account" });
    expect(renamed.body).toMatchObject({
      name: "Angkor Trading",
      notes: "Key account",
      domains: ["angkor.example"],
    });
    expect((await admin.api.get("/organizations?q=angkor")).body.items).toHaveLength(1);
  });

  it("links existing contacts when a company gets their domain; a domain names one company", async () => {
    const early = await admin.api.post("/contacts", { name: "Early Bird", emails: ["bird@newco.vn"] });
    expect(early.body.organization).toBeNull();
    const org = await admin.api.post("/organizations", {
      name: "NewCo",
      domains: ["newco.vn"],
      address: "1 Trần Phú",
    });
    expect(org.status).toBe(201);
    expect(org.body).toMatchObject({ address: "1 Trần Phú", contactCount: 1 });
    expect((await admin.api.get(`/contacts/${early.body.id}`)).body.organization.name).toBe("NewCo");
    const clash = await admin.api.post("/organizations", { name: "OtherCo", domains: ["newco.vn"] });
    expect(clash.status).toBe(409);
    expect(clash.body.error.details).toMatchObject({ field: "domains", domain: "newco.vn" });
    const second = await admin.api.post("/contacts", {
      name: "Two Mails",
      emails: ["two@gmail.com", "two@newco.vn"],
    });
    expect(second.body.organization.name).toBe("NewCo");
    const page = await admin.api.get("/organizations?domain=newco.vn&limit=1");
    expect(page.body.items.map((o: { name: string }) => o.name)).toEqual(["NewCo"]);
  });

  it("answers 404 for unknown contacts and organizations", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    expect((await admin.api.get(`/contacts/${id}`)).status).toBe(404);
    expect((await admin.api.patch(`/contacts/${id}`, { name: "x" })).status).toBe(404);
    expect((await admin.api.post("/contacts", { name: "x", organizationId: id })).status).toBe(404);
    expect((await admin.api.get("/contacts/not-a-uuid")).status).toBe(400);
  });
});
