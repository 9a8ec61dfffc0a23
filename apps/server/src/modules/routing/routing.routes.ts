import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { ZTicket } from "../tickets/tickets.schema.ts";
import {
  ZAgentRouting,
  ZSetTeamRouting,
  ZTeamRouting,
  ZTransferInput,
  ZTransfers,
  ZUpdateAgentRouting,
} from "./routing.schema.ts";
import {
  listAgentRouting,
  listTeamRouting,
  listTransfers,
  setAgentRouting,
  setTeamRouting,
  transferTicket,
} from "./routing.service.ts";

export const routingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/routing/teams",
    {
      schema: {
        tags: ["routing"],
        summary: "Each team's automatic assignment mode",
        response: { 200: z.array(ZTeamRouting), ...errorResponses(401) },
      },
    },
    async (req) => listTeamRouting(req.ctx),
  );
  app.put(
    "/routing/teams/:id",
    {
      schema: {
        tags: ["routing"],
        summary: "Set a team's assignment: manual, round_robin or least_loaded (admins, managers)",
        params: ZIdParams,
        body: ZSetTeamRouting,
        response: { 200: ZTeamRouting, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => setTeamRouting(req.ctx, req.params.id, req.body.mode),
  );
  app.get(
    "/routing/agents",
    {
      schema: {
        tags: ["routing"],
        summary: "Agents' languages, skills, capacity and current load (admins, managers)",
        response: { 200: z.array(ZAgentRouting), ...errorResponses(401, 403) },
      },
    },
    async (req) => listAgentRouting(req.ctx),
  );
  app.put(
    "/routing/agents/:id",
    {
      schema: {
        tags: ["routing"],
        summary: "Set an agent's languages, skills and capacity (admins, managers)",
        params: ZIdParams,
        body: ZUpdateAgentRouting,
        response: { 200: ZAgentRouting, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => setAgentRouting(req.ctx, req.params.id, req.body),
  );
  app.post(
    "/tickets/:id/transfer",
    {
      schema: {
        tags: ["routing"],
        summary: "Move a ticket to another team or agent, with the reason",
        params: ZIdParams,
        body: ZTransferInput,
        response: { 200: ZTicket, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => transferTicket(req.ctx, req.params.id, req.body),
  );
  app.get(
    "/tickets/:id/transfers",
    {
      schema: {
        tags: ["routing"],
        summary: "A ticket's transfers, their count and whether it is a runaround",
        params: ZIdParams,
        response: { 200: ZTransfers, ...errorResponses(401, 404) },
      },
    },
    async (req) => listTransfers(req.ctx, req.params.id),
  );
};
