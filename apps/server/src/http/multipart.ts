import type { FastifyRequest } from "fastify";
import { AppError } from "../lib/errors.ts";

/** A file sent with a public form or a portal request (field `attachments`). */
export type UploadedFile = { filename: string; mimetype: string; content: Buffer };

/**
 * A public request's text fields and files: multipart/form-data (files in `attachments`, empty
 * files skipped, a field sent twice refused) or a JSON object of strings. Used by the web form
 * and the portal (its JSON API and its server-rendered pages).
 */
export async function readFields(
  req: FastifyRequest,
  opts: { maxFiles: number; notString?: string },
): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  if (req.isMultipart()) {
    const parts = req.parts({
      limits: {
        files: opts.maxFiles + 1,
        fields: 40,
        fieldSize: 64_000,
        fileSize: req.server.services.config.attachmentMaxBytes,
      },
    });
    for await (const part of parts) {
      if (part.type === "file") {
        if (part.fieldname !== "attachments")
          throw new AppError("bad_request", 400, "Files go in the `attachments` field", {
            field: part.fieldname,
          });
        const content = await part.toBuffer();
        if (content.length > 0) files.push({ filename: part.filename, mimetype: part.mimetype, content });
      } else {
        if (part.fieldname in fields)
          throw new AppError("bad_request", 400, "A field was sent twice", { field: part.fieldname });
        fields[part.fieldname] = String(part.value);
      }
    }
  } else {
    const body = req.body;
    if (!body || typeof body !== "object" || Array.isArray(body))
      throw new AppError("unsupported_media_type", 415, "Send multipart/form-data or a JSON object");
    for (const [k, v] of Object.entries(body)) {
      if (typeof v !== "string")
        throw new AppError("validation_failed", 400, opts.notString ?? "Every field is a string", {
          field: k,
        });
      fields[k] = v;
    }
  }
  return { fields, files };
}
