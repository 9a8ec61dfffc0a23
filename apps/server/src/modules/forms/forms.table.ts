/** Tables of the forms module (exported through db/schema.ts). */
export {};
