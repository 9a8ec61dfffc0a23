import { z } from "zod";

/** POST /staffing/erlang-c: the calculator's contract (issue 16). */
export const ZErlangCInput = z.strictObject({
  /** Contacts arriving in the interval. */
  arrivals: z.number().min(0).max(10_000_000),
  /** Length of the interval in seconds (3600 for an hour). */
  intervalSeconds: z.number().int().min(60).max(86_400),
  /** Average handle time (talk or chat time plus wrap-up), in seconds. */
  ahtSeconds: z.number().gt(0).max(86_400),
  /** The service-level target: answered within this many seconds. */
  targetAnswerSeconds: z.number().min(0).max(86_400),
  /** The share to answer within the target, as a fraction: 0.8 for 80 %. */
  serviceLevelGoal: z.number().gt(0).lt(1),
  /** Agents to evaluate; without it the figures are for `agentsNeeded`. */
  agents: z.number().int().min(1).max(200_000).optional(),
});
export type TErlangCInput = z.infer<typeof ZErlangCInput>;

export const ZErlangCResult = z.object({
  trafficErlangs: z.number(),
  agentsNeeded: z.number().int(),
  probabilityOfWaiting: z.number(),
  averageSpeedOfAnswerSeconds: z.number(),
  serviceLevel: z.number(),
  occupancy: z.number(),
});
