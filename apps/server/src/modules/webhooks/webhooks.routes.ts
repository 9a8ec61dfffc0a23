import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZCreateWebhook, ZDelivery, ZDeliveryQuery, ZUpdateWebhook, ZWebhook } from "./webhooks.schema.ts";
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  retryDelivery,
  rotateSecret,
  sendPing,
  updateWebhook,
} from "./webhooks.service.ts";

const tags = ["webhooks"];
export const webhooksRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/webhooks",
    {
      schema: {
        tags,
        summary: "Outgoing webhooks (admins)",
        response: { 200: z.array(ZWebhook), ...errorResponses(401, 403) },
      },
    },
    async (req) => listWebhooks(req.ctx),
  );
  app.post(
    "/webhooks",
    {
      schema: {
        tags,
        summary: "Add a webhook; the answer carries its signing secret (admins)",
        body: ZCreateWebhook,
        response: { 201: ZWebhook, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createWebhook(req.ctx, req.body)),
  );
  app.patch(
    "/webhooks/:id",
    {
      schema: {
        tags,
        summary: "Change a webhook (admins)",
        params: ZIdParams,
        body: ZUpdateWebhook,
        response: { 200: ZWebhook, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateWebhook(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/webhooks/:id",
    {
      schema: {
        tags,
        summary: "Delete a webhook and its log (admins)",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteWebhook(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/webhooks/:id/rotate-secret",
    {
      schema: {
        tags,
        summary: "Replace the signing secret (admins)",
        params: ZIdParams,
        response: { 200: ZWebhook, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => rotateSecret(req.ctx, req.params.id),
  );
  app.post(
    "/webhooks/:id/ping",
    {
      schema: {
        tags,
        summary: "Send a test event (admins)",
        params: ZIdParams,
        response: { 202: z.object({ deliveryId: z.uuid() }), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(202).send(await sendPing(req.ctx, req.params.id)),
  );
  app.get(
    "/webhooks/:id/deliveries",
    {
      schema: {
        tags,
        summary: "The delivery log, newest first (admins)",
        params: ZIdParams,
        querystring: ZDeliveryQuery,
        response: { 200: z.array(ZDelivery), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => listDeliveries(req.ctx, req.params.id, req.query),
  );
  app.post(
    "/webhooks/:id/deliveries/:deliveryId/retry",
    {
      schema: {
        tags,
        summary: "Send a failed delivery again (admins)",
        params: z.strictObject({ id: z.uuid(), deliveryId: z.uuid() }),
        response: { 200: ZDelivery, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => retryDelivery(req.ctx, req.params.id, req.params.deliveryId),
  );
};
