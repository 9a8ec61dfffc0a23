import {
  ZRecognitionAwards as ZAwards,
  ZRecognitionBoard as ZBoard,
  ZRecognitionSettings,
  ZRecognitionSettingsPatch,
  ZRecognitionTrend as ZTrend,
} from "@rapport/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { errorResponses } from "../../http/schemas.ts";
import { ZBoardQuery, ZTeamParams, ZTrendQuery, ZUserParams } from "./recognition.schema.ts";
import { awardsOf, board, getSettings, myTrend, updateSettings } from "./recognition.service.ts";

const tags = ["recognition"];

export const recognitionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/recognition/teams/:teamId",
    {
      schema: {
        tags,
        summary:
          "A team's recognition board for a month: agents ranked by the quality-weighted score (managers and admins; members when the board is public, else the caller's own row)",
        params: ZTeamParams,
        querystring: ZBoardQuery,
        response: { 200: ZBoard, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => board(req.ctx, req.params.teamId, req.query.month),
  );
  app.get(
    "/recognition/me",
    {
      schema: {
        tags,
        summary: "The caller's own recognition score and figures per month (private)",
        querystring: ZTrendQuery,
        response: { 200: ZTrend, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => myTrend(req.ctx, req.query.teamId, req.query.months),
  );
  app.get(
    "/recognition/users/:userId/awards",
    {
      schema: {
        tags,
        summary: "An agent's recorded awards (best of the month), for their profile",
        params: ZUserParams,
        response: { 200: ZAwards, ...errorResponses(400, 401) },
      },
    },
    async (req) => awardsOf(req.ctx, req.params.userId),
  );
  app.get(
    "/recognition/teams/:teamId/settings",
    {
      schema: {
        tags,
        summary: "A team's recognition settings (administrators)",
        params: ZTeamParams,
        response: { 200: ZRecognitionSettings, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => getSettings(req.ctx, req.params.teamId),
  );
  app.patch(
    "/recognition/teams/:teamId/settings",
    {
      schema: {
        tags,
        summary:
          "Turn recognition on or off for a team, make its board public, set the weights (administrators)",
        params: ZTeamParams,
        body: ZRecognitionSettingsPatch,
        response: { 200: ZRecognitionSettings, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateSettings(req.ctx, req.params.teamId, req.body),
  );
};
