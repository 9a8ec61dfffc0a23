/** Tables of the chat module (exported through db/schema.ts). */
export {};
