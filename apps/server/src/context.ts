import type { Actor } from "./auth/actor.ts";
import type { Config } from "./config.ts";
import type { Database, DbOrTx } from "./db/client.ts";
import type { EventBus } from "./realtime/bus.ts";

/** What every service function receives: no HTTP objects, so the API, CLI and ingesters share services. */
export interface Services {
  config: Config;
  database: Database;
  db: DbOrTx;
  bus: EventBus;
  /** The clock; tests and SLA maths replace it. */
  now: () => Date;
}

export interface Ctx extends Services {
  actor: Actor;
}

export const withActor = (services: Services, actor: Actor): Ctx => ({ ...services, actor });
