/** Tables of the routing module (exported through db/schema.ts). */
export {};
