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
export const ZRecognitionSettingsPatch = z.strictObject({
  enabled: z.boolean().optional(),
  publicBoard: z.boolean().optional(),
  weights: ZRecognitionWeights.optional(),
  minSolved: z.number().int().min(0).max(1000).optional(),
});
export type TRecognitionSettingsPatch = z.infer<typeof ZRecognitionSettingsPatch>;

/** A month in the organization's time zone, `YYYY-MM` (2000-01 … 2999-12). */
export const ZMonth = z.string().regex(/^2\d{3}-(0[1-9]|1[0-2])$/, "A month is YYYY-MM");

export const ZTeamParams = z.strictObject({ teamId: z.uuid() });
export const ZUserParams = z.strictObject({ userId: z.uuid() });
export const ZBoardQuery = z.strictObject({ month: ZMonth.optional() });
export const ZTrendQuery = z.strictObject({
  teamId: z.uuid(),
  months: z.coerce.number().int().min(1).max(24).default(6),
});

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
export const ZBoardRow = z.object({
  agent: ZAgentRef,
  /** null: fewer solved tickets than the team's minimum (shown, not ranked). */
  score: z.number().nullable(),
  /** Competition ranking: equal scores share a place (1, 1, 3); null when not ranked or private. */
  rank: z.number().int().nullable(),
  figures: ZRecognitionFigures,
});
export type TBoardRow = z.infer<typeof ZBoardRow>;

export const ZAward = z.object({
  month: z.string(),
  team: z.object({ id: z.uuid(), name: z.string() }),
  agent: ZAgentRef,
  score: z.number(),
});

export const ZBoard = z.object({
  team: z.object({ id: z.uuid(), name: z.string() }),
  month: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  settings: ZRecognitionSettings,
  /** "ranking": every member's row; "own": the caller's row only (the board is private). */
  visibility: z.enum(["ranking", "own"]),
  items: z.array(ZBoardRow),
  /** The month's recorded winners (empty until the monthly job has recorded the month). */
  winners: z.array(ZAward),
});

export const ZTrend = z.object({
  items: z.array(z.object({ month: z.string(), score: z.number().nullable(), figures: ZRecognitionFigures })),
});

export const ZAwards = z.object({ items: z.array(ZAward) });
