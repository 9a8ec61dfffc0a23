import type { Readable } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { createTier, listTiers, postLedgerEntry } from "./value.loyalty.ts";
import { runRemindersNow } from "./value.reminders.ts";
import {
  ZContactValue,
  ZCreateTier,
  ZCustomerList,
  ZCustomersQuery,
  ZLedgerEntryInput,
  ZLedgerView,
  ZMatrix,
  ZRemindersRun,
  ZSetRelationship,
  ZTier,
  ZTierList,
  ZUpdateValueSettings,
  ZValueSettings,
} from "./value.schema.ts";
import {
  contactValue,
  customers,
  customersCsv,
  getValueSettings,
  matrix,
  recompute,
  setRelationshipType,
  updateValueSettings,
} from "./value.service.ts";

const tags = ["customer value"];
/** Streams bypass Fastify's serializer; the declared 200 schema documents the JSON form. */
const streamed = (s: Readable) => s as unknown as z.infer<typeof ZCustomerList>;

export const valueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/rfm/matrix",
    {
      schema: {
        tags,
        summary:
          "The activity matrix: R × F cells, segment counts and their trend by quarter, never-returned share",
        response: { 200: ZMatrix, ...errorResponses(401, 404) },
      },
    },
    async (req) => matrix(req.ctx),
  );
  app.get(
    "/rfm/customers",
    {
      schema: {
        tags,
        summary: "Customers of a segment or a matrix cell (r, f); `format=csv` exports the whole list",
        querystring: ZCustomersQuery,
        response: { 200: ZCustomerList, ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      if (req.query.format === "csv")
        return reply
          .headers({
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="customers-${req.query.segment ?? "all"}-${new Date().toISOString().slice(0, 10)}.csv"`,
            "cache-control": "no-store",
          })
          .send(streamed(await customersCsv(req.ctx, req.query)));
      return customers(req.ctx, req.query);
    },
  );
  app.post(
    "/value/reminders/run",
    {
      schema: {
        tags,
        summary: "Send the due lapse reminders now (the hourly job does it too); admins",
        body: z.strictObject({}).optional(),
        response: {
          200: ZRemindersRun,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => runRemindersNow(req.ctx),
  );
  app.post(
    "/rfm/recompute",
    {
      schema: {
        tags,
        summary: "Recompute every customer's value now (the nightly job does it too); admins",
        response: {
          200: z.object({ customers: z.number().int(), changed: z.number().int() }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => recompute(req.ctx),
  );
  app.get(
    "/value/settings",
    {
      schema: {
        tags,
        summary: "Customer-value settings: window, currency and rates, intervals, reminders, earn rules",
        response: { 200: ZValueSettings, ...errorResponses(401, 404) },
      },
    },
    async (req) => getValueSettings(req.ctx),
  );
  app.patch(
    "/value/settings",
    {
      schema: {
        tags,
        summary: "Change the customer-value settings (admins); every customer is recomputed",
        body: ZUpdateValueSettings,
        response: { 200: ZValueSettings, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => updateValueSettings(req.ctx, req.body),
  );
  app.get(
    "/contacts/:id/value",
    {
      schema: {
        tags,
        summary:
          "A customer's value: scores, segment, expected interval, next reminder, tier, points, relationship type",
        params: ZIdParams,
        response: { 200: ZContactValue, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => contactValue(req.ctx, req.params.id),
  );
  app.patch(
    "/contacts/:id/value",
    {
      schema: {
        tags,
        summary: "Confirm or change a customer's relationship type (the account manager, managers, admins)",
        params: ZIdParams,
        body: ZSetRelationship,
        response: { 200: ZContactValue, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => setRelationshipType(req.ctx, req.params.id, req.body),
  );
  app.get(
    "/loyalty/tiers",
    {
      schema: {
        tags,
        summary: "Loyalty tiers, lowest rank first, with thresholds and benefits",
        response: { 200: ZTierList, ...errorResponses(401, 404) },
      },
    },
    async (req) => listTiers(req.ctx),
  );
  app.post(
    "/loyalty/tiers",
    {
      schema: {
        tags,
        summary: "Add a tier (admins); customers who already qualify move up at once",
        body: ZCreateTier,
        response: { 201: ZTier, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await createTier(req.ctx, req.body)),
  );
  app.post(
    "/loyalty/ledger",
    {
      schema: {
        tags,
        summary:
          "Grant or redeem a customer's points (managers, admins); returns the balance and the last entries",
        body: ZLedgerEntryInput,
        response: { 200: ZLedgerView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => postLedgerEntry(req.ctx, req.body),
  );
};
