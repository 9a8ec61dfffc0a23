import { z } from "zod";

/** Tags are lower case, without spaces (spaces become hyphens), at most 64 characters. */
export const normalizeTag = (tag: string) => tag.normalize("NFC").trim().toLowerCase().replace(/\s+/g, "-");

export const ZTag = z
  .string()
  .max(64)
  .transform(normalizeTag)
  .pipe(z.string().min(1, "a tag cannot be empty"));

export const ZTags = z
  .array(ZTag)
  .max(50)
  .transform((tags) => [...new Set(tags)]);
