import { randomUUID } from "node:crypto";
import { foldText } from "@rapport/shared";
import { desc, eq, getTableColumns, sql } from "drizzle-orm";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { Actor } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError, badRequest, conflict, notFound } from "../../lib/errors.ts";
import { tsvectorLiteral } from "../../lib/search.ts";
import { normalizeTag } from "../../lib/tags.ts";
import { organizations } from "../contacts/contacts.table.ts";
import { checkCustomFields, definitionsFor, type FieldDef } from "../fields/fields.service.ts";
import {
  ORDER_IMPORT_SYNONYMS,
  ORDER_IMPORT_TARGETS,
  OrderRows,
  writeImportedOrders,
} from "../orders/orders.import.ts";
import { users } from "../users/users.table.ts";
import { CsvError, csvLimits, decodeCsv, type ImportEncoding, parseCsv } from "./csv.ts";
import { imports } from "./imports.table.ts";

export type ImportEntity = "contact" | "organization" | "order";
export type RowError = {
  /** Line of the file where the record starts (the header is line 1). */
  row: number;
  column: string | null;
  field: string;
  code: string;
  message: string;
};
export type ImportOptions = {
  mapping: Record<string, string>;
  encoding?: ImportEncoding;
  defaultCountry?: string;
};
export type Progress = { phase: "check" | "insert"; done: number; total: number };
export type ImportReport = {
  rowCount: number;
  errorCount: number;
  /** The first errors (at most REPORT_LIMIT), in file order. */
  errors: RowError[];
  newOrganizations: string[];
  encoding: string;
};

const REPORT_LIMIT = 1000;
const BATCH = 2000;

/** The CLI (system actor) and admins may import. */
function requireImporter(actor: Actor) {
  if (actor.kind === "system") return null;
  return requireCan(actor, "imports.run").userId;
}

const BASE_TARGETS: Record<ImportEntity, string[]> = {
  contact: [
    "name",
    "email",
    "emails",
    "phone",
    "phones",
    "organization",
    "language",
    "timeZone",
    "notes",
    "tags",
  ],
  organization: ["name", "domains", "address", "notes", "tags", "accountOwner"],
  order: [...ORDER_IMPORT_TARGETS],
};

/** Custom fields exist for contacts and organizations; orders have none. */
const fieldDefs = (db: DbOrTx, entity: ImportEntity): Promise<FieldDef[]> =>
  entity === "order" ? Promise.resolve([]) : definitionsFor(db, entity);

/** Header spellings recognised per target (folded: lower case, no diacritics, letters and digits only). */
const SYNONYMS: Record<string, string[]> = {
  name: [
    "name",
    "fullname",
    "contactname",
    "customer",
    "customername",
    "hoten",
    "ten",
    "hovaten",
    "companyname",
    "organization",
    "organisation",
    "company",
  ],
  email: ["email", "emailaddress", "mail", "primaryemail", "thudientu", "diachiemail"],
  emails: ["emails", "otheremails", "additionalemails", "secondaryemail"],
  phone: [
    "phone",
    "phonenumber",
    "mobile",
    "mobilephone",
    "tel",
    "telephone",
    "sodienthoai",
    "dienthoai",
    "sdt",
    "didong",
  ],
  phones: ["phones", "otherphones", "additionalphones", "workphone", "homephone"],
  organization: [
    "organization",
    "organisation",
    "company",
    "companyname",
    "congty",
    "account",
    "accountname",
  ],
  language: ["language", "lang", "locale", "ngonngu"],
  timeZone: ["timezone", "tz", "muigio"],
  notes: ["notes", "note", "description", "comment", "comments", "ghichu"],
  tags: ["tags", "tag", "labels", "the", "nhan"],
  domains: ["domains", "domain", "website", "emaildomain", "tenmien"],
  address: ["address", "streetaddress", "diachi", "location"],
  accountOwner: ["accountowner", "owner", "owneremail", "accountmanager", "nguoiphutrach"],
  ...ORDER_IMPORT_SYNONYMS,
};
const fold = (s: string) => foldText(s).replace(/[^a-z0-9]/g, "");

