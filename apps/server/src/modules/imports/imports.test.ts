import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import { csvCell, csvLimits, decodeCsv, parseCsv } from "./csv.ts";

const csvReq = (body: Buffer | string) => ({ headers: { "content-type": "text/csv" }, payload: body });

describe("CSV import and export", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  const count = async (table: string) =>
    Number(
      (
        (await t.database.db.execute(`select count(*)::int as n from ${table}`)) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows[0]?.n,
    );
  const upload = async (body: Buffer | string, entity = "contact", extra = "") =>
    admin.api.post(`/imports?entity=${entity}&filename=test.csv${extra}`, undefined, csvReq(body));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t);
    agent = await createAgent(t, admin.api, { role: "agent" });
    expect(
      (
        await admin.api.post("/fields", {
          entity: "contact",
          key: "tier",
          type: "select",
          label: "Tier",
          required: true,
          labels: { vi: "Hạng" },
          options: [
            { value: "gold", label: "Gold" },
            { value: "silver", label: "Silver" },
          ],
        })
      ).status,
    ).toBe(201);
    expect(
      (await admin.api.post("/fields", { entity: "contact", key: "score", type: "number", label: "Score" }))
        .status,
    ).toBe(201);
    await admin.api.post("/contacts", {
      name: "Existing",
      emails: ["taken@example.com"],
      phones: ["+84 90 111 22 33"],
      customFields: { tier: "gold" },
    });
    await admin.api.post("/organizations", { name: "Angkor Trading", domains: ["angkor.com.kh"] });
  });
  afterAll(() => t.close());

  it("reports every bad row (encoding, required, email, phone, duplicates) and imports nothing; then imports the fixed file", async () => {
    const lines = [
      "Họ tên,E-mail,Phone,Company,Hạng,Score",
      "Lê Văn Tám,tam@example.vn,0901234567,Mekong Foods,gold,10",
      Buffer.concat([
        Buffer.from("Caf"),
        Buffer.from([0xe9]),
        Buffer.from(" Owner,cafe@example.fr,,,silver,\n"),
      ]),
      "No Tier,notier@example.vn,,,,",
      "Bad Email,not-an-email,,,gold,",
      "Bad Phone,phone@example.vn,12,,gold,",
      "Twin,tam@example.vn,,,gold,",
      "Taken,TAKEN@example.com,,,gold,",
      "Taken Phone,tp@example.vn,+84901112233,,gold,",
      ",,,,gold,",
      "Bad Score,score@example.vn,,,gold,lots",
      "Srey Pov,srey@angkor.com.kh,+855 12 345 678,,silver,",
    ];
    const body = Buffer.concat(lines.map((l) => (Buffer.isBuffer(l) ? l : Buffer.from(`${l}\n`))));
    const up = await upload(body);
    expect(up.status, up.raw).toBe(201);
    expect(up.body.headers).toEqual(["Họ tên", "E-mail", "Phone", "Company", "Hạng", "Score"]);
    expect(up.body.mapping).toEqual({
      0: "name",
      1: "email",
      2: "phone",
      3: "organization",
      4: "cf.tier",
      5: "cf.score",
    });
    expect(up.body.rowCount).toBe(11);
    const before = await count("contacts");
    const opts = { mapping: up.body.mapping, defaultCountry: "VN" };
    const dry = await admin.api.post(`/imports/${up.body.id}/dry-run`, opts);
    expect(dry.status, dry.raw).toBe(200);
    const byRow = (code: string) =>
      dry.body.errors.filter((e: { code: string }) => e.code === code).map((e: { row: number }) => e.row);
    expect(byRow("invalid_encoding")).toEqual([3]);
    expect(byRow("required")).toEqual([4]);
    expect(byRow("invalid_email")).toEqual([5]);
    expect(byRow("invalid_phone")).toEqual([6]);
    expect(byRow("duplicate_in_file")).toEqual([7]);
    expect(byRow("duplicate_existing")).toEqual([8, 9]);
    expect(byRow("missing_required")).toEqual([10]);
    expect(byRow("invalid_number")).toEqual([11]);
    expect(dry.body.errors.find((e: { row: number }) => e.row === 5)).toMatchObject({
      column: "E-mail",
      field: "email",
    });
    expect(dry.body.newOrganizations).toEqual(["Mekong Foods"]);
    expect(await count("contacts")).toBe(before);

    const run = await admin.api.post(`/imports/${up.body.id}/run`, opts);
    expect(run.status).toBe(422);
    expect(run.body.error.details.errorCount).toBe(dry.body.errorCount);
    expect(await count("contacts")).toBe(before);
    expect(await count("organizations")).toBe(1);

    const fixed = [lines[0], lines[1], "Cafe Owner,cafe@example.fr,,,silver,", lines[11]].join("\r\n");
    const up2 = await upload(fixed);
    const run2 = await admin.api.post(`/imports/${up2.body.id}/run`, {
      mapping: up2.body.mapping,
      defaultCountry: "VN",
    });
    expect(run2.status, run2.raw).toBe(200);
    expect(run2.body.inserted).toBe(3);
    const tam = (await admin.api.get("/contacts?email=tam@example.vn")).body.items[0];
    expect(tam).toMatchObject({
      name: "Lê Văn Tám",
      phones: [{ phone: "+84901234567" }],
      organization: { name: "Mekong Foods" },
      customFields: { tier: "gold", score: 10 },
    });
    const srey = (await admin.api.get("/contacts?email=srey@angkor.com.kh")).body.items[0];
    expect(srey.organization.name).toBe("Angkor Trading");
    expect((await admin.api.get("/contacts?q=le van tam")).body.items).toHaveLength(1);
    expect((await admin.api.get(`/imports/${up2.body.id}`)).body).toMatchObject({
      status: "imported",
      insertedCount: 3,
    });
    expect((await admin.api.post(`/imports/${up2.body.id}/run`, { mapping: up2.body.mapping })).status).toBe(
      409,
    );
  });

  it("streams progress as NDJSON", async () => {
    const rows = [
      "name,email,tier",
      ...Array.from({ length: 300 }, (_, i) => `Bulk ${i},bulk${i}@example.org,silver`),
    ];
    const up = await upload(rows.join("\n"));
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/imports/${up.body.id}/run`,
      headers: { authorization: `Bearer ${admin.token}`, accept: "application/x-ndjson" },
      payload: { mapping: up.body.mapping },
    });
    expect(res.statusCode).toBe(200);
    const events = res.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ type: "done", inserted: 300 });
    expect(events.some((e) => e.type === "progress" && e.phase === "insert")).toBe(true);
  });

  it("decodes UTF-8 with BOM, UTF-16 LE/BE and windows-1258/1252 when chosen", async () => {
    const text = "name,email,tier\nĐông Hà,dong@example.vn,gold\n";
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).text).toBe(text);
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]))).toEqual({
      text,
      encoding: "utf-16le",
    });
    expect(decodeCsv(Buffer.from(text, "utf16le")).encoding).toBe("utf-16le");
    const be = Buffer.from(text, "utf16le").swap16();
    expect(decodeCsv(Buffer.concat([Buffer.from([0xfe, 0xff]), be])).text).toBe(text);
    const legacy = iconv.encode(text, "windows-1258");
    expect(decodeCsv(legacy, "windows-1258").text).toBe(text);
    expect(decodeCsv(iconv.encode("Café Müller", "windows-1252"), "windows-1252").text).toBe("Café Müller");
    const up = await upload(legacy, "contact", "&encoding=windows-1258");
    expect(up.status).toBe(201);
    expect(up.body.sample[0][0]).toBe("Đông Hà");
    const utf16 = await upload(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    expect(utf16.body).toMatchObject({ encoding: "utf-16le", headers: ["name", "email", "tier"] });
  });

  it("parses quotes, doubled quotes, newlines and delimiters inside cells; semicolon files", () => {
    const rows = [...parseCsv('a,b\r\n"x, ""y""","line1\nline2"\n\n"=1+1",plain\n')];
    expect(rows).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ['x, "y"', "line1\nline2"] },
      { line: 5, cells: ["=1+1", "plain"] },
    ]);
    expect([...parseCsv("name;email\nAn;an@example.vn\n")][1]?.cells).toEqual(["An", "an@example.vn"]);
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
  });

  it("refuses hostile files: over the limit, binary garbage, 10k columns, unterminated quotes, empty", async () => {
    const saved = csvLimits.maxBytes;
    csvLimits.maxBytes = 1000;
    try {
      const big = await upload(`name\n${"x\n".repeat(1000)}`);
      expect(big.status).toBe(413);
    } finally {
      csvLimits.maxBytes = saved;
    }
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
    const bin = await upload(garbage);
    expect(bin.status).toBe(400);
    expect(bin.body.error.details.code).toBe("binary_file");
    const wide = await upload(`${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(",")}\n`);
    expect(wide.status).toBe(400);
    expect(wide.body.error.details.code).toBe("too_many_columns");
    const open = await upload('name,email\n"never closed,x@example.com\n');
    expect(open.status).toBe(400);
    expect(open.body.error.details.code).toBe("unterminated_quote");
    expect((await upload("")).status).toBe(400);
    const json = await admin.api.post("/imports?entity=contact", { not: "csv" });
    expect(json.status).toBe(415);
    const badMap = await upload("name,email\nA,a@example.com\n");
    expect(
      (await admin.api.post(`/imports/${badMap.body.id}/dry-run`, { mapping: { 0: "password" } })).status,
    ).toBe(400);
    expect(
      (await admin.api.post(`/imports/${badMap.body.id}/dry-run`, { mapping: { 7: "name" } })).status,
    ).toBe(400);
    const ragged = await upload("name,email,tier\nA,a@example.com\n");
    const dr = await admin.api.post(`/imports/${ragged.body.id}/dry-run`, { mapping: ragged.body.mapping });
    expect(dr.body.errors[0]).toMatchObject({ row: 2, code: "wrong_column_count" });
  });

  it("imports organizations with domains and account owners, all or nothing", async () => {
    const bad = await upload(
      'Company,Domains,Owner,Address\nPhnom Penh Tea,pptea.com.kh,admin@rapport.test,"12 Street, Phnom Penh"\nAngkor Trading,,,\nNew Co,angkor.com.kh,nobody@example.com,\n',
      "organization",
    );
    expect(bad.body.mapping).toEqual({ 0: "name", 1: "domains", 2: "accountOwner", 3: "address" });
    const run = await admin.api.post(`/imports/${bad.body.id}/run`, { mapping: bad.body.mapping });
    expect(run.status).toBe(422);
    const codes = run.body.error.details.errors.map(
      (e: { row: number; code: string }) => `${e.row}:${e.code}`,
    );
    expect(codes).toEqual(["3:duplicate_existing", "4:duplicate_existing", "4:unknown_user"]);
    expect((await admin.api.get("/organizations?q=phnom")).body.items).toHaveLength(0);
    const good = await upload(
      'Company,Domains,Owner,Address\nPhnom Penh Tea,pptea.com.kh,admin@rapport.test,"12 Street, Phnom Penh"\n',
      "organization",
    );
    expect(
      (await admin.api.post(`/imports/${good.body.id}/run`, { mapping: good.body.mapping })).status,
    ).toBe(200);
    const org = (await admin.api.get("/organizations?q=phnom")).body.items[0];
    expect(org).toMatchObject({
      domains: ["pptea.com.kh"],
      address: "12 Street, Phnom Penh",
      accountOwner: { name: "Ada Admin" },
    });
  });

  it("only admins import; anonymous callers get 401", async () => {
    const up = await upload("name,tier\nA,gold\n");
    for (const [method, url, body] of [
      ["POST", "/imports?entity=contact", "name\nA\n"],
      ["GET", "/imports", undefined],
      ["GET", `/imports/${up.body.id}`, undefined],
      ["POST", `/imports/${up.body.id}/dry-run`, { mapping: {} }],
      ["POST", `/imports/${up.body.id}/run`, { mapping: {} }],
      ["DELETE", `/imports/${up.body.id}`, undefined],
    ] as const) {
      const extra = typeof body === "string" ? csvReq(body) : undefined;
      const payload = typeof body === "string" ? undefined : body;
      const res = await agent.api.call(method, url, payload, extra);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect((await apiClient(t.app).call(method, url, payload, extra)).status).toBe(401);
    }
  });

  it("exports filtered lists as streaming CSV with escaping and the formula guard; tickets scoped to the caller", async () => {
    await admin.api.post("/contacts", {
      name: "=cmd|' /C calc'!A0",
      emails: ["formula@example.com"],
      notes: 'He said "hi"\nthen left',
      customFields: { tier: "gold", score: 77 },
    });
    const res = await agent.api.get("/contacts/export.csv?cf.score.gte=50");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    const body = res.raw.replace(/^\uFEFF/, "");
    const rows = [...parseCsv(body)];
    expect(rows[0]?.cells).toEqual([
      "id",
      "name",
      "email",
      "emails",
      "phone",
      "phones",
      "organization",
      "language",
      "timeZone",
      "tags",
      "notes",
      "createdAt",
      "cf.tier",
      "cf.score",
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.cells[1]).toBe("'=cmd|' /C calc'!A0");
    expect(rows[1]?.cells[10]).toBe('He said "hi"\nthen left');
    expect(rows[1]?.cells.slice(12)).toEqual(["gold", "77"]);
    // The export re-imports: its headers map onto the same targets.
    const again = await upload(body);
    expect(Object.values(again.body.mapping)).toEqual(
      expect.arrayContaining(["name", "email", "cf.tier", "cf.score"]),
    );

    const orgs = await agent.api.get("/organizations/export.csv?q=angkor");
    expect([...parseCsv(orgs.raw.replace(/^\uFEFF/, ""))]).toHaveLength(2);

    const team = await createTeam(admin.api, "Billing");
    const hidden = await createTicket(admin.api, { subject: "Secret billing case", teamId: team.id });
    const mine = await createTicket(agent.api, {
      subject: "Visible to the agent",
      assigneeId: agent.user.id,
    });
    const adminCsv = (await admin.api.get("/tickets/export.csv")).raw;
    const agentCsv = (await agent.api.get("/tickets/export.csv")).raw;
    expect(adminCsv).toContain(hidden.subject);
    expect(agentCsv).not.toContain(hidden.subject);
    expect(agentCsv).toContain(mine.subject);
    expect((await apiClient(t.app).get("/tickets/export.csv")).status).toBe(401);
  });
});
