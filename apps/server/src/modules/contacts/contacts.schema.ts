import { z } from "zod";
import { ZTags } from "../../lib/tags.ts";
import { ZCfFilters, ZCustomFields, ZCustomFieldsInput } from "../fields/fields.schema.ts";
import { ZEmail, ZTimeZone } from "../users/users.schema.ts";

const ZLang = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP 47 language code such as vi or km");
export const ZPhone = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[+\d][\d\s().-]*$/, "digits, spaces, ( ) . - and an optional leading +");

export const ZContact = z.object({
  id: z.uuid(),
  name: z.string(),
  emails: z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() })),
  phones: z.array(z.object({ phone: z.string(), primary: z.boolean() })),
  language: z.string().nullable(),
  timeZone: z.string().nullable(),
  organization: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  notes: z.string(),
  tags: z.array(z.string()),
  /** Values of admin-defined contact fields, by key (modules/fields). */
  customFields: ZCustomFields,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TContact = z.infer<typeof ZContact>;

export const ZCreateContact = z.strictObject({
  name: z.string().trim().max(200).default(""),
  emails: z.array(ZEmail).max(20).default([]),
  phones: z.array(ZPhone).max(20).default([]),
  language: ZLang.nullable().optional(),
  timeZone: ZTimeZone.nullable().optional(),
  organizationId: z.uuid().nullable().optional(),
  notes: z.string().max(20_000).default(""),
  tags: ZTags.default([]),
  customFields: ZCustomFieldsInput.optional(),
});
export type TCreateContact = z.infer<typeof ZCreateContact>;

export const ZUpdateContact = z.strictObject({
  name: z.string().trim().max(200).optional(),
  emails: z.array(ZEmail).max(20).optional(),
  phones: z.array(ZPhone).max(20).optional(),
  language: ZLang.nullable().optional(),
  timeZone: ZTimeZone.nullable().optional(),
  organizationId: z.uuid().nullable().optional(),
  notes: z.string().max(20_000).optional(),
  tags: ZTags.optional(),
  /** Only the keys given change; `null` clears a value. */
  customFields: ZCustomFieldsInput.optional(),
});
export type TUpdateContact = z.infer<typeof ZUpdateContact>;

export const ZContactQuery = z.strictObject({
  q: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  organizationId: z.uuid().optional(),
  tag: z.string().max(64).optional(),
  /** Custom field filters, sent as `cf.<key>[.<op>]=value`. */
  cf: ZCfFilters,
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TContactQuery = z.infer<typeof ZContactQuery>;

/** A requester given by id, or by email/phone/name (found, or created). */
export const ZRequesterRef = z.union([
  z.strictObject({ id: z.uuid() }),
  z
    .strictObject({
      email: ZEmail.optional(),
      name: z.string().trim().max(200).optional(),
      phone: ZPhone.optional(),
    })
    .refine((r) => r.email || r.phone, { message: "email or phone is required" }),
]);
export type TRequesterRef = z.infer<typeof ZRequesterRef>;

export const ZOrganization = z.object({
  id: z.uuid(),
  name: z.string(),
  domains: z.array(z.string()),
  notes: z.string(),
  tags: z.array(z.string()),
  address: z.string(),
  accountOwnerId: z.uuid().nullable(),
  accountOwner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  contactCount: z.number().int(),
  customFields: ZCustomFields,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TOrganization = z.infer<typeof ZOrganization>;

const ZDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, "a domain such as example.com");

export const ZCreateOrganization = z.strictObject({
  name: z.string().trim().min(1).max(200),
  domains: z.array(ZDomain).max(50).default([]),
  notes: z.string().max(20_000).default(""),
  tags: ZTags.default([]),
  address: z.string().trim().max(2000).optional(),
  accountOwnerId: z.uuid().nullable().optional(),
  customFields: ZCustomFieldsInput.optional(),
});
export type TCreateOrganization = z.infer<typeof ZCreateOrganization>;
export const ZUpdateOrganization = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  domains: z.array(ZDomain).max(50).optional(),
  notes: z.string().max(20_000).optional(),
  tags: ZTags.optional(),
  address: z.string().trim().max(2000).optional(),
  accountOwnerId: z.uuid().nullable().optional(),
  customFields: ZCustomFieldsInput.optional(),
});
export type TUpdateOrganization = z.infer<typeof ZUpdateOrganization>;

export const ZOrganizationQuery = z.strictObject({
  q: z.string().max(200).optional(),
  tag: z.string().max(64).optional(),
  accountOwnerId: z.uuid().optional(),
  domain: z.string().max(253).optional(),
  /** Custom field filters, sent as `cf.<key>[.<op>]=value`. */
  cf: ZCfFilters,
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type TOrganizationQuery = z.infer<typeof ZOrganizationQuery>;

/** GET /contacts/:id/duplicates: possible duplicates with why they matched and how closely. */
export const ZContactDuplicates = z.object({
  items: z.array(z.object({ contact: ZContact, reasons: z.array(z.string()), score: z.number() })),
});