export function importTargets(entity: ImportEntity, defs: FieldDef[]) {
  return [
    ...BASE_TARGETS[entity].map((key) => ({
      key,
      label: key,
      required:
        (key === "name" && entity === "organization") ||
        (entity === "order" && ["placedAt", "currency", "total"].includes(key)),
    })),
    ...defs
      .filter((d) => !d.archivedAt)
      .map((d) => ({ key: `cf.${d.key}`, label: d.label, required: d.required })),
  ];
}

/** Mapping from column index to target, guessed from the headers (custom fields by key or label). */
export function guessMapping(
  entity: ImportEntity,
  headers: string[],
  defs: FieldDef[],
): Record<string, string> {
  const mapping: Record<string, string> = {};
  const used = new Set<string>();
  const active = defs.filter((d) => !d.archivedAt);
  headers.forEach((h, i) => {
    const f = fold(h);
    let target: string | undefined;
    const cf = active.find(
      (d) =>
        fold(d.key) === f ||
        `cf${fold(d.key)}` === f ||
        fold(d.label) === f ||
        Object.values(d.labels).some((l) => fold(l) === f),
    );
    if (cf) target = `cf.${cf.key}`;
    else
      target = BASE_TARGETS[entity].find((t) => {
        if (
          entity === "contact" &&
          t === "name" &&
          ["company", "companyname", "organization", "organisation"].includes(f)
        )
          return false;
        return (SYNONYMS[t] ?? []).includes(f) || fold(t) === f;
      });
    if (target && !used.has(target)) {
      mapping[String(i)] = target;
      used.add(target);
    }
  });
  return mapping;
}

function readFile(data: Buffer, encoding: ImportEncoding = "auto") {
  try {
    const { text, encoding: used } = decodeCsv(data, encoding);
    return { text, encoding: used };
  } catch (e) {
    if (e instanceof CsvError) throw badRequest(e.message, { code: e.code });
    throw e;
  }
}

function parseAll(text: string) {
  try {
    const records = [...parseCsv(text)];
    const header = records.shift();
    if (!header || header.cells.every((c) => c.trim() === ""))
      throw badRequest("The file has no header line", { code: "no_header" });
    return { headers: header.cells.map((h) => h.trim()), records };
  } catch (e) {
    if (e instanceof CsvError)
      throw badRequest(e.row ? `${e.message} (line ${e.row})` : e.message, { code: e.code, row: e.row });
    throw e;
  }
}

const toSummary = (
  r: Omit<typeof imports.$inferSelect, "data">,
  extra: { headers?: string[]; sample?: string[][] } = {},
) => ({
  id: r.id,
  entity: r.entity as ImportEntity,
  filename: r.filename,
  encoding: r.encoding,
  size: r.size,
  status: r.status,
  mapping: r.mapping,
  rowCount: r.rowCount,
  errorCount: r.errorCount,
  insertedCount: r.insertedCount,
  report: r.report as Partial<ImportReport>,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  headers: extra.headers ?? [],
  sample: extra.sample ?? [],
});
export type ImportSummary = ReturnType<typeof toSummary> & {
  targets?: Array<{ key: string; label: string; required: boolean }>;
};

function assertMapping(
  entity: ImportEntity,
  defs: FieldDef[],
  headers: string[],
  mapping: Record<string, string>,
) {
  const targets = new Set(importTargets(entity, defs).map((t) => t.key));
  const seen = new Set<string>();
  for (const [col, target] of Object.entries(mapping)) {
    if (target === "") continue;
    const i = Number(col);
    if (!Number.isInteger(i) || i < 0 || i >= headers.length)
      throw badRequest(`Column ${col} is not in the file`, { field: "mapping", column: col });
    if (!targets.has(target)) throw badRequest(`Unknown target ${target}`, { field: "mapping", column: col });
    if (seen.has(target)) throw badRequest(`Two columns map to ${target}`, { field: "mapping", column: col });
    seen.add(target);
  }
  if (entity === "organization" && !seen.has("name"))
    throw badRequest("Map a column to the organization name", { field: "mapping" });
  if (entity === "contact" && !["name", "email", "phone"].some((t) => seen.has(t)))
    throw badRequest("Map a column to the name, email or phone", { field: "mapping" });
  if (entity === "order") {
    if (!seen.has("id") && !seen.has("number"))
      throw badRequest("Map a column to the order id or number", { field: "mapping" });
    for (const t of ["placedAt", "currency", "total"])
      if (!seen.has(t)) throw badRequest(`Map a column to ${t}`, { field: "mapping" });
    if (!seen.has("email") && !seen.has("phone"))
      throw badRequest("Map a column to the customer's email or phone", { field: "mapping" });
  }
}

