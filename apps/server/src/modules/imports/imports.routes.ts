import { PassThrough, type Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { AppError } from "../../lib/errors.ts";
import { ZContactQuery, ZOrganizationQuery } from "../contacts/contacts.schema.ts";
import { gatherCustomFieldParams } from "../fields/fields.schema.ts";
import { ZTicketQuery } from "../tickets/tickets.schema.ts";
import { csvLimits, IMPORT_ENCODINGS } from "./csv.ts";
import { exportContacts, exportOrganizations, exportTickets } from "./export.service.ts";
import {
  deleteImport,
  dryRunImport,
  getImport,
  listImports,
  runImport,
  uploadImport,
} from "./imports.service.ts";

const ZRowError = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  field: z.string(),
  code: z.string(),
  message: z.string(),
});
const ZReport = z.object({
  rowCount: z.number().int(),
  errorCount: z.number().int(),
  errors: z.array(ZRowError),
  newOrganizations: z.array(z.string()),
  encoding: z.string(),
});
const ZImport = z.object({
  id: z.uuid(),
  entity: z.enum(["contact", "organization", "order"]),
  filename: z.string(),
  encoding: z.string(),
  size: z.number().int(),
  status: z.string(),
  mapping: z.record(z.string(), z.string()),
  rowCount: z.number().int(),
  errorCount: z.number().int(),
  insertedCount: z.number().int(),
  report: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  headers: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  targets: z.array(z.object({ key: z.string(), label: z.string(), required: z.boolean() })).optional(),
});
const ZRunOptions = z.strictObject({
  /** Column index (as a string) -> target: name, email, phone, ..., or cf.<key>; "" ignores a column. */
  mapping: z.record(z.string().regex(/^\d{1,3}$/), z.string().max(60)),
  encoding: z.enum(IMPORT_ENCODINGS).optional(),
  defaultCountry: z.string().length(2).optional(),
});

/** Streams bypass Fastify's serializer; the declared 200 schemas only document the payload. */
const streamed = (s: Readable) => s as unknown as string;

const gatherCf = async (req: FastifyRequest) => {
  req.query = gatherCustomFieldParams(req.query);
};
const csvHeaders = (name: string) => ({
  "content-type": "text/csv; charset=utf-8",
  "content-disposition": `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
  "cache-control": "no-store",
});

export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser(
    "text/csv",
    { parseAs: "buffer", bodyLimit: csvLimits.maxBytes },
    (_req, body, done) => done(null, body),
  );

  app.post(
    "/imports",
    {
      bodyLimit: csvLimits.maxBytes,
      schema: {
        tags: ["imports"],
        summary:
          "Upload a CSV file of contacts, organizations or orders (body: text/csv); returns headers and a guessed mapping",
        querystring: z.strictObject({
          entity: z.enum(["contact", "organization", "order"]),
          filename: z.string().max(255).default("import.csv"),
          encoding: z.enum(IMPORT_ENCODINGS).default("auto"),
        }),
        response: { 201: ZImport, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body))
        throw new AppError("unsupported_media_type", 415, "Send the file as text/csv");
      const summary = await uploadImport(req.ctx, { ...req.query, data: req.body });
      return reply.status(201).send(summary);
    },
  );
  app.get(
    "/imports",
    {
      schema: {
        tags: ["imports"],
        summary: "Recent imports (admins)",
        response: { 200: z.array(ZImport), ...errorResponses(401, 403) },
      },
    },
    async (req) => listImports(req.ctx),
  );
  app.get(
    "/imports/:id",
    {
      schema: {
        tags: ["imports"],
        summary: "One import with its headers, sample rows, mapping and last report",
        params: ZIdParams,
        response: { 200: ZImport, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => getImport(req.ctx, req.params.id),
  );
  app.delete(
    "/imports/:id",
    {
      schema: {
        tags: ["imports"],
        summary: "Discard an import that has not run",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await deleteImport(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/imports/:id/dry-run",
    {
      schema: {
        tags: ["imports"],
        summary: "Check every row with this mapping; writes nothing; returns each row's problems",
        params: ZIdParams,
        body: ZRunOptions,
        response: { 200: ZReport, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => dryRunImport(req.ctx, req.params.id, req.body),
  );
  app.post(
    "/imports/:id/run",
    {
      schema: {
        tags: ["imports"],
        summary:
          "Import all rows in one transaction, or none when any row has a problem (422 with the report). With `Accept: application/x-ndjson` the answer streams progress lines, then a done or error line.",
        params: ZIdParams,
        body: ZRunOptions,
        response: {
          200: z.union([z.object({ inserted: z.number().int(), report: ZReport }), z.string()]),
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (req, reply) => {
      if (!String(req.headers.accept ?? "").includes("application/x-ndjson"))
        return runImport(req.ctx, req.params.id, req.body);
      // Authorization and existence first, so those stay plain HTTP errors.
      await getImport(req.ctx, req.params.id);
      const out = new PassThrough();
      reply.header("content-type", "application/x-ndjson; charset=utf-8").header("cache-control", "no-store");
      let last = 0;
      runImport(req.ctx, req.params.id, req.body, (p) => {
        const now = Date.now();
        if (now - last > 100 || p.done === p.total) {
          last = now;
          out.write(`${JSON.stringify({ type: "progress", ...p })}\n`);
        }
      })
        .then((r) => out.end(`${JSON.stringify({ type: "done", inserted: r.inserted, report: r.report })}\n`))
        .catch((err: unknown) => {
          const e =
            err instanceof AppError
              ? { code: err.code, message: err.message, details: err.details, status: err.status }
              : { code: "internal", message: "Something went wrong", status: 500 };
          if (!(err instanceof AppError)) req.log.error({ err }, "import failed");
          out.end(`${JSON.stringify({ type: "error", error: e })}\n`);
        });
      return reply.send(streamed(out));
    },
  );

  app.get(
    "/contacts/export.csv",
    {
      schema: {
        tags: ["contacts"],
        summary: "The filtered contact list as CSV (same filters as GET /contacts, including cf.<key>)",
        querystring: ZContactQuery.omit({ cursor: true, limit: true }),
        response: { 200: z.string(), ...errorResponses(400, 401) },
      },
      preValidation: gatherCf,
    },
    async (req, reply) =>
      reply.headers(csvHeaders("contacts")).send(streamed(await exportContacts(req.ctx, req.query))),
  );
  app.get(
    "/organizations/export.csv",
    {
      schema: {
        tags: ["organizations"],
        summary: "The filtered organization list as CSV",
        querystring: ZOrganizationQuery.omit({ cursor: true, limit: true }),
        response: { 200: z.string(), ...errorResponses(400, 401) },
      },
      preValidation: gatherCf,
    },
    async (req, reply) =>
      reply
        .headers(csvHeaders("organizations"))
        .send(streamed(await exportOrganizations(req.ctx, req.query))),
  );
  app.get(
    "/tickets/export.csv",
    {
      schema: {
        tags: ["tickets"],
        summary: "The filtered ticket list as CSV, limited to the tickets the caller may see",
        querystring: ZTicketQuery.omit({ cursor: true, limit: true, sort: true, order: true }),
        response: { 200: z.string(), ...errorResponses(400, 401) },
      },
      preValidation: gatherCf,
    },
    async (req, reply) =>
      reply.headers(csvHeaders("tickets")).send(streamed(await exportTickets(req.ctx, req.query))),
  );
};
