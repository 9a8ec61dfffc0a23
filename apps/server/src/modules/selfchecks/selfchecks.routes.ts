import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZReport,
  ZReportQuery,
  ZRun,
  ZRunList,
  ZRunQuery,
  ZScheduleInput,
  ZScheduleList,
  ZSchedulePatch,
  ZScheduleRow,
} from "./selfchecks.schema.ts";
import {
  createSchedule,
  deleteSchedule,
  listRuns,
  listSchedules,
  report,
  runNow,
  updateSchedule,
} from "./selfchecks.service.ts";

const tags = ["self-checks"];

/** Service self-checks: mystery-customer checks per channel (administrators only). */
export const selfChecksRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/self-checks",
    {
      schema: {
        tags,
        summary: "Self-check schedules, one per channel and target",
        response: { 200: ZScheduleList, ...errorResponses(401, 403) },
      },
    },
    async (req) => listSchedules(req.ctx),
  );
  app.post(
    "/self-checks",
    {
      schema: {
        tags,
        summary: "Schedule mystery-customer checks on a channel (email, chat, web form), N per week",
        body: ZScheduleInput,
        response: { 201: ZScheduleRow, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createSchedule(req.ctx, req.body)),
  );
  app.patch(
    "/self-checks/:id",
    {
      schema: {
        tags,
        summary: "Change a self-check schedule (the week's checks not yet started are planned again)",
        params: ZIdParams,
        body: ZSchedulePatch,
        response: { 200: ZScheduleRow, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateSchedule(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/self-checks/:id",
    {
      schema: {
        tags,
        summary: "Delete a self-check schedule (its finished runs stay in the report)",
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
    "/self-checks/:id/run",
    {
      schema: {
        tags,
        summary: "Run one check of the schedule now",
        params: ZIdParams,
        response: { 202: ZRun, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(202).send(await runNow(req.ctx, req.params.id)),
  );
  app.get(
    "/self-checks/runs",
    {
      schema: {
        tags,
        summary: "Checks planned, sent, answered, expired or failed, newest first",
        querystring: ZRunQuery,
        response: { 200: ZRunList, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => listRuns(req.ctx, req.query),
  );
  app.get(
    "/self-checks/report",
    {
      schema: {
        tags,
        summary:
          "Per channel and week: checks sent and answered, median time to the first human answer, promises kept",
        querystring: ZReportQuery,
        response: { 200: ZReport, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => report(req.ctx, req.query),
  );
};
