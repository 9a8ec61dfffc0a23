import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { AppError } from "../lib/errors.ts";

/** Seconds a client waits before retrying while the database restarts or fails over. */
export const RETRY_AFTER_SECONDS = 5;

type Body = { error: { code: string; message: string; details?: unknown } };

/** Maps every error to `{ error: { code, message, details } }`; a 500 never carries internals. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const send = (status: number, body: Body) => reply.status(status).send(body);
    if (err instanceof AppError) {
      if (err.status === 503) reply.header("retry-after", String(RETRY_AFTER_SECONDS));
      return send(err.status, { error: { code: err.code, message: err.message, details: err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: [v.instancePath.replace(/^\//, "").replace(/\//g, ".")].filter(Boolean).join("."),
        message: v.message,
        in: err.validationContext,
      }));
      return send(400, {
        error: { code: "validation_failed", message: "The request is not valid", details },
      });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, "response does not match its schema");
      return send(500, {
        error: { code: "internal", message: "Something went wrong", details: { requestId: req.id } },
      });
    }
    switch (err.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
      case "FST_REQ_FILE_TOO_LARGE":
      case "FST_PARTS_LIMIT":
      case "FST_FILES_LIMIT":
        return send(413, { error: { code: "payload_too_large", message: "The request is too large" } });
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      case "FST_INVALID_MULTIPART_CONTENT_TYPE":
        return send(415, {
          error: { code: "unsupported_media_type", message: "Send JSON (application/json)" },
        });
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return send(400, { error: { code: "invalid_json", message: "The body is not valid JSON" } });
    }
    if (err.statusCode === 429) {
      return send(429, {
        error: {
          code: "rate_limited",
          message: "Too many requests; slow down",
          details: { retryAfter: reply.getHeader("retry-after") },
        },
      });
    }
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, "database unavailable");
      reply.header("retry-after", String(RETRY_AFTER_SECONDS));
      return send(503, {
        error: {
          code: "unavailable",
          message: "The service is briefly unavailable; try again shortly",
          details: { retryAfter: RETRY_AFTER_SECONDS },
        },
      });
    }
    if (err.validation) {
      return send(400, { error: { code: "validation_failed", message: err.message } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(err.statusCode, { error: { code: "bad_request", message: err.message } });
    }
    req.log.error({ err }, "unhandled error");
    return send(500, {
      error: { code: "internal", message: "Something went wrong", details: { requestId: req.id } },
    });
  });
}
