import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZCalendar,
  ZCalendarInput,
  ZCalendarList,
  ZCalendarPatch,
  ZPendingUntil,
  ZPolicy,
  ZPolicyInput,
  ZPolicyList,
  ZPolicyPatch,
  ZTicketSla,
} from "./sla.schema.ts";
import {
  createCalendar,
  createPolicy,
  deleteCalendar,
  deletePolicy,
  getCalendar,
  listCalendars,
  listPolicies,
  updateCalendar,
  updatePolicy,
} from "./sla.service.ts";
import { clearPendingUntil, setPendingUntil, ticketSla } from "./ticket-sla.ts";

const tags = ["sla"];
export const slaRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/sla/calendars",
    {
      schema: {
        tags,
        summary: "Business-hours calendars (the default one is created on first use)",
        response: { 200: ZCalendarList, ...errorResponses(401) },
      },
    },
    async (req) => listCalendars(req.ctx),
  );
  app.post(
    "/sla/calendars",
    {
      schema: {
        tags,
        summary: "Create a calendar (admin)",
        body: ZCalendarInput,
        response: { 201: ZCalendar, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.code(201).send(await createCalendar(req.ctx, req.body)),
  );
  app.get(
    "/sla/calendars/:id",
    {
      schema: {
        tags,
        summary: "One calendar",
        params: ZIdParams,
        response: { 200: ZCalendar, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => getCalendar(req.ctx, req.params.id),
  );
  app.patch(
    "/sla/calendars/:id",
    {
      schema: {
        tags,
        summary: "Change a calendar (admin)",
        params: ZIdParams,
        body: ZCalendarPatch,
        response: { 200: ZCalendar, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateCalendar(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/sla/calendars/:id",
    {
      schema: {
        tags,
        summary: "Delete a calendar (admin; not the default)",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await deleteCalendar(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/sla/policies",
    {
      schema: {
        tags,
        summary: "SLA policies in the order they are tried (the built-in default last)",
        response: { 200: ZPolicyList, ...errorResponses(401) },
      },
    },
    async (req) => listPolicies(req.ctx),
  );
  app.post(
    "/sla/policies",
    {
      schema: {
        tags,
        summary: "Create an SLA policy (admin)",
        body: ZPolicyInput,
        response: { 201: ZPolicy, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.code(201).send(await createPolicy(req.ctx, req.body)),
  );
  app.patch(
    "/sla/policies/:id",
    {
      schema: {
        tags,
        summary: "Change an SLA policy (admin)",
        params: ZIdParams,
        body: ZPolicyPatch,
        response: { 200: ZPolicy, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updatePolicy(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/sla/policies/:id",
    {
      schema: {
        tags,
        summary: "Delete an SLA policy (admin; not the default)",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await deletePolicy(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/tickets/:id/sla",
    {
      schema: {
        tags,
        summary: "A ticket's SLA clocks: due and goal times, pauses, met/breached records, pending-until",
        params: ZIdParams,
        response: { 200: ZTicketSla, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => ticketSla(req.ctx, req.params.id),
  );
  app.put(
    "/tickets/:id/pending-until",
    {
      schema: {
        tags,
        summary:
          "Set the ticket pending until a date; it comes back to the assignee then, or on the customer's reply",
        params: ZIdParams,
        body: ZPendingUntil,
        response: { 200: ZTicketSla, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => setPendingUntil(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/tickets/:id/pending-until",
    {
      schema: {
        tags,
        summary: "Cancel the pending-until reminder",
        params: ZIdParams,
        response: { 200: ZTicketSla, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => clearPendingUntil(req.ctx, req.params.id),
  );
};
