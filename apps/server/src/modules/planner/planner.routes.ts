import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { cancelAbsence, createAbsence, listAbsences } from "./planner.absences.ts";
import { feedFor, revokeFeedToken, rotateFeedToken } from "./planner.ical.ts";
import {
  ZAbsence,
  ZAbsenceList,
  ZBoard,
  ZBoardQuery,
  ZCadence,
  ZCadenceOut,
  ZComplete,
  ZCompleteResult,
  ZCreateAbsence,
  ZIcalToken,
  ZItemsQuery,
  ZMove,
  ZMoveResult,
  ZPlanContact,
  ZPlannedContact,
  ZPlannedList,
  ZSettings,
  ZSpread,
  ZSpreadResult,
  ZToday,
  ZTodayQuery,
  ZUpdatePlanned,
  ZUpdateSettings,
  ZUserQuery,
} from "./planner.schema.ts";
import {
  board,
  completeContact,
  deleteCadence,
  fetchPlanned,
  getCadence,
  getSettings,
  listItems,
  moveContacts,
  planContact,
  setCadence,
  spread,
  today,
  updatePlanned,
  updateSettings,
} from "./planner.service.ts";

const tags = ["planner"];

export const plannerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/planner/today",
    {
      schema: {
        tags,
        summary: "The day's planned contacts (own and covered), missed ones carried over and flagged",
        querystring: ZTodayQuery,
        response: { 200: ZToday, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => today(req.ctx, req.query),
  );
  app.get(
    "/planner/board",
    {
      schema: {
        tags,
        summary:
          "Month board: days 1-31 with counts against capacity, overloaded days, tabs for the coming months",
        querystring: ZBoardQuery,
        response: { 200: ZBoard, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => board(req.ctx, req.query),
  );
  app.get(
    "/planner/items",
    {
      schema: {
        tags,
        summary: "Planned contacts between two dates (at most 62 days), for the board's cards",
        querystring: ZItemsQuery,
        response: { 200: ZPlannedList, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => listItems(req.ctx, req.query),
  );
  app.post(
    "/planner/contacts",
    {
      schema: {
        tags,
        summary: "Plan a contact with a client",
        body: ZPlanContact,
        response: { 201: ZPlannedContact, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await planContact(req.ctx, req.body)),
  );
  app.get(
    "/planner/contacts/:id",
    {
      schema: {
        tags,
        summary: "One planned contact",
        params: ZIdParams,
        response: { 200: ZPlannedContact, ...errorResponses(401, 404) },
      },
    },
    async (req) => fetchPlanned(req.ctx, req.params.id),
  );
  app.patch(
    "/planner/contacts/:id",
    {
      schema: {
        tags,
        summary: "Change, reassign or cancel a planned contact",
        params: ZIdParams,
        body: ZUpdatePlanned,
        response: { 200: ZPlannedContact, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updatePlanned(req.ctx, req.params.id, req.body),
  );
  app.post(
    "/planner/contacts/move",
    {
      schema: {
        tags,
        summary: "Move one or many planned contacts to a day (all or nothing)",
        body: ZMove,
        response: {
          200: ZMoveResult,
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (req) => moveContacts(req.ctx, req.body),
  );
  app.post(
    "/planner/spread",
    {
      schema: {
        tags,
        summary: "Spread a day: move the surplus over capacity to the next days with room",
        body: ZSpread,
        response: {
          200: ZSpreadResult,
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (req) => spread(req.ctx, req.body),
  );
  app.post(
    "/planner/contacts/:id/complete",
    {
      schema: {
        tags,
        summary: "Done (or missed) with an outcome, and the next contact in one step",
        params: ZIdParams,
        body: ZComplete,
        response: {
          200: ZCompleteResult,
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (req) => completeContact(req.ctx, req.params.id, req.body),
  );
  app.get(
    "/contacts/:id/cadence",
    {
      schema: {
        tags,
        summary: "A client's recurring cadence",
        params: ZIdParams,
        response: { 200: ZCadenceOut, ...errorResponses(401, 404) },
      },
    },
    async (req) => getCadence(req.ctx, req.params.id),
  );
  app.put(
    "/contacts/:id/cadence",
    {
      schema: {
        tags,
        summary: "Set a client's cadence (every N days, weeks or months)",
        params: ZIdParams,
        body: ZCadence,
        response: { 200: ZCadenceOut, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => setCadence(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/contacts/:id/cadence",
    {
      schema: {
        tags,
        summary: "Remove a client's cadence",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(401, 404) },
      },
    },
    async (req, reply) => {
      await deleteCadence(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    "/planner/settings",
    {
      schema: {
        tags,
        summary: "Capacity per day, working days, reminders",
        querystring: ZUserQuery,
        response: { 200: ZSettings, ...errorResponses(401, 404) },
      },
    },
    async (req) => getSettings(req.ctx, req.query.userId),
  );
  app.patch(
    "/planner/settings",
    {
      schema: {
        tags,
        summary: "Change planner settings (own; managers for anyone)",
        querystring: ZUserQuery,
        body: ZUpdateSettings,
        response: { 200: ZSettings, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => updateSettings(req.ctx, req.query.userId, req.body),
  );
  app.get(
    "/planner/absences",
    {
      schema: {
        tags,
        summary: "Absences (agents: own and covered; managers: all)",
        response: { 200: ZAbsenceList, ...errorResponses(401) },
      },
    },
    async (req) => listAbsences(req.ctx),
  );
  app.post(
    "/planner/absences",
    {
      schema: {
        tags,
        summary:
          "Record an absence: plan and open tickets go to the colleague for the period, and back afterwards",
        body: ZCreateAbsence,
        response: { 201: ZAbsence, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await createAbsence(req.ctx, req.body)),
  );
  app.delete(
    "/planner/absences/:id",
    {
      schema: {
        tags,
        summary: "Cancel an absence (an active one hands everything back now)",
        params: ZIdParams,
        response: { 200: ZAbsence, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => cancelAbsence(req.ctx, req.params.id),
  );
  app.post(
    "/planner/ical-token",
    {
      schema: {
        tags,
        summary: "Create or replace the private calendar feed URL (the token is shown once)",
        response: { 201: ZIcalToken, ...errorResponses(401) },
      },
    },
    async (req, reply) => reply.status(201).send(await rotateFeedToken(req.ctx)),
  );
  app.delete(
    "/planner/ical-token",
    {
      schema: {
        tags,
        summary: "Revoke the calendar feed",
        response: { 204: z.null(), ...errorResponses(401) },
      },
    },
    async (req, reply) => {
      await revokeFeedToken(req.ctx);
      return reply.status(204).send(null);
    },
  );
  app.get(
    "/planner/ical/:token",
    {
      config: { public: true },
      schema: {
        tags,
        summary: "The private iCalendar feed (RFC 5545) behind a secret token",
        params: z.strictObject({ token: z.string().max(120) }),
      },
    },
    async (req, reply) => {
      const token = req.params.token.replace(/\.ics$/, "");
      const body = await feedFor(req.server.services, token);
      return reply
        .header("content-type", "text/calendar; charset=utf-8")
        .header("cache-control", "private, max-age=300")
        .send(body);
    },
  );
};
