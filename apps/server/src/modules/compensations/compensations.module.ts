import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import type { RapportModule } from "../registry.ts";
import { compensationsRoutes } from "./compensations.routes.ts";
import { ESCALATE_JOB, escalateDue } from "./compensations.service.ts";

export const compensationsModule: RapportModule = {
  name: "compensations",
  routes: compensationsRoutes,
  jobs: {
    // Each pending request schedules one job at its escalation time; the job escalates every
    // request that is due, so a lost job is caught up by the next.
    [ESCALATE_JOB]: { run: async (ctx) => void (await escalateDue(withActor(ctx, SYSTEM))) },
  },
};
