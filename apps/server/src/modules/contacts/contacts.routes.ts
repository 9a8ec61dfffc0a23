import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { gatherCustomFieldParams } from "../fields/fields.schema.ts";
import { ZPage } from "../tickets/tickets.schema.ts";
import {
  ZContact,
  ZContactQuery,
  ZCreateContact,
  ZCreateOrganization,
  ZOrganization,
  ZOrganizationQuery,
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

const gatherCf = async (req: FastifyRequest) => {
  req.query = gatherCustomFieldParams(req.query);
};

export const contactsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/contacts",
    {
      schema: {
        tags: ["contacts"],
        summary:
          "Customers, newest first; filter by name/email fragment, exact email or phone, organization, tag",
        description:
          "`cf.<key>=value` filters on a custom field (`cf.<key>.gte`, `.lte`, `.gt`, `.lt`, `.ne`, `.in`, `.contains`, `.empty`).",
        querystring: ZContactQuery,
        response: { 200: ZPage(ZContact), ...errorResponses(400, 401) },
      },
      preValidation: gatherCf,
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
        description:
          "Filters: q (name or domain fragment), tag, accountOwnerId, domain; `cf.<key>=value` filters on a custom field (`cf.<key>.gte`, `.lte`, `.gt`, `.lt`, `.ne`, `.in`, `.contains`, `.empty`).",
        querystring: ZOrganizationQuery,
        response: { 200: ZPage(ZOrganization), ...errorResponses(400, 401) },
      },
      preValidation: gatherCf,
    },
    async (req) => listOrganizations(req.ctx, req.query),
  );
  app.post(
    "/organizations",
    {
      schema: {
        tags: ["organizations"],
        summary:
          "Create a company; contacts without a company whose email is at one of its domains join it, and so do new ones",
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
