/**
 * The real app, in the bench process, against a bench database: listening on
 * 127.0.0.1 (a free port), with API tokens made through the service. Shared by the
 * core and planner benchmarks.
 */
import type { FastifyInstance } from "fastify";
import { buildApp } from "../apps/server/src/app.ts";
import { loadConfig } from "../apps/server/src/config.ts";
import { type Services, withActor } from "../apps/server/src/context.ts";
import type { Database } from "../apps/server/src/db/client.ts";
import { createApiToken } from "../apps/server/src/modules/auth/auth.service.ts";
import { agentActor, findUserWithTeams } from "../apps/server/src/modules/users/users.service.ts";
import { createServices } from "../apps/server/src/services.ts";

export type BenchApp = {
  app: FastifyInstance;
  services: Services;
  /** http://127.0.0.1:<port> */
  base: string;
  /** An API token for a user, and the user's team ids. */
  tokenFor: (userId: string) => Promise<{ token: string; teamIds: string[] }>;
};

/** `url`: the PostgreSQL database's; none for an embedded PGlite database. */
export async function startBenchApp(
  database: Database,
  url: string | null,
  dataDir: string,
): Promise<BenchApp> {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url ?? undefined,
    RAPPORT_DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    // The bench is one client hammering the API; the per-token limit would turn it into 429s.
    RATE_LIMIT_API_PER_MINUTE: "100000000",
  });
  const services = createServices(config, database);
  const app = await buildApp(services, { logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  const tokenFor = async (userId: string) => {
    const row = await findUserWithTeams(database.db, userId);
    if (!row) throw new Error(`no user ${userId}`);
    const ctx = withActor(services, agentActor(row.user, row.teamIds, "token"));
    return { token: (await createApiToken(ctx, { name: "bench" })).token, teamIds: row.teamIds };
  };
  return { app, services, base: `http://127.0.0.1:${address.port}`, tokenFor };
}
