import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { eq } from "drizzle-orm";
import type { FastifyReply } from "fastify";
import type { Ctx } from "../../context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import type { TAttachment } from "./tickets.schema.ts";
import { asStaff, loadVisibleTicket } from "./tickets.service.ts";
import { attachments } from "./tickets.table.ts";

export const toAttachment = (r: typeof attachments.$inferSelect): TAttachment => ({
  id: r.id,
  filename: r.filename,
  contentType: r.contentType,
  size: r.size,
  url: `/api/v1/attachments/${r.id}`,
  createdAt: r.createdAt.toISOString(),
});

/** Types a browser would run or render as a page: refused whatever they are called. */
const BLOCKED_TYPES = new Set([
  "text/html",
  "application/xhtml+xml",
  "image/svg+xml",
  "application/javascript",
  "text/javascript",
  "application/x-msdownload",
  "application/x-msdos-program",
  "application/x-sh",
  "application/java-archive",
]);
const BLOCKED_EXTENSIONS = /\.(html?|xhtml|svg|js|mjs|exe|msi|bat|cmd|com|scr|ps1|vbs|jar|sh)$/i;

/** Magic numbers of the types whose content we can check against the declared type. */
const MAGIC: Array<{ type: string; test: (b: Buffer) => boolean }> = [
  {
    type: "image/png",
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: "image/gif", test: (b) => b.subarray(0, 4).toString("latin1") === "GIF8" },
  {
    type: "image/webp",
    test: (b) =>
      b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP",
  },
  { type: "application/pdf", test: (b) => b.subarray(0, 5).toString("latin1") === "%PDF-" },
];
const EXECUTABLE = (b: Buffer) =>
  b.subarray(0, 2).toString("latin1") === "MZ" ||
  b.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
const LOOKS_HTML = (b: Buffer) =>
  /^\s*<(!doctype html|html|script|svg)/i.test(b.subarray(0, 512).toString("utf8"));

/** Checks a file's declared type and name against its first bytes; throws 415 when they disagree or are unsafe. */
export function checkContent(filename: string, declared: string, head: Buffer): string {
  const type = declared.split(";")[0]?.trim().toLowerCase() || "application/octet-stream";
  const unsupported = (why: string) =>
    new AppError("unsupported_media_type", 415, why, { filename, contentType: type });
  if (BLOCKED_TYPES.has(type) || BLOCKED_EXTENSIONS.test(filename))
    throw unsupported("This file type is not allowed");
  if (EXECUTABLE(head) || LOOKS_HTML(head))
    throw unsupported("Executable and web-page content is not allowed");
  const expected = MAGIC.find((m) => m.type === type);
  if (expected && !expected.test(head)) throw unsupported(`The file is not a valid ${type}`);
  return type;
}

export function safeFilename(name: string): string {
  const base = path.basename(name.replace(/\\/g, "/")).normalize("NFC");
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "_")
    .slice(0, 200)
    .trim();
  return cleaned || "file";
}

export type StoredFile = {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  /** Removes the file again (when the caller's insert fails). */
  discard: () => Promise<void>;
};

/**
 * Streams an upload to disk under ATTACHMENTS_DIR/<yyyy>/<mm>/<uuid>, enforcing the size limit
 * and checking its type against its first bytes. Ticket attachments and knowledge-base files
 * both store their files this way; the caller records the metadata.
 */
export async function writeUpload(
  ctx: Ctx,
  file: { filename: string; mimetype: string; stream: Readable },
): Promise<StoredFile> {
  const id = randomUUID();
  const now = ctx.now();
  const storageKey = path.join(
    String(now.getUTCFullYear()),
    String(now.getUTCMonth() + 1).padStart(2, "0"),
    id,
  );
  const target = path.join(ctx.config.attachmentsDir, storageKey);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const hash = createHash("sha256");
  const limit = ctx.config.attachmentMaxBytes;
  let size = 0;
  let head = Buffer.alloc(0);
  let contentType = "";
  const filename = safeFilename(file.filename);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit)
        return done(new AppError("payload_too_large", 413, `Attachments are limited to ${limit} bytes`));
      if (head.length < 512) {
        head = Buffer.concat([head, chunk]).subarray(0, 512);
        if (head.length >= 512 || !contentType) {
          try {
            contentType = checkContent(filename, file.mimetype, head);
          } catch (e) {
            return done(e as Error);
          }
        }
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const discard = () => fs.promises.rm(target, { force: true });
  try {
    await pipeline(file.stream, meter, fs.createWriteStream(target, { flags: "wx" }));
    // The multipart parser stops at its own limit and marks the stream truncated.
    if ((file.stream as Readable & { truncated?: boolean }).truncated) {
      throw new AppError("payload_too_large", 413, `Attachments are limited to ${limit} bytes`);
    }
    contentType = checkContent(filename, file.mimetype, head);
    if (size === 0) throw new AppError("bad_request", 400, "The file is empty");
    return { id, filename, contentType, size, sha256: hash.digest("hex"), storageKey, discard };
  } catch (e) {
    await discard();
    throw e;
  }
}

/** Streams an upload to disk under ATTACHMENTS_DIR, enforcing the size limit, then records it. */
export async function storeAttachment(
  ctx: Ctx,
  ticketId: string,
  file: { filename: string; mimetype: string; stream: Readable },
): Promise<TAttachment> {
  const actor = asStaff(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  const stored = await writeUpload(ctx, file);
  try {
    const [row] = await ctx.db
      .insert(attachments)
      .values({
        id: stored.id,
        ticketId,
        filename: stored.filename,
        contentType: stored.contentType,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.storageKey,
        uploadedByUserId: actor.kind === "agent" ? actor.userId : null,
        createdAt: ctx.now(),
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    return toAttachment(row);
  } catch (e) {
    await stored.discard();
    throw e;
  }
}

/**
 * Sends a stored file safely: its checked type, `nosniff`, a sandboxing CSP, and inline only for
 * images and PDFs (everything else downloads). Ticket attachments and knowledge-base files.
 */
export function sendStoredFile(
  reply: FastifyReply,
  row: { contentType: string; size: number; filename: string },
  stream: fs.ReadStream,
  cacheControl = "private, no-cache",
) {
  const inline = /^(image\/(png|jpeg|gif|webp)|application\/pdf)$/.test(row.contentType);
  return reply
    .header("content-type", row.contentType)
    .header("content-length", row.size)
    .header("cache-control", cacheControl)
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", "default-src 'none'; sandbox")
    .header(
      "content-disposition",
      `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(row.filename)}`,
    )
    .send(stream);
}

export async function openAttachment(ctx: Ctx, id: string) {
  const actor = asStaff(ctx.actor);
  const [row] = await ctx.db.select().from(attachments).where(eq(attachments.id, id));
  if (!row) throw notFound("Attachment");
  await loadVisibleTicket(ctx.db, actor, row.ticketId).catch(() => {
    throw notFound("Attachment");
  });
  const file = path.join(ctx.config.attachmentsDir, row.storageKey);
  return { row, stream: fs.createReadStream(file) };
}
