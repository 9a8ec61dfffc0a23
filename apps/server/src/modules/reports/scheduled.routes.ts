import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZSchedule, ZScheduleInput, ZScheduleList, ZSchedulePatch, ZSendNow } from "./scheduled.schema.ts";
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  sendNow,
  updateSchedule,
} from "./scheduled.service.ts";

const tags = ["reports"];

/** Scheduled report emails (managers and administrators). */
export const scheduledRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/reports/schedules",
    {
      schema: {
        tags,
        summary: "Scheduled report emails (managers and administrators)",
        response: { 200: ZScheduleList, ...errorResponses(401, 403) },
      },
    },
    async (req) => listSchedules(req.ctx),
  );
  app.post(
    "/reports/schedules",
    {
      schema: {
        tags,
        summary:
          "Schedule a daily or weekly report email (team or organization) to chosen users, at an hour of the organization's time zone",
        body: ZScheduleInput,
        response: { 201: ZSchedule, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createSchedule(req.ctx, req.body)),
  );
  app.get(
    "/reports/schedules/:id",
    {
      schema: {
        tags,
        summary: "One scheduled report",
        params: ZIdParams,
        response: { 200: ZSchedule, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => getSchedule(req.ctx, req.params.id),
  );
  app.patch(
    "/reports/schedules/:id",
    {
      schema: {
        tags,
        summary: "Change a scheduled report (its next run is computed again)",
        params: ZIdParams,
        body: ZSchedulePatch,
        response: { 200: ZSchedule, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateSchedule(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/reports/schedules/:id",
    {
      schema: {
        tags,
        summary: "Delete a scheduled report",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteSchedule(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/reports/schedules/:id/send",
    {
      schema: {
        tags,
        summary: "Send the report now to its recipients (a preview of the period up to now)",
        params: ZIdParams,
        response: { 200: ZSendNow, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => sendNow(req.ctx, req.params.id),
  );
};
