import { z } from "zod";
import { ZPassword } from "../users/users.schema.ts";

export const ZForgotPassword = z.strictObject({ email: z.string().trim().max(320) });
export type TForgotPassword = z.infer<typeof ZForgotPassword>;

export const ZResetPassword = z.strictObject({
  token: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "a token from a password link"),
  password: ZPassword,
});
export type TResetPassword = z.infer<typeof ZResetPassword>;
