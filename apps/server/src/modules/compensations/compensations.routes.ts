import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import {
  ZApprovalConfig,
  ZApprovalConfigOut,
  ZApprovalQuery,
  ZApprove,
  ZCompensation,
  ZCompensationList,
  ZCompensationQuery,
  ZCreateCompensation,
  ZReject,
  ZReport,
  ZReportQuery,
  ZReverse,
} from "./compensations.schema.ts";
import {
  createCompensation,
  decide,
  getCompensation,
  listApprovals,
  listCompensations,
  reverseCompensation,
} from "./compensations.service.ts";
import { getApprovalConfig, putApprovalConfig } from "./limits.service.ts";
import { compensationReport } from "./report.service.ts";

const tags = ["compensations"];

export const compensationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/compensations",
    {
      schema: {
        tags,
        summary: "Grant compensation on a ticket: granted within the agent's limit, else an approval request",
        body: ZCreateCompensation,
        response: { 201: ZCompensation, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.code(201).send(await createCompensation(req.ctx, req.body)),
  );
  app.get(
    "/compensations",
    {
      schema: {
        tags,
        summary: "A ticket's compensations, or a customer's history (contactId)",
        querystring: ZCompensationQuery,
        response: { 200: ZCompensationList, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => listCompensations(req.ctx, req.query),
  );
  app.get(
    "/compensations/report",
    {
      schema: {
        tags,
        summary: "Compensation by month, agent, team, kind and currency against limits; approval turnaround",
        querystring: ZReportQuery,
        response: { 200: ZReport, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => compensationReport(req.ctx, req.query),
  );
  app.get(
    "/compensations/:id",
    {
      schema: {
        tags,
        summary: "One compensation with its audit trail",
        params: ZIdParams,
        response: { 200: ZCompensation, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => getCompensation(req.ctx, req.params.id),
  );
  app.post(
    "/compensations/:id/reverse",
    {
      schema: {
        tags,
        summary: "Reverse a granted compensation (a new audit entry; managers and admins)",
        params: ZIdParams,
        body: ZReverse,
        response: { 200: ZCompensation, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => reverseCompensation(req.ctx, req.params.id, req.body.reason),
  );
  app.get(
    "/approvals",
    {
      schema: {
        tags,
        summary: "Approval requests the caller may decide, and their own",
        querystring: ZApprovalQuery,
        response: { 200: ZCompensationList, ...errorResponses(400, 401) },
      },
    },
    async (req) => listApprovals(req.ctx, req.query),
  );
  app.post(
    "/approvals/:id/approve",
    {
      schema: {
        tags,
        summary: "Approve a request, optionally for a lower amount, with a comment",
        params: ZIdParams,
        body: ZApprove,
        response: { 200: ZCompensation, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => decide(req.ctx, req.params.id, { approve: true, ...req.body }),
  );
  app.post(
    "/approvals/:id/reject",
    {
      schema: {
        tags,
        summary: "Reject a request with a comment",
        params: ZIdParams,
        body: ZReject,
        response: { 200: ZCompensation, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => decide(req.ctx, req.params.id, { approve: false, comment: req.body.comment }),
  );
  app.get(
    "/approval-limits",
    {
      schema: {
        tags,
        summary: "The approval chain, escalation time, kinds, team leads and limits; the caller's own limits",
        response: { 200: ZApprovalConfigOut, ...errorResponses(401) },
      },
    },
    async (req) => getApprovalConfig(req.ctx),
  );
  app.put(
    "/approval-limits",
    {
      schema: {
        tags,
        summary: "Replace the approval configuration (managers: not their own limits; admins: all)",
        body: ZApprovalConfig,
        response: { 200: ZApprovalConfigOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => putApprovalConfig(req.ctx, req.body),
  );
};
