/** Tables of the channels module (exported through db/schema.ts). */
export {};
