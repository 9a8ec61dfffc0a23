/** Tables of the webhooks module (exported through db/schema.ts). */
export {};
