/** Tables of the fields module (exported through db/schema.ts). */
export {};
