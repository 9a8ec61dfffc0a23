import { ZViewCounts } from "@rapport/shared";
import { z } from "zod";
import { ZMe } from "../auth/auth.schema.ts";
import { ZTeam } from "../teams/teams.schema.ts";

/**
 * Everything the agent app needs before its first screen, in one answer: who is signed in
 * (or whether Rapport still needs setup), the teams, the view counts, and each module's
 * start-up data under `parts` (the very answer of that module's own endpoint, so the web app
 * primes that endpoint's query cache with it). A part that fails is left out; the screen then
 * asks its own endpoint.
 */
export const ZBootstrap = z.object({
  needsSetup: z.boolean(),
  me: ZMe.nullable(),
  teams: z.array(ZTeam),
  counts: ZViewCounts,
  parts: z.record(z.string(), z.unknown()),
});
export type TBootstrap = z.infer<typeof ZBootstrap>;
