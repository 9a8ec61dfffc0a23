import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses } from "../../http/schemas.ts";
import { ZCsatTrend, ZDrilldown, ZDrilldownQuery } from "./drilldown.schema.ts";
import { csatTrend, drilldown } from "./drilldown.service.ts";
import { ZReportQuery } from "./reports.schema.ts";

export const drilldownRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/reports/tickets",
    {
      schema: {
        tags: ["reports"],
        summary:
          "The tickets behind one dashboard point (a day, a weekday × hour cell, an agent...), with their timings; managers and admins",
        querystring: ZDrilldownQuery,
        response: { 200: ZDrilldown, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => drilldown(req.ctx, req.query),
  );
  app.get(
    "/reports/csat",
    {
      schema: {
        tags: ["reports"],
        summary: "CSAT per day of rating and the reasons given with bad ratings (visibility-scoped)",
        querystring: ZReportQuery,
        response: { 200: ZCsatTrend, ...errorResponses(400, 401) },
      },
    },
    async (req) => csatTrend(req.ctx, req.query),
  );
};
