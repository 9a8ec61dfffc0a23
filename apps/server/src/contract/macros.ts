/** Macros (modules/macros): canned replies with ticket actions. */
import type { z } from "zod";
import type {
  ZAppliedMacro,
  ZCreateMacro,
  ZMacro,
  ZMacroActionOut,
  ZUpdateMacro,
} from "../modules/macros/macros.schema.ts";

export type Macro = z.output<typeof ZMacro>;
export type MacroAction = z.output<typeof ZMacroActionOut>;
export type AppliedMacro = z.output<typeof ZAppliedMacro>;
export type CreateMacroBody = z.input<typeof ZCreateMacro>;
export type UpdateMacroBody = z.input<typeof ZUpdateMacro>;

/** POST /tone/check (modules/tone), which the macro editor calls before saving. */
