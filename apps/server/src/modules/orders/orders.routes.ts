import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZInboundHeaders } from "../channels/channels.schema.ts";
import { createShop, listShops, receiveOrder, rotateShopSecret, updateShop } from "./intake.ts";
import {
  ZContactOrders,
  ZContactOrdersQuery,
  ZCreateOrder,
  ZCreateShop,
  ZIntakeOrder,
  ZIntakeResult,
  ZLinkTicket,
  ZOrder,
  ZOrderList,
  ZOrderQuery,
  ZShop,
  ZShopWithSecret,
  ZUpdateOrder,
  ZUpdateShop,
} from "./orders.schema.ts";
import {
  contactOrders,
  createOrder,
  getOrder,
  linkTicket,
  listOrders,
  unlinkTicket,
  updateOrder,
} from "./orders.service.ts";

const tags = ["orders"];
const INTAKE_BODY_LIMIT = 1024 * 1024;
/** Per shop: a busy shop's bursts (and an import through the intake) stay well inside. */
export const INTAKE_PER_MINUTE = 60_000;

/** The shops' endpoint: the raw body is kept as bytes (the signature covers them exactly). */
const intakeRoute: FastifyPluginAsyncZod = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: INTAKE_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );
  app.post(
    "/orders/intake/:key",
    {
      bodyLimit: INTAKE_BODY_LIMIT,
      config: {
        public: true,
        rateLimit: {
          max: INTAKE_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (req) => `order-intake:${(req.params as { key?: string }).key ?? ""}:${req.ip}`,
        },
      },
      validatorCompiler: () => (data) => ({ value: data }),
      schema: {
        tags,
        summary:
          "Shop order intake: a shop (or its bridge) posts one new or changed order, signed with HMAC-SHA256",
        description: [
          "Sign `${timestamp}.${rawBody}` with the shop secret (HMAC-SHA256, hex) and send it as",
          "`X-Rapport-Signature: sha256=<hex>` with `X-Rapport-Timestamp: <unix seconds>`. Refused with nothing",
          "written: unknown or inactive shop (404), unsigned or bad signature (401 `unsigned`/`bad_signature`),",
          "timestamp more than 300 s away (401 `replayed`), the same signed call again (409 `replayed`), malformed",
          "order (400 `malformed`). The same shop order `id` again updates that order (`updated` or `unchanged`).",
          "Mapping: docs/customer-value.md.",
        ].join(" "),
        security: [],
        params: z.strictObject({ key: z.string().min(10).max(100) }),
        headers: ZInboundHeaders,
        body: ZIntakeOrder,
        response: { 200: ZIntakeResult, ...errorResponses(400, 401, 404, 409, 413, 429) },
      },
    },
    async (req) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return receiveOrder(req.ctx, req.params.key, raw, req.headers);
    },
  );
};

export const ordersRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(intakeRoute);
  app.get(
    "/orders",
    {
      schema: {
        tags,
        summary: "Orders, newest first, by contact, organization, linked ticket or status",
        querystring: ZOrderQuery,
        response: { 200: ZOrderList, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => listOrders(req.ctx, req.query),
  );
  app.post(
    "/orders",
    {
      schema: {
        tags,
        summary: "Record an order for a contact (found or created by email or phone); managers and admins",
        body: ZCreateOrder,
        response: { 201: ZOrder, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.code(201).send(await createOrder(req.ctx, req.body)),
  );
  app.get(
    "/orders/shops",
    {
      schema: {
        tags,
        summary: "Shops that post orders to the signed intake (admins)",
        response: { 200: z.object({ items: z.array(ZShop) }), ...errorResponses(401, 403) },
      },
    },
    async (req) => listShops(req.ctx),
  );
  app.post(
    "/orders/shops",
    {
      schema: {
        tags,
        summary: "Add a shop: returns its intake URL and its secret (shown once)",
        body: ZCreateShop,
        response: { 201: ZShopWithSecret, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.code(201).send(await createShop(req.ctx, req.body)),
  );
  app.patch(
    "/orders/shops/:id",
    {
      schema: {
        tags,
        summary: "Rename or deactivate a shop",
        params: ZIdParams,
        body: ZUpdateShop,
        response: { 200: ZShop, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateShop(req.ctx, req.params.id, req.body),
  );
  app.post(
    "/orders/shops/:id/rotate-secret",
    {
      schema: {
        tags,
        summary: "Replace a shop's secret (the old one stops working at once); the new one is shown once",
        params: ZIdParams,
        response: { 200: ZShopWithSecret, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => rotateShopSecret(req.ctx, req.params.id),
  );
  app.get(
    "/orders/:id",
    {
      schema: {
        tags,
        summary: "One order",
        params: ZIdParams,
        response: { 200: ZOrder, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => getOrder(req.ctx, req.params.id),
  );
  app.patch(
    "/orders/:id",
    {
      schema: {
        tags,
        summary:
          "Change an order (status: paid, shipped, delivered, cancelled, refunded...); managers and admins",
        params: ZIdParams,
        body: ZUpdateOrder,
        response: { 200: ZOrder, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateOrder(req.ctx, req.params.id, req.body),
  );
  app.post(
    "/orders/:id/tickets",
    {
      schema: {
        tags,
        summary: "Link a ticket the caller can see to this order",
        params: ZIdParams,
        body: ZLinkTicket,
        response: { 200: ZOrder, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => linkTicket(req.ctx, req.params.id, req.body.ticketId),
  );
  app.delete(
    "/orders/:id/tickets/:ticketId",
    {
      schema: {
        tags,
        summary: "Unlink a ticket from this order",
        params: z.strictObject({ id: z.uuid(), ticketId: z.uuid() }),
        response: { 200: ZOrder, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => unlinkTicket(req.ctx, req.params.id, req.params.ticketId),
  );
  app.get(
    "/contacts/:id/orders",
    {
      schema: {
        tags,
        summary: "A contact's orders, newest first, with lifetime purchases and spend",
        params: ZIdParams,
        querystring: ZContactOrdersQuery,
        response: { 200: ZContactOrders, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => contactOrders(req.ctx, req.params.id, req.query),
  );
};
