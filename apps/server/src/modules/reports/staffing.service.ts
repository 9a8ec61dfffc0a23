import { erlangCalculator, MAX_TRAFFIC, trafficErlangs, UnstableQueueError } from "@rapport/shared";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { badRequest } from "../../lib/errors.ts";
import type { TErlangCInput } from "./staffing.schema.ts";

/** The Erlang C calculator for any signed-in agent; an unstable queue (A ≥ N) is a 400. */
export function calculateErlangC(ctx: Ctx, input: TErlangCInput) {
  requireCan(ctx.actor, "staffing.calculate");
  const traffic = trafficErlangs(input.arrivals, input.intervalSeconds, input.ahtSeconds);
  if (traffic > MAX_TRAFFIC)
    throw badRequest(
      `The traffic of ${traffic.toFixed(0)} Erlangs is above the ${MAX_TRAFFIC} this calculator takes`,
      {
        field: "arrivals",
        trafficErlangs: traffic,
      },
    );
  try {
    return erlangCalculator(input);
  } catch (e) {
    if (e instanceof UnstableQueueError)
      throw badRequest(e.message, {
        reason: "unstable_queue",
        field: "agents",
        trafficErlangs: e.trafficErlangs,
        agents: e.agents,
      });
    throw e;
  }
}
