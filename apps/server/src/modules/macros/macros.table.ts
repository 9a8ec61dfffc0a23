/** Tables of the macros module (exported through db/schema.ts). */
export {};
