/** Tables of the sla module (exported through db/schema.ts). */
export {};
