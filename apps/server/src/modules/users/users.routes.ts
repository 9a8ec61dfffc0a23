import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZCreateUser, ZUpdateUser, ZUser } from "./users.schema.ts";
import { createUser, getUser, listUsers, updateUser } from "./users.service.ts";

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/users",
    {
      schema: {
        tags: ["users"],
        summary: "Agents, managers and admins",
        response: { 200: z.array(ZUser), ...errorResponses(401) },
      },
    },
    async (req) => listUsers(req.ctx),
  );
  app.post(
    "/users",
    {
      schema: {
        tags: ["users"],
        summary: "Create a user (admins)",
        body: ZCreateUser,
        response: { 201: ZUser, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createUser(req.ctx, req.body)),
  );
  app.get(
    "/users/:id",
    {
      schema: {
        tags: ["users"],
        summary: "One user",
        params: ZIdParams,
        response: { 200: ZUser, ...errorResponses(401, 404) },
      },
    },
    async (req) => getUser(req.ctx, req.params.id),
  );
  app.patch(
    "/users/:id",
    {
      schema: {
        tags: ["users"],
        summary: "Change a user's role, teams, languages or status (admins)",
        params: ZIdParams,
        body: ZUpdateUser,
        response: { 200: ZUser, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateUser(req.ctx, req.params.id, req.body),
  );
};
