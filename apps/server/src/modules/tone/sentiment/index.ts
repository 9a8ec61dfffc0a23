import { en } from "./en.ts";
import { km } from "./km.ts";
import { ta } from "./ta.ts";
import { vi } from "./vi.ts";

/** The shipped sentiment lexicons, by language. */
export const LEXICONS = { en, vi, km, ta } as const;
