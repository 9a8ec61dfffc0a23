/** Tables of the automations module (exported through db/schema.ts). */
export {};