export async function uploadImport(
  ctx: Ctx,
  input: { entity: ImportEntity; filename: string; data: Buffer; encoding?: ImportEncoding },
): Promise<ImportSummary> {
  const userId = requireImporter(ctx.actor);
  if (input.data.length === 0) throw badRequest("The file is empty", { code: "empty_file" });
  if (input.data.length > csvLimits.maxBytes)
    throw new AppError("payload_too_large", 413, `The file is larger than ${csvLimits.maxBytes} bytes`);
  const { text, encoding } = readFile(input.data, input.encoding);
  const { headers, records } = parseAll(text);
  const defs = await fieldDefs(ctx.db, input.entity);
  const mapping = guessMapping(input.entity, headers, defs);
  const [row] = await ctx.db
    .insert(imports)
    .values({
      entity: input.entity,
      filename: input.filename.slice(0, 255),
      encoding,
      size: input.data.length,
      data: input.data,
      mapping,
      rowCount: records.length,
      createdBy: userId,
      createdAt: ctx.now(),
      updatedAt: ctx.now(),
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return {
    ...toSummary(row, { headers, sample: records.slice(0, 5).map((r) => r.cells) }),
    targets: importTargets(input.entity, defs),
  };
}

async function loadImport(db: DbOrTx, id: string, lock = false) {
  const q = db.select().from(imports).where(eq(imports.id, id));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw notFound("Import");
  return row;
}

export async function getImport(ctx: Ctx, id: string): Promise<ImportSummary> {
  requireImporter(ctx.actor);
  const row = await loadImport(ctx.db, id);
  const defs = await fieldDefs(ctx.db, row.entity as ImportEntity);
  let extra = {};
  if (row.data) {
    const { headers, records } = parseAll(
      readFile(Buffer.from(row.data), row.encoding as ImportEncoding).text,
    );
    extra = { headers, sample: records.slice(0, 5).map((r) => r.cells) };
  }
  return { ...toSummary(row, extra), targets: importTargets(row.entity as ImportEntity, defs) };
}

export async function listImports(ctx: Ctx) {
  requireImporter(ctx.actor);
  // Everything but the stored files.
  const { data: _file, ...columns } = getTableColumns(imports);
  const rows = await ctx.db.select(columns).from(imports).orderBy(desc(imports.createdAt)).limit(50);
  return rows.map((r) => toSummary(r));
}

export async function deleteImport(ctx: Ctx, id: string) {
  requireImporter(ctx.actor);
  const row = await loadImport(ctx.db, id);
  if (row.status === "imported") throw conflict("A finished import stays on record");
  await ctx.db.delete(imports).where(eq(imports.id, id));
}

// ---------------------------------------------------------------------------------------------
// Checking rows

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/;
const splitList = (s: string) =>
  s
    .split(/[;,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
const tzCache = new Map<string, boolean>();
function validTimeZone(tz: string) {
  let ok = tzCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    tzCache.set(tz, ok);
  }
  return ok;
}
const jsonList = (values: string[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

type ContactOut = {
  id: string;
  name: string;
  language: string | null;
  time_zone: string | null;
  organization_id: string | null;
  orgName: string | null;
  notes: string;
  tags: string[];
  custom_fields: Record<string, unknown>;
  emails: string[];
  phones: string[];
  line: number;
};
type OrgOut = {
  id: string;
  name: string;
  domains: string[];
  address: string;
  notes: string;
  tags: string[];
  account_owner_id: string | null;
  custom_fields: Record<string, unknown>;
  line: number;
};

class Report {
  errors: RowError[] = [];
  count = 0;
  badRows = new Set<number>();
  add(row: number, column: string | null, field: string, code: string, message: string) {
    this.count++;
    this.badRows.add(row);
    if (this.errors.length < REPORT_LIMIT) this.errors.push({ row, column, field, code, message });
  }
}

async function checkRows(
  db: DbOrTx,
  entity: ImportEntity,
  data: Buffer,
  opts: ImportOptions,
  onProgress?: (p: Progress) => void,
) {
  const { text, encoding } = readFile(data, opts.encoding);
  const { headers, records } = parseAll(text);
  const defs = await fieldDefs(db, entity);
  assertMapping(entity, defs, headers, opts.mapping);
  const report = new Report();
  const cols = Object.entries(opts.mapping)
    .filter(([, t]) => t)
    .map(([c, t]) => ({ index: Number(c), target: t, header: headers[Number(c)] ?? c }));
  const colOf = (target: string) => cols.find((c) => c.target === target)?.header ?? null;
  const total = records.length;
  const contactsOut: ContactOut[] = [];
  const orgsOut: OrgOut[] = [];
  const newOrgs = new Map<string, string>();
  const seenEmail = new Map<string, number>();
  const seenPhone = new Map<string, number>();
  const seenName = new Map<string, number>();
  const seenDomain = new Map<string, number>();
  const emailRows = new Map<string, number[]>();
  const phoneRows = new Map<string, number[]>();
  const orgByName = new Map<string, string>();
  const domainOrg = new Map<string, string>();
  for (const o of await db
    .select({ id: organizations.id, name: organizations.name, domains: organizations.domains })
    .from(organizations)) {
    orgByName.set(o.name.toLowerCase(), o.id);
    for (const d of o.domains) if (!domainOrg.has(d)) domainOrg.set(d, o.id);
  }
  const orderRows = new OrderRows(opts.defaultCountry, (line, e) =>
    report.add(line, colOf(e.target), e.target, e.code, e.message),
  );
  const userByEmail = new Map<string, string>();
  if (entity === "organization")
    for (const u of await db.select({ id: users.id, email: users.email }).from(users))
      userByEmail.set(u.email.toLowerCase(), u.id);

  for (const [n, rec] of records.entries()) {
    const line = rec.line;
    if (n % 5000 === 0) onProgress?.({ phase: "check", done: n, total });
    if (rec.cells.length !== headers.length) {
      report.add(
        line,
        null,
        "row",
        "wrong_column_count",
        `${rec.cells.length} cells, the header has ${headers.length}`,
      );
      continue;
    }
    const badCell = rec.cells.findIndex((c) => c.includes("\uFFFD"));
    if (badCell >= 0)
      report.add(
        line,
        headers[badCell] ?? null,
        "row",
        "invalid_encoding",
        "bytes that are not valid UTF-8: choose the file's encoding (windows-1258 for Vietnamese, windows-1252)",
      );
    const v: Record<string, string> = {};
    const cf: Record<string, string> = {};
    for (const c of cols) {
      const cell = (rec.cells[c.index] ?? "").trim();
      if (c.target.startsWith("cf.")) cf[c.target.slice(3)] = cell;
      else v[c.target] = cell;
    }
    const { values: customFields, errors: cfErrors } = checkCustomFields(defs, cf, {
      mode: "create",
      enforceRequired: true,
    });
    for (const e of cfErrors) report.add(line, colOf(`cf.${e.key}`), e.path, e.code, e.message);
    const tags = splitList(v.tags ?? "").map(normalizeTag);
    if (tags.some((t) => t.length > 64) || tags.length > 50)
      report.add(line, colOf("tags"), "tags", "invalid_tags", "at most 50 tags of 64 characters");
    const notes = v.notes ?? "";
    if (notes.length > 20_000)
      report.add(line, colOf("notes"), "notes", "too_long", "at most 20,000 characters");

    if (entity === "order") orderRows.add(line, v);
    else if (entity === "contact") {
      const name = v.name ?? "";
      if (name.length > 200) report.add(line, colOf("name"), "name", "too_long", "at most 200 characters");
      const emails = [...(v.email ? splitList(v.email) : []), ...splitList(v.emails ?? "")];
      const phonesRaw = [...(v.phone ? splitList(v.phone) : []), ...splitList(v.phones ?? "")];
      if (!name && emails.length === 0 && phonesRaw.length === 0)
        report.add(
          line,
          colOf("name") ?? colOf("email"),
          "name",
          "missing_required",
          "a name, an email or a phone is required",
        );
      const okEmails: string[] = [];
      for (const e of emails) {
        const lower = e.toLowerCase();
        if (e.length > 320 || !EMAIL.test(e)) {
          report.add(
            line,
            colOf("email") ?? colOf("emails"),
            "email",
            "invalid_email",
            `not an email address: ${e.slice(0, 80)}`,
          );
          continue;
        }
        const first = seenEmail.get(lower);
        if (first !== undefined && first !== line) {
          report.add(line, colOf("email"), "email", "duplicate_in_file", `${e} is also on line ${first}`);
          continue;
        }
        seenEmail.set(lower, line);
        if (!okEmails.some((x) => x.toLowerCase() === lower)) okEmails.push(e);
        const list = emailRows.get(lower) ?? [];
        list.push(line);
        emailRows.set(lower, list);
      }
      const phones: string[] = [];
      for (const p of phonesRaw) {
        // biome-ignore lint/suspicious/noExplicitAny: libphonenumber's CountryCode union is checked at run time
        const parsed = parsePhoneNumberFromString(p, opts.defaultCountry as any);
        if (!parsed?.isValid()) {
          report.add(
            line,
            colOf("phone") ?? colOf("phones"),
            "phone",
            "invalid_phone",
            `not a valid phone number: ${p.slice(0, 40)}`,
          );
          continue;
        }
        const e164 = parsed.number;
        const first = seenPhone.get(e164);
        if (first !== undefined && first !== line) {
          report.add(line, colOf("phone"), "phone", "duplicate_in_file", `${e164} is also on line ${first}`);
          continue;
        }
        seenPhone.set(e164, line);
        if (!phones.includes(e164)) phones.push(e164);
        const list = phoneRows.get(e164) ?? [];
        list.push(line);
        phoneRows.set(e164, list);
      }
      const language = v.language ? v.language.toLowerCase() : null;
      if (language && !LANG.test(language))
        report.add(
          line,
          colOf("language"),
          "language",
          "invalid_language",
          "a language code such as vi, km, ta or en",
        );
      const timeZone = v.timeZone || null;
      if (timeZone && !validTimeZone(timeZone))
        report.add(
          line,
          colOf("timeZone"),
          "timeZone",
          "invalid_time_zone",
          "a time zone such as Asia/Ho_Chi_Minh",
        );
      let organizationId: string | null = null;
      let orgName: string | null = null;
      if (v.organization) {
        if (v.organization.length > 200)
          report.add(line, colOf("organization"), "organization", "too_long", "at most 200 characters");
        organizationId = orgByName.get(v.organization.toLowerCase()) ?? null;
        if (!organizationId) {
          orgName = v.organization;
          if (!newOrgs.has(orgName.toLowerCase())) newOrgs.set(orgName.toLowerCase(), orgName);
        }
      } else {
        for (const e of okEmails) {
          const d = e.split("@")[1]?.toLowerCase() ?? "";
          const org = domainOrg.get(d);
          if (org) {
            organizationId = org;
            break;
          }
        }
      }
      contactsOut.push({
        id: randomUUID(),
        name,
        language,
        time_zone: timeZone,
        organization_id: organizationId,
        orgName,
        notes,
        tags: [...new Set(tags)],
        custom_fields: customFields,
        emails: okEmails,
        phones,
        line,
      });
    } else {
      const name = v.name ?? "";
      if (!name)
        report.add(line, colOf("name"), "name", "missing_required", "the organization's name is required");
      else if (name.length > 200)
        report.add(line, colOf("name"), "name", "too_long", "at most 200 characters");
      const lower = name.toLowerCase();
      const first = seenName.get(lower);
      if (name && first !== undefined)
        report.add(line, colOf("name"), "name", "duplicate_in_file", `${name} is also on line ${first}`);
      else if (name && orgByName.has(lower))
        report.add(line, colOf("name"), "name", "duplicate_existing", `an organization named ${name} exists`);
      if (name && first === undefined) seenName.set(lower, line);
      const domains: string[] = [];
      for (const raw of splitList(v.domains ?? "")) {
        const d = raw
          .toLowerCase()
          .replace(/^https?:\/\//, "")
          .replace(/^www\./, "")
          .replace(/\/.*$/, "");
        if (!DOMAIN.test(d)) {
          report.add(
            line,
            colOf("domains"),
            "domains",
            "invalid_domain",
            `not a domain: ${raw.slice(0, 80)}`,
          );
          continue;
        }
        const firstD = seenDomain.get(d);
        if (firstD !== undefined && firstD !== line)
          report.add(
            line,
            colOf("domains"),
            "domains",
            "duplicate_in_file",
            `${d} is also on line ${firstD}`,
          );
        else if (domainOrg.has(d))
          report.add(
            line,
            colOf("domains"),
            "domains",
            "duplicate_existing",
            `${d} belongs to another organization`,
          );
        seenDomain.set(d, line);
        if (!domains.includes(d)) domains.push(d);
      }
      let ownerId: string | null = null;
      if (v.accountOwner) {
        ownerId = userByEmail.get(v.accountOwner.toLowerCase()) ?? null;
        if (!ownerId)
          report.add(
            line,
            colOf("accountOwner"),
            "accountOwner",
            "unknown_user",
            `no agent with the email ${v.accountOwner.slice(0, 80)}`,
          );
      }
      const address = v.address ?? "";
      if (address.length > 2000)
        report.add(line, colOf("address"), "address", "too_long", "at most 2,000 characters");
      orgsOut.push({
        id: randomUUID(),
        name,
        domains,
        address,
        notes,
        tags: [...new Set(tags)],
        account_owner_id: ownerId,
        custom_fields: customFields,
        line,
      });
    }
  }
  const ordersOut = entity === "order" ? orderRows.finish() : [];
  onProgress?.({ phase: "check", done: total, total });

  // Against existing contacts: one query per kind for the whole file.
  if (entity === "contact" && emailRows.size > 0) {
    const taken = (await db.execute(
      sql`select lower(email) as e from contact_emails where lower(email) in ${jsonList([...emailRows.keys()])}`,
    )) as unknown as { rows: Array<{ e: string }> };
    for (const { e } of taken.rows)
      for (const line of emailRows.get(e) ?? [])
        report.add(line, colOf("email"), "email", "duplicate_existing", `a contact with ${e} exists`);
  }
  if (entity === "contact" && phoneRows.size > 0) {
    const taken = (await db.execute(
      sql`select distinct phone as p from contact_phones where phone in ${jsonList([...phoneRows.keys()])}`,
    )) as unknown as { rows: Array<{ p: string }> };
    for (const { p } of taken.rows)
      for (const line of phoneRows.get(p) ?? [])
        report.add(line, colOf("phone"), "phone", "duplicate_existing", `a contact with ${p} exists`);
  }
  report.errors.sort((a, b) => a.row - b.row);
  const summary: ImportReport = {
    rowCount: total,
    errorCount: report.count,
    errors: report.errors,
    newOrganizations: [...newOrgs.values()].slice(0, 100),
    encoding,
  };
  return { summary, contactsOut, orgsOut, ordersOut, newOrgs, badRows: report.badRows };
}

// ---------------------------------------------------------------------------------------------
// Writing: set-based, in batches of rows sent as one JSON parameter each (COPY-like)

async function insertContactsBatch(db: DbOrTx, rows: ContactOut[]) {
  const payload = rows.map((r) => {
    const emailText = r.emails.join(" ");
    const phoneText = r.phones.join(" ");
    return {
      id: r.id,
      name: r.name,
      language: r.language,
      time_zone: r.time_zone,
      organization_id: r.organization_id,
      notes: r.notes,
      tags: r.tags,
      custom_fields: r.custom_fields,
      search_name: foldText([r.name, emailText, phoneText].filter(Boolean).join(" ")).slice(0, 2000),
      search_vector: tsvectorLiteral([
        { text: r.name, weight: "A" },
        { text: emailText, weight: "A" },
        { text: phoneText, weight: "B" },
        { text: r.notes, weight: "C" },
      ]),
    };
  });
  await db.execute(sql`insert into contacts (id, name, language, time_zone, organization_id, notes, tags, custom_fields, search_name, search_vector)
    select id, name, language, time_zone, organization_id, notes, tags, custom_fields, search_name, search_vector::tsvector
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(id uuid, name text, language text, time_zone text,
      organization_id uuid, notes text, tags text[], custom_fields jsonb, search_name text, search_vector text)`);
  const emails = rows.flatMap((r) => r.emails.map((email, i) => ({ c: r.id, e: email, p: i === 0 })));
  if (emails.length)
    await db.execute(sql`insert into contact_emails (contact_id, email, is_primary)
      select c, e, p from jsonb_to_recordset(${JSON.stringify(emails)}::jsonb) as x(c uuid, e text, p boolean)`);
  const phones = rows.flatMap((r) => r.phones.map((phone, i) => ({ c: r.id, n: phone, p: i === 0 })));
  if (phones.length)
    await db.execute(sql`insert into contact_phones (contact_id, phone, is_primary)
      select c, n, p from jsonb_to_recordset(${JSON.stringify(phones)}::jsonb) as x(c uuid, n text, p boolean)`);
}

async function insertOrgsBatch(db: DbOrTx, rows: OrgOut[]) {
  const payload = rows.map((r) => ({ ...r, search_name: foldText([r.name, ...r.domains].join(" ")) }));
  await db.execute(sql`insert into organizations (id, name, domains, address, notes, tags, account_owner_id, custom_fields, search_name)
    select id, name, domains, address, notes, tags, account_owner_id, custom_fields, search_name
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(id uuid, name text, domains text[], address text,
      notes text, tags text[], account_owner_id uuid, custom_fields jsonb, search_name text)`);
}

function checkOptions(opts: ImportOptions) {
  if (opts.defaultCountry && !/^[A-Z]{2}$/.test(opts.defaultCountry))
    throw badRequest("defaultCountry is a two-letter country code such as VN", { field: "defaultCountry" });
}

/** Checks every row without writing anything; the report is kept on the import. */
export async function dryRunImport(
  ctx: Ctx,
  id: string,
  opts: ImportOptions,
  onProgress?: (p: Progress) => void,
) {
  requireImporter(ctx.actor);
  checkOptions(opts);
  const row = await loadImport(ctx.db, id);
  if (!row.data) throw conflict("This import has finished; upload the file again");
  const { summary } = await checkRows(
    ctx.db,
    row.entity as ImportEntity,
    Buffer.from(row.data),
    opts,
    onProgress,
  );
  await ctx.db
    .update(imports)
    .set({
      status: summary.errorCount ? "checked_with_errors" : "checked",
      mapping: opts.mapping,
      encoding: summary.encoding,
      rowCount: summary.rowCount,
      errorCount: summary.errorCount,
      report: summary,
      updatedAt: ctx.now(),
    })
    .where(eq(imports.id, id));
  return summary;
}

/**
 * All or nothing: checks every row again inside one transaction and, only when no row has
 * an error, inserts everything (new organizations first) in multi-row batches; otherwise
 * nothing is written and the report explains each row.
 */
export async function runImport(
  ctx: Ctx,
  id: string,
  opts: ImportOptions,
  onProgress?: (p: Progress) => void,
): Promise<{ inserted: number; report: ImportReport }> {
  requireImporter(ctx.actor);
  checkOptions(opts);
  const result = await ctx.db.transaction(async (tx) => {
    const row = await loadImport(tx, id, true);
    if (row.status === "imported" || !row.data) throw conflict("This import has already run");
    const entity = row.entity as ImportEntity;
    const checked = await checkRows(tx, entity, Buffer.from(row.data), opts, onProgress);
    if (checked.summary.errorCount > 0) return { failed: checked.summary };
    let inserted = 0;
    if (entity === "order") {
      const counts = await writeImportedOrders(tx, checked.ordersOut, ctx.now(), (done, total) =>
        onProgress?.({ phase: "insert", done, total }),
      );
      inserted = counts.created + counts.updated;
    }
    const items: Array<ContactOut | OrgOut> =
      entity === "contact" ? checked.contactsOut : entity === "organization" ? checked.orgsOut : [];
    if (entity === "contact" && checked.newOrgs.size > 0) {
      const created: OrgOut[] = [...checked.newOrgs.values()].map((name) => ({
        id: randomUUID(),
        name,
        domains: [],
        address: "",
        notes: "",
        tags: [],
        account_owner_id: null,
        custom_fields: {},
        line: 0,
      }));
      for (let i = 0; i < created.length; i += BATCH) await insertOrgsBatch(tx, created.slice(i, i + BATCH));
      const idByName = new Map(created.map((o) => [o.name.toLowerCase(), o.id]));
      for (const c of checked.contactsOut)
        if (c.orgName) c.organization_id = idByName.get(c.orgName.toLowerCase()) ?? null;
    }
    for (let i = 0; i < items.length; i += BATCH) {
      const batch = items.slice(i, i + BATCH);
      if (entity === "contact") await insertContactsBatch(tx, batch as ContactOut[]);
      else await insertOrgsBatch(tx, batch as OrgOut[]);
      onProgress?.({ phase: "insert", done: Math.min(i + BATCH, items.length), total: items.length });
    }
    await tx
      .update(imports)
      .set({
        status: "imported",
        data: null,
        mapping: opts.mapping,
        encoding: checked.summary.encoding,
        rowCount: checked.summary.rowCount,
        errorCount: 0,
        insertedCount: inserted + items.length,
        report: checked.summary,
        updatedAt: ctx.now(),
        finishedAt: ctx.now(),
      })
      .where(eq(imports.id, id));
    return { inserted: inserted + items.length, report: checked.summary };
  });
  if ("failed" in result && result.failed) {
    await ctx.db
      .update(imports)
      .set({
        status: "checked_with_errors",
        mapping: opts.mapping,
        errorCount: result.failed.errorCount,
        report: result.failed,
        updatedAt: ctx.now(),
      })
      .where(eq(imports.id, id));
    throw new AppError(
      "validation_failed",
      422,
      `${result.failed.errorCount} problems in the file; nothing was imported`,
      result.failed,
    );
  }
  return result as { inserted: number; report: ImportReport };
}

/** Headers of an uploaded file mapped by name (CLI `--map "Header=target,..."`), over the guess. */
export function mappingFromNames(
  summary: { headers: string[]; mapping: Record<string, string> },
  spec: string | undefined,
): Record<string, string> {
  const mapping = { ...summary.mapping };
  if (!spec) return mapping;
  for (const pair of spec.split(",")) {
    const eqAt = pair.lastIndexOf("=");
    if (eqAt < 1) throw badRequest(`--map expects Header=target, got ${pair}`);
    const header = pair.slice(0, eqAt).trim();
    const target = pair.slice(eqAt + 1).trim();
    const index = summary.headers.findIndex((h) => h.toLowerCase() === header.toLowerCase());
    if (index < 0) throw badRequest(`No column named ${header}`);
    for (const [k, t] of Object.entries(mapping)) if (t === target && target) delete mapping[k];
    mapping[String(index)] = target;
  }
  return mapping;
}
