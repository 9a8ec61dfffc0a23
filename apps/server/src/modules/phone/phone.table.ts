/** Tables of the phone module (exported through db/schema.ts). */
export {};
