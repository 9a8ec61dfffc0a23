import type { FastifyInstance } from "fastify";
import { AppError } from "../lib/errors.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A stricter JSON body parser than the default: invalid UTF-8 and NUL characters
 * (which PostgreSQL text cannot hold) are refused with a clear 400 instead of
 * being silently replaced or failing deep inside the database.
 */
export function registerJsonParser(app: FastifyInstance) {
  // The API speaks JSON (and multipart for uploads); plain text bodies are refused with 415.
  app.removeContentTypeParser("text/plain");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return done(new AppError("invalid_encoding", 400, "The body is not valid UTF-8"));
    }
    if (text.trim() === "") return done(new AppError("invalid_json", 400, "The body is empty"));
    try {
      // A reviver costs a call per value; only a body that could hold a forbidden key or a NUL
      // needs one. JSON cannot carry a raw NUL in a string, and a key can only be spelt otherwise
      // with a \u escape, so a body with none of these substrings parses as it is.
      if (!text.includes("\\u") && !text.includes("__proto__") && !text.includes("constructor"))
        return done(null, JSON.parse(text));
      const value: unknown = JSON.parse(text, (key, v) => {
        if (key === "__proto__" || key === "constructor")
          throw new AppError("bad_request", 400, `Forbidden key "${key}"`);
        if (typeof v === "string" && v.includes("\u0000")) {
          throw new AppError("invalid_encoding", 400, "NUL characters are not allowed");
        }
        return v;
      });
      done(null, value);
    } catch (e) {
      done(e instanceof AppError ? e : new AppError("invalid_json", 400, "The body is not valid JSON"));
    }
  });
}
