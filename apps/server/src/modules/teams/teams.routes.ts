import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZCreateTeam, ZTeam, ZUpdateTeam } from "./teams.schema.ts";
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from "./teams.service.ts";

export const teamsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/teams",
    {
      schema: {
        tags: ["teams"],
        summary: "Teams and their members",
        response: { 200: z.array(ZTeam), ...errorResponses(401) },
      },
    },
    async (req) => listTeams(req.ctx),
  );
  app.post(
    "/teams",
    {
      schema: {
        tags: ["teams"],
        summary: "Create a team (admins)",
        body: ZCreateTeam,
        response: { 201: ZTeam, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createTeam(req.ctx, req.body)),
  );
  app.get(
    "/teams/:id",
    {
      schema: {
        tags: ["teams"],
        summary: "One team",
        params: ZIdParams,
        response: { 200: ZTeam, ...errorResponses(401, 404) },
      },
    },
    async (req) => getTeam(req.ctx, req.params.id),
  );
  app.patch(
    "/teams/:id",
    {
      schema: {
        tags: ["teams"],
        summary: "Rename a team or set its members (admins)",
        params: ZIdParams,
        body: ZUpdateTeam,
        response: { 200: ZTeam, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateTeam(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/teams/:id",
    {
      schema: {
        tags: ["teams"],
        summary: "Delete a team; its tickets move to no team (admins)",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteTeam(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
};
