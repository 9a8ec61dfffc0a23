/** Promises to customers (modules/promises): call back, refund, discount, send information. */
import type { z } from "zod";
import type {
  ZCreatePromise,
  ZPromise,
  ZPromiseList,
  ZUpdatePromise,
} from "../modules/promises/promises.schema.ts";

export type CustomerPromise = z.output<typeof ZPromise>;
export type CustomerPromiseList = z.output<typeof ZPromiseList>;
export type CreatePromiseBody = z.input<typeof ZCreatePromise>;
export type UpdatePromiseBody = z.input<typeof ZUpdatePromise>;
