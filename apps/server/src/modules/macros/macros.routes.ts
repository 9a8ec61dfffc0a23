import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZAppliedMacro,
  ZApplyMacro,
  ZCreateMacro,
  ZMacro,
  ZMacroQuery,
  ZSavedMacro,
  ZUpdateMacro,
} from "./macros.schema.ts";
import { applyMacro, createMacro, deleteMacro, getMacro, listMacros, updateMacro } from "./macros.service.ts";

const tags = ["macros"];
export const macrosRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/macros",
    {
      schema: {
        tags,
        summary: "Shared macros and my own, searched by title and text",
        querystring: ZMacroQuery,
        response: { 200: z.array(ZMacro), ...errorResponses(400, 401) },
      },
    },
    async (req) => listMacros(req.ctx, req.query),
  );
  app.post(
    "/macros",
    {
      schema: {
        tags,
        summary:
          "Create a personal macro, or a shared one (admins, managers); answers with the tone check of its texts",
        body: ZCreateMacro,
        response: { 201: ZSavedMacro, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createMacro(req.ctx, req.body)),
  );
  app.get(
    "/macros/:id",
    {
      schema: {
        tags,
        summary: "One macro",
        params: ZIdParams,
        response: { 200: ZMacro, ...errorResponses(401, 404) },
      },
    },
    async (req) => getMacro(req.ctx, req.params.id),
  );
  app.patch(
    "/macros/:id",
    {
      schema: {
        tags,
        summary:
          "Change a macro (its owner; shared ones: admins, managers); answers with the tone check of its texts",
        params: ZIdParams,
        body: ZUpdateMacro,
        response: { 200: ZSavedMacro, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateMacro(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/macros/:id",
    {
      schema: {
        tags,
        summary: "Delete a macro",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteMacro(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/macros/:id/apply",
    {
      schema: {
        tags,
        summary: "Apply a macro to a ticket: run its actions, get its reply with placeholders filled",
        params: ZIdParams,
        body: ZApplyMacro,
        response: { 200: ZAppliedMacro, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => applyMacro(req.ctx, req.params.id, req.body),
  );
};
