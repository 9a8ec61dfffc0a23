import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZCreateTimeRule,
  ZCreateTrigger,
  ZSweepResult,
  ZTimeRule,
  ZTrigger,
  ZUpdateTimeRule,
  ZUpdateTrigger,
} from "./automations.schema.ts";
import {
  createTimeRule,
  deleteTimeRule,
  listTimeRules,
  runSweepNow,
  updateTimeRule,
} from "./time-rules.service.ts";
import { createTrigger, deleteTrigger, listTriggers, updateTrigger } from "./triggers.service.ts";

const tags = ["automations"];
const E = (...s: number[]) => errorResponses(...s);

export const automationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/triggers",
    {
      schema: {
        tags,
        summary: "Triggers in order (admins, managers)",
        response: { 200: z.array(ZTrigger), ...E(401, 403) },
      },
    },
    async (req) => listTriggers(req.ctx),
  );
  app.post(
    "/triggers",
    {
      schema: {
        tags,
        summary: "Add a trigger (admins, managers)",
        body: ZCreateTrigger,
        response: { 201: ZTrigger, ...E(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createTrigger(req.ctx, req.body)),
  );
  app.patch(
    "/triggers/:id",
    {
      schema: {
        tags,
        summary: "Change a trigger (admins, managers)",
        params: ZIdParams,
        body: ZUpdateTrigger,
        response: { 200: ZTrigger, ...E(400, 401, 403, 404) },
      },
    },
    async (req) => updateTrigger(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/triggers/:id",
    {
      schema: {
        tags,
        summary: "Delete a trigger (admins, managers)",
        params: ZIdParams,
        response: { 204: z.null(), ...E(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteTrigger(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    "/time-rules",
    {
      schema: {
        tags,
        summary: "Time-based rules (admins, managers)",
        response: { 200: z.array(ZTimeRule), ...E(401, 403) },
      },
    },
    async (req) => listTimeRules(req.ctx),
  );
  app.post(
    "/time-rules",
    {
      schema: {
        tags,
        summary: "Add a time-based rule (admins, managers)",
        body: ZCreateTimeRule,
        response: { 201: ZTimeRule, ...E(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createTimeRule(req.ctx, req.body)),
  );
  app.patch(
    "/time-rules/:id",
    {
      schema: {
        tags,
        summary: "Change a time-based rule (admins, managers)",
        params: ZIdParams,
        body: ZUpdateTimeRule,
        response: { 200: ZTimeRule, ...E(400, 401, 403, 404) },
      },
    },
    async (req) => updateTimeRule(req.ctx, req.params.id, req.body),
  );
  app.delete(
    "/time-rules/:id",
    {
      schema: {
        tags,
        summary: "Delete a time-based rule (admins, managers)",
        params: ZIdParams,
        response: { 204: z.null(), ...E(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteTimeRule(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/time-rules/run",
    {
      schema: {
        tags,
        summary: "Evaluate the time-based rules now (admins, managers)",
        response: { 200: ZSweepResult, ...E(401, 403) },
      },
    },
    async (req) => runSweepNow(req.ctx),
  );
};
