/** Tables of the imports module (exported through db/schema.ts). */
export {};
