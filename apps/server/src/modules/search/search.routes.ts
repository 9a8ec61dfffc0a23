import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses } from "../../http/schemas.ts";
import { ZSearchQuery, ZSearchResult } from "./search.schema.ts";
import { search } from "./search.service.ts";

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/search",
    {
      schema: {
        tags: ["search"],
        summary:
          "Search tickets, messages and contacts (any language; Vietnamese without diacritics; Khmer without spaces)",
        querystring: ZSearchQuery,
        response: { 200: ZSearchResult, ...errorResponses(400, 401) },
      },
    },
    async (req) => search(req.ctx, req.query),
  );
};
