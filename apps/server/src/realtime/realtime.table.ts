import { pgSequence } from "drizzle-orm/pg-core";

/**
 * The sequence number of every fanned-out realtime event, shared by all server processes
 * so a client may resume on any of them (see realtime/notify.ts).
 */
export const realtimeSeq = pgSequence("realtime_seq", { startWith: 1 });
