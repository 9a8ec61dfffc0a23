import { en } from "./en.ts";
import { km } from "./km.ts";
import { ta } from "./ta.ts";
import type { Bank, DemoLanguage } from "./types.ts";
import { vi } from "./vi.ts";

/** Phrase banks, written natively in each language (not translated word for word). */
export const BANKS: Record<DemoLanguage, Bank> = { en, vi, km, ta };
