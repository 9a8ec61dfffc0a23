/** Tables of the promises module (exported through db/schema.ts). */
export {};
