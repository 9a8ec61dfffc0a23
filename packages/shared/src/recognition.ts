/**
 * The recognition API's shapes (apps/server/src/modules/recognition; docs/reports-and-csat.md),
 * shared by the server's routes and the web app.
 */
import { z } from "zod";

const weight = z.number().int().min(0).max(100);
export const ZRecognitionWeights = z.strictObject({
  csat: weight,
  firstResponse: weight,
  resolution: weight,
  promises: weight,
  reopened: weight,
});

export const ZRecognitionSettings = z.object({
  teamId: z.uuid(),
  enabled: z.boolean(),
  publicBoard: z.boolean(),
  weights: ZRecognitionWeights,
  minSolved: z.number().int(),
});
export type TRecognitionSettings = z.infer<typeof ZRecognitionSettings>;

export const ZRecognitionSettingsPatch = z.strictObject({
  enabled: z.boolean().optional(),
  publicBoard: z.boolean().optional(),
  weights: ZRecognitionWeights.optional(),
  minSolved: z.number().int().min(0).max(1000).optional(),
});
export type TRecognitionSettingsPatch = z.infer<typeof ZRecognitionSettingsPatch>;

const rateOrNull = z.number().nullable();
export const ZRecognitionFigures = z.object({
  solved: z.number().int(),
  reopened: z.number().int(),
  reopenRate: rateOrNull,
  csatRated: z.number().int(),
  csatGood: z.number().int(),
  csatRate: rateOrNull,
  firstResponses: z.number().int(),
  firstResponsesOnTime: z.number().int(),
  firstResponseRate: rateOrNull,
  resolutionP50: rateOrNull,
  /** The team's fastest median resolution ÷ this agent's (1: the fastest). */
  resolutionScore: rateOrNull,
  promisesDue: z.number().int(),
  promisesKept: z.number().int(),
  promiseRate: rateOrNull,
});
export type TRecognitionFigures = z.infer<typeof ZRecognitionFigures>;

const ZAgentRef = z.object({ id: z.uuid(), name: z.string() });
export const ZRecognitionRow = z.object({
  agent: ZAgentRef,
  /** null: fewer solved tickets than the team's minimum (shown, not ranked). */
  score: z.number().nullable(),
  /** Competition ranking: equal scores share a place (1, 1, 3); null when not ranked or private. */
  rank: z.number().int().nullable(),
  figures: ZRecognitionFigures,
});
export type TRecognitionRow = z.infer<typeof ZRecognitionRow>;

export const ZRecognitionAward = z.object({
  month: z.string(),
  team: z.object({ id: z.uuid(), name: z.string() }),
  agent: ZAgentRef,
  score: z.number(),
});
export type TRecognitionAward = z.infer<typeof ZRecognitionAward>;

export const ZRecognitionBoard = z.object({
  team: z.object({ id: z.uuid(), name: z.string() }),
  month: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  settings: ZRecognitionSettings,
  /** "ranking": every member's row; "own": the caller's row only (the board is private). */
  visibility: z.enum(["ranking", "own"]),
  items: z.array(ZRecognitionRow),
  /** The month's recorded winners (empty until the monthly job has recorded the month). */
  winners: z.array(ZRecognitionAward),
});
export type TRecognitionBoard = z.infer<typeof ZRecognitionBoard>;

export const ZRecognitionTrend = z.object({
  items: z.array(z.object({ month: z.string(), score: z.number().nullable(), figures: ZRecognitionFigures })),
});
export type TRecognitionTrend = z.infer<typeof ZRecognitionTrend>;

export const ZRecognitionAwards = z.object({ items: z.array(ZRecognitionAward) });
