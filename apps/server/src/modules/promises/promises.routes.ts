import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZCreatePromise,
  ZKeptRate,
  ZKeptRateQuery,
  ZPromise,
  ZPromiseList,
  ZPromiseQuery,
  ZUpdatePromise,
} from "./promises.schema.ts";
import {
  createPromise,
  getPromise,
  keptRate,
  listPromises,
  overduePromises,
  updatePromise,
} from "./promises.service.ts";

const tags = ["promises"];

export const promisesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/promises",
    {
      schema: {
        tags,
        summary: "Promises to customers by ticket, contact, owner and status, soonest due first",
        querystring: ZPromiseQuery,
        response: { 200: ZPromiseList, ...errorResponses(400, 401) },
      },
    },
    async (req) => listPromises(req.ctx, req.query),
  );
  app.get(
    "/promises/overdue",
    {
      schema: {
        tags,
        summary: "Overdue promises: the caller's, their team members' for managers, all for admins",
        response: { 200: ZPromiseList, ...errorResponses(401) },
      },
    },
    async (req) => overduePromises(req.ctx),
  );
  app.get(
    "/promises/kept-rate",
    {
      schema: {
        tags,
        summary: "Kept-on-time rate per agent or team (managers and admins)",
        querystring: ZKeptRateQuery,
        response: { 200: ZKeptRate, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => keptRate(req.ctx, req.query),
  );
  app.post(
    "/promises",
    {
      schema: {
        tags,
        summary: "Record a promise on a ticket or a contact",
        body: ZCreatePromise,
        response: { 201: ZPromise, ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => reply.code(201).send(await createPromise(req.ctx, req.body)),
  );
  app.get(
    "/promises/:id",
    {
      schema: {
        tags,
        summary: "One promise",
        params: ZIdParams,
        response: { 200: ZPromise, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => getPromise(req.ctx, req.params.id),
  );
  app.patch(
    "/promises/:id",
    {
      schema: {
        tags,
        summary: "Mark a promise kept or cancelled, or change its owner, due time or text",
        params: ZIdParams,
        body: ZUpdatePromise,
        response: { 200: ZPromise, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => updatePromise(req.ctx, req.params.id, req.body),
  );
};
