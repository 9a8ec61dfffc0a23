import type { ErrorCode } from "@rapport/shared";

/** An error meant for the client: a stable machine code, an HTTP status and a safe message. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "Resource") => new AppError("not_found", 404, `${what} not found`);
export const forbidden = (message = "You may not do this") => new AppError("forbidden", 403, message);
export const unauthenticated = () => new AppError("unauthenticated", 401, "Sign in or send an API token");
export const conflict = (message: string, details?: unknown) =>
  new AppError("conflict", 409, message, details);
export const badRequest = (message: string, details?: unknown) =>
  new AppError("bad_request", 400, message, details);
