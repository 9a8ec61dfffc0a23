import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZPage } from "../tickets/tickets.schema.ts";
import {
  ZContact,
  ZContactQuery,
  ZCreateContact,
  ZCreateOrganization,
  ZOrganization,
  ZUpdateContact,
  ZUpdateOrganization,
} from "./contacts.schema.ts";
import { createContact, getContact, listContacts, updateContact } from "./contacts.service.ts";
import {
  createOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from "./organizations.service.ts";

export const contactsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/contacts",
    {
      schema: {
        tags: ["contacts"],
        summary:
          "Customers, newest first; filter by name/email fragment, exact email or phone, organization, tag",
        querystring: ZContactQuery,
        response: { 200: ZPage(ZContact), ...errorResponses(400, 401) },
      },
    },
    async (req) => listContacts(req.ctx, req.query),
  );
  app.post(
    "/contacts",
    {
      schema: {
        tags: ["contacts"],
        summary: "Create a customer",
        body: ZCreateContact,
        response: { 201: ZContact, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createContact(req.ctx, req.body)),
  );
  app.get(
    "/contacts/:id",
    {
      schema: {
        tags: ["contacts"],
        summary: "One customer",
        params: ZIdParams,
        response: { 200: ZContact, ...errorResponses(401, 404) },
      },
    },
    async (req) => getContact(req.ctx, req.params.id),
  );
  app.patch(
    "/contacts/:id",
    {
      schema: {
        tags: ["contacts"],
        summary: "Change a customer; emails and phones given replace the current ones",
        params: ZIdParams,
        body: ZUpdateContact,
        response: { 200: ZContact, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => updateContact(req.ctx, req.params.id, req.body),
  );

  app.get(
    "/organizations",
    {
      schema: {
        tags: ["organizations"],
        summary: "Companies customers belong to",
        querystring: z.strictObject({ q: z.string().max(200).optional() }),
        response: { 200: z.array(ZOrganization), ...errorResponses(401) },
      },
    },
    async (req) => listOrganizations(req.ctx, req.query.q),
  );
  app.post(
    "/organizations",
    {
      schema: {
        tags: ["organizations"],
        summary: "Create a company; new contacts with an email at one of its domains join it",
        body: ZCreateOrganization,
        response: { 201: ZOrganization, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createOrganization(req.ctx, req.body)),
  );
  app.get(
    "/organizations/:id",
    {
      schema: {
        tags: ["organizations"],
        summary: "One company",
        params: ZIdParams,
        response: { 200: ZOrganization, ...errorResponses(401, 404) },
      },
    },
    async (req) => getOrganization(req.ctx, req.params.id),
  );
  app.patch(
    "/organizations/:id",
    {
      schema: {
        tags: ["organizations"],
        summary: "Change a company",
        params: ZIdParams,
        body: ZUpdateOrganization,
        response: { 200: ZOrganization, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => updateOrganization(req.ctx, req.params.id, req.body),
  );
};
