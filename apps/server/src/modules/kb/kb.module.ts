import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import type { RapportModule } from "../registry.ts";
import { helpCentreRoutes } from "./kb.help.ts";
import { kbRoutes } from "./kb.routes.ts";
import { KB_PUBLISH_JOB, runScheduledPublish } from "./kb.service.ts";

/**
 * Knowledge base and help centre (docs/knowledge-base.md): categories, articles with one
 * translation per language, workflow and versions, search and suggestions, the public help
 * centre at /help, and scheduled publishing as a job.
 */
export const kbModule: RapportModule = {
  name: "kb",
  routes: kbRoutes,
  rootRoutes: helpCentreRoutes,
  jobs: {
    [KB_PUBLISH_JOB]: {
      run: async (ctx, job) => {
        const id = (job.payload as { translationId?: unknown }).translationId;
        if (typeof id === "string") await runScheduledPublish(withActor(ctx, SYSTEM), id);
      },
    },
  },
};
