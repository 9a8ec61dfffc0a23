import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requireAgent } from "../../auth/policies.ts";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  callbackReport,
  getCallback,
  listCallbacks,
  myReminders,
  requestCallback,
  updateCallback,
} from "./callbacks.service.ts";
import { getCall, getCallByMessage, listCalls, logCall, logCallbackAttempt } from "./calls.service.ts";
import {
  ZCall,
  ZCallback,
  ZCallbackList,
  ZCallbackOutcome,
  ZCallbackPage,
  ZCallbackQuery,
  ZCallbackReport,
  ZCallbackReportQuery,
  ZCallList,
  ZCallQuery,
  ZCreateCallback,
  ZLogCall,
  ZUpdateCallback,
} from "./phone.schema.ts";

const tags = ["phone"];

export const phoneRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/phone/calls",
    {
      schema: {
        tags,
        summary:
          "Log a call (inbound/outbound, E.164 number, duration, outcome, notes) on a ticket, on a new phone ticket, or on the contact",
        body: ZLogCall,
        response: { 201: ZCall, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await logCall(req.ctx, req.body)),
  );
  app.get(
    "/phone/calls",
    {
      schema: {
        tags,
        summary: "Calls of a ticket or of a contact, newest first",
        querystring: ZCallQuery,
        response: { 200: ZCallList, ...errorResponses(400, 401) },
      },
    },
    async (req) => listCalls(req.ctx, req.query),
  );
  app.get(
    "/phone/calls/:id",
    {
      schema: {
        tags,
        summary: "One call",
        params: ZIdParams,
        response: { 200: ZCall, ...errorResponses(401, 404) },
      },
    },
    async (req) => getCall(req.ctx, req.params.id),
  );
  app.get(
    "/phone/calls/by-message/:id",
    {
      schema: {
        tags,
        summary: "The call a thread message shows",
        params: ZIdParams,
        response: { 200: ZCall, ...errorResponses(401, 404) },
      },
    },
    async (req) => getCallByMessage(req.ctx, req.params.id),
  );
  app.post(
    "/phone/callbacks",
    {
      schema: {
        tags,
        summary: "Put a call-back in the queue on a customer's behalf (phone, preferred window, topic)",
        body: ZCreateCallback,
        response: { 201: ZCallback, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      requireAgent(req.ctx.actor);
      const row = await requestCallback(req.ctx, { ...req.body, source: "agent" });
      return reply.status(201).send(await getCallback(req.ctx, row.id));
    },
  );
  app.get(
    "/phone/callbacks",
    {
      schema: {
        tags,
        summary: "The call-back queue, soonest due first (open by default); overdue ones are flagged",
        querystring: ZCallbackQuery,
        response: { 200: ZCallbackPage, ...errorResponses(400, 401) },
      },
    },
    async (req) => listCallbacks(req.ctx, req.query),
  );
  app.get(
    "/phone/callbacks/report",
    {
      schema: {
        tags,
        summary: "Call-backs kept on time for those due in a period, overall and per agent",
        querystring: ZCallbackReportQuery,
        response: { 200: ZCallbackReport, ...errorResponses(400, 401) },
      },
    },
    async (req) => callbackReport(req.ctx, req.query),
  );
  app.get(
    "/phone/callbacks/reminders",
    {
      schema: {
        tags,
        summary: "The caller's due call-backs whose reminder fired",
        response: { 200: ZCallbackList, ...errorResponses(401) },
      },
    },
    async (req) => myReminders(req.ctx),
  );
  app.get(
    "/phone/callbacks/:id",
    {
      schema: {
        tags,
        summary: "One call-back",
        params: ZIdParams,
        response: { 200: ZCallback, ...errorResponses(401, 404) },
      },
    },
    async (req) => getCallback(req.ctx, req.params.id),
  );
  app.patch(
    "/phone/callbacks/:id",
    {
      schema: {
        tags,
        summary: "Assign, reschedule, re-team, edit the topic or cancel a call-back",
        params: ZIdParams,
        body: ZUpdateCallback,
        response: { 200: ZCallback, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateCallback(req.ctx, req.params.id, req.body),
  );
  app.post(
    "/phone/callbacks/:id/outcome",
    {
      schema: {
        tags,
        summary:
          "Log an attempt: reached or wrong number closes the call-back; no answer re-queues it at retryAt",
        params: ZIdParams,
        body: ZCallbackOutcome,
        response: { 200: ZCallback, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => logCallbackAttempt(req.ctx, req.params.id, req.body),
  );
};
