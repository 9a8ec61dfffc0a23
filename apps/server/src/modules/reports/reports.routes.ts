import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses } from "../../http/schemas.ts";
import {
  ZAgents,
  ZHeatmap,
  ZOverview,
  ZReportQuery,
  ZStaffing,
  ZStaffingQuery,
  ZTimeseries,
} from "./reports.schema.ts";
import { agentsReport, heatmap, overview, staffing, timeseries } from "./reports.service.ts";
import { ZErlangCInput, ZErlangCResult } from "./staffing.schema.ts";
import { calculateErlangC } from "./staffing.service.ts";

const tags = ["reports"];

export const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/staffing/erlang-c",
    {
      schema: {
        tags,
        summary:
          "Erlang C: agents needed for a service-level goal, and the waiting probability, speed of answer, service level and occupancy for a number of agents",
        body: ZErlangCInput,
        response: { 200: ZErlangCResult, ...errorResponses(400, 401) },
      },
    },
    async (req) => calculateErlangC(req.ctx, req.body),
  );
  app.get(
    "/reports/overview",
    {
      schema: {
        tags,
        summary:
          "Headline figures of the period and the previous one: new, solved, backlog, first response and resolution p50/p90 (calendar and business time), SLA compliance, CSAT, reopen rate, transfers per ticket",
        querystring: ZReportQuery,
        response: { 200: ZOverview, ...errorResponses(400, 401) },
      },
    },
    async (req) => overview(req.ctx, req.query),
  );
  app.get(
    "/reports/timeseries",
    {
      schema: {
        tags,
        summary: "New and solved tickets per day (organization time zone) and channel",
        querystring: ZReportQuery,
        response: { 200: ZTimeseries, ...errorResponses(400, 401) },
      },
    },
    async (req) => timeseries(req.ctx, req.query),
  );
  app.get(
    "/reports/heatmap",
    {
      schema: {
        tags,
        summary: "Arrivals by weekday × hour in the organization's time zone, per channel",
        querystring: ZReportQuery,
        response: { 200: ZHeatmap, ...errorResponses(400, 401) },
      },
    },
    async (req) => heatmap(req.ctx, req.query),
  );
  app.get(
    "/reports/agents",
    {
      schema: {
        tags,
        summary:
          "Per agent: solved, median first response and resolution, CSAT (an agent sees only their own row)",
        querystring: ZReportQuery,
        response: { 200: ZAgents, ...errorResponses(400, 401) },
      },
    },
    async (req) => agentsReport(req.ctx, req.query),
  );
  app.get(
    "/reports/staffing",
    {
      schema: {
        tags,
        summary:
          "Agents needed vs scheduled per weekday × hour: Erlang C for chat and phone, workload for email, with shrinkage",
        querystring: ZStaffingQuery,
        response: { 200: ZStaffing, ...errorResponses(400, 401) },
      },
    },
    async (req) => staffing(req.ctx, req.query),
  );
};
