import { FIELD_ENTITIES } from "@rapport/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZCreateField, ZFieldDefinition, ZFieldQuery, ZUpdateField } from "./fields.schema.ts";
import { createField, listFields, reorderFields, updateField } from "./fields.service.ts";

export const fieldsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/fields",
    {
      schema: {
        tags: ["fields"],
        summary: "Custom field definitions (contacts, organizations, tickets), in their order",
        querystring: ZFieldQuery,
        response: { 200: z.array(ZFieldDefinition), ...errorResponses(400, 401) },
      },
    },
    async (req) => listFields(req.ctx, req.query),
  );
  app.post(
    "/fields",
    {
      schema: {
        tags: ["fields"],
        summary: "Define a custom field (admins)",
        body: ZCreateField,
        response: { 201: ZFieldDefinition, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createField(req.ctx, req.body)),
  );
  app.patch(
    "/fields/:id",
    {
      schema: {
        tags: ["fields"],
        summary: "Change a field's labels, options, required flag or position, or archive it (admins)",
        params: ZIdParams,
        body: ZUpdateField,
        response: { 200: ZFieldDefinition, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateField(req.ctx, req.params.id, req.body),
  );
  app.post(
    "/fields/order",
    {
      schema: {
        tags: ["fields"],
        summary: "Reorder an entity's fields (admins)",
        body: z.strictObject({ entity: z.enum(FIELD_ENTITIES), ids: z.array(z.uuid()).max(500) }),
        response: { 200: z.array(ZFieldDefinition), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => reorderFields(req.ctx, req.body.entity, req.body.ids),
  );
};
