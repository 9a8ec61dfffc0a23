import type { Ctx } from "../../context.ts";
import { AppError } from "../../lib/errors.ts";
import { today } from "../planner/planner.service.ts";
import { modules } from "../registry.ts";
import { emailSending, gettingStarted } from "../settings/getting-started.ts";
import { needsSetup, readSettings } from "../settings/settings.service.ts";
import { listTeams } from "../teams/teams.service.ts";
import { getUser } from "../users/users.service.ts";
import { listCustomViews } from "../views/custom-views.service.ts";
import { countViews } from "../views/views.service.ts";
import type { TBootstrap } from "./bootstrap.schema.ts";

/** A named piece of start-up data; `load` is the service behind that piece's own endpoint. */
export type BootstrapPart = (ctx: Ctx) => Promise<unknown>;

/** Start-up parts of the core (the module list adds its own through `RapportModule.bootstrap`). */
const CORE_PARTS: Record<string, BootstrapPart> = {
  plannerToday: (ctx) => today(ctx, {}),
  customViews: listCustomViews,
  emailSending,
  gettingStarted,
};

/**
 * The agent app's start-up data. Anyone may ask: without an agent session the answer is only
 * whether setup is needed (what the sign-in and setup screens need), so the app shell makes
 * one call whoever opens it. The parts run side by side; one part refused or failing (an
 * AppError) is left out rather than failing the whole answer.
 */
export async function bootstrap(ctx: Ctx, csrfToken: string | null): Promise<TBootstrap> {
  const actor = ctx.actor;
  if (actor.kind !== "agent")
    return { needsSetup: await needsSetup(ctx), me: null, teams: [], counts: {}, parts: {} };
  const named = Object.entries({
    ...CORE_PARTS,
    ...Object.assign({}, ...modules.map((m) => m.bootstrap ?? {})),
  }) as [string, BootstrapPart][];
  const [user, organization, teams, counts, ...values] = await Promise.all([
    getUser(ctx, actor.userId),
    readSettings(ctx.db),
    listTeams(ctx),
    countViews(ctx),
    ...named.map(([, load]) =>
      load(ctx).catch((err: unknown) => {
        if (err instanceof AppError) return undefined;
        throw err;
      }),
    ),
  ]);
  const parts: Record<string, unknown> = {};
  named.forEach(([name], i) => {
    if (values[i] !== undefined) parts[name] = values[i];
  });
  return { needsSetup: false, me: { user, csrfToken, organization }, teams, counts, parts };
}
