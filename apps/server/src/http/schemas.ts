import { z } from "zod";

export const ZErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Standard error responses for the OpenAPI document. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ZErrorBody])) as Record<number, typeof ZErrorBody>;

export const ZIdParams = z.strictObject({ id: z.uuid() });
export const AGENT_ERRORS = [400, 401, 403, 404, 429] as const;
