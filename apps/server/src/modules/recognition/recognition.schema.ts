import { z } from "zod";

/** Request shapes of the recognition routes; the response shapes are in @rapport/shared. */

/** A month in the organization's time zone, `YYYY-MM` (2000-01 … 2999-12). */
export const ZMonth = z.string().regex(/^2\d{3}-(0[1-9]|1[0-2])$/, "A month is YYYY-MM");

export const ZTeamParams = z.strictObject({ teamId: z.uuid() });
export const ZUserParams = z.strictObject({ userId: z.uuid() });
export const ZBoardQuery = z.strictObject({ month: ZMonth.optional() });
export const ZTrendQuery = z.strictObject({
  teamId: z.uuid(),
  months: z.coerce.number().int().min(1).max(24).default(6),
});
