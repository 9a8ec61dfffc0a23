/** Custom fields (modules/fields) and the public contact form (modules/forms). */
import type { z } from "zod";
import type { ZCreateField, ZFieldDefinition, ZUpdateField } from "../modules/fields/fields.schema.ts";
import type { ZFormConfig, ZFormSubmissionStats, ZFormSubmitResult } from "../modules/forms/forms.schema.ts";

export type FieldDefinition = z.output<typeof ZFieldDefinition>;
export type FieldOption = FieldDefinition["options"][number];
export type CreateFieldBody = z.input<typeof ZCreateField>;
export type UpdateFieldBody = z.input<typeof ZUpdateField>;

export type FormConfig = z.output<typeof ZFormConfig>;
export type FormSubmitResult = z.output<typeof ZFormSubmitResult>;
export type FormSubmissionStats = z.output<typeof ZFormSubmissionStats>;
