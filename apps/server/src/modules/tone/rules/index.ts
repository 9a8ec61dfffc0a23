import { en } from "./en.ts";
import { km } from "./km.ts";
import { ta } from "./ta.ts";
import type { ToneRuleSeed } from "./types.ts";
import { vi } from "./vi.ts";

/** The shipped rules per language (written once into tone_rules; admins edit them there). */
export const SHIPPED_RULES: Record<string, ToneRuleSeed[]> = { en, vi, km, ta };
