import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZCreateNote, ZDossier, ZTimelinePage, ZTimelineQuery } from "./dossier.schema.ts";
import { addNote, dossier, timeline } from "./dossier.service.ts";

const tags = ["dossier"];

export const dossierRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/contacts/:id/dossier",
    {
      schema: {
        tags,
        summary:
          "Everything about a customer: profile, organization, account owner, figures, open tickets, last and next contact, and the first timeline page",
        params: ZIdParams,
        querystring: ZTimelineQuery,
        response: { 200: ZDossier, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => dossier(req.ctx, req.params.id, req.query),
  );
  app.get(
    "/contacts/:id/timeline",
    {
      schema: {
        tags,
        summary:
          "The customer's timeline across all channels, newest first; filter by type/channel, search, cursor pages",
        params: ZIdParams,
        querystring: ZTimelineQuery,
        response: { 200: ZTimelinePage, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => timeline(req.ctx, req.params.id, req.query),
  );
  app.post(
    "/contacts/:id/notes",
    {
      schema: {
        tags,
        summary: "Write a note on the customer (shown on the timeline)",
        params: ZIdParams,
        body: ZCreateNote,
        response: {
          201: z.object({
            id: z.uuid(),
            contactId: z.uuid(),
            authorId: z.uuid().nullable(),
            body: z.string(),
            createdAt: z.iso.datetime(),
          }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (req, reply) => reply.status(201).send(await addNote(req.ctx, req.params.id, req.body.body)),
  );
};
