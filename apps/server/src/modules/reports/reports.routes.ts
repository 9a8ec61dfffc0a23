import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses } from "../../http/schemas.ts";
import { ZErlangCInput, ZErlangCResult } from "./staffing.schema.ts";
import { calculateErlangC } from "./staffing.service.ts";

export const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/staffing/erlang-c",
    {
      schema: {
        tags: ["reports"],
        summary:
          "Erlang C: agents needed for a service-level goal, and the waiting probability, speed of answer, service level and occupancy for a number of agents",
        body: ZErlangCInput,
        response: { 200: ZErlangCResult, ...errorResponses(400, 401) },
      },
    },
    async (req) => calculateErlangC(req.ctx, req.body),
  );
};
