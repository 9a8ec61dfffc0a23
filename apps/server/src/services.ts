import type { Config } from "./config.ts";
import type { Services } from "./context.ts";
import type { Database } from "./db/client.ts";
import { EventBus } from "./realtime/bus.ts";

export function createServices(
  config: Config,
  database: Database,
  now: () => Date = () => new Date(),
): Services {
  return { config, database, db: database.db, bus: new EventBus(), now };
}
