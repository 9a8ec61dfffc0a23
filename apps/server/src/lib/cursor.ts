import { badRequest } from "./errors.ts";

/** Opaque keyset cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(values: Array<string | number | null>): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): Array<string | number | null> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === arity) return parsed as Array<string | number | null>;
  } catch {
    // fall through to the error below
  }
  throw badRequest("Invalid cursor");
}
