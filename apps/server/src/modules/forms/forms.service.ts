import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { and, desc, eq, gte, isNull, like, sql } from "drizzle-orm";
import { z } from "zod";
import { SYSTEM } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { UploadedFile } from "../../http/multipart.ts";
import { AppError } from "../../lib/errors.ts";
import { derive, hmacHex, sameHex } from "../channels/keys.ts";
import { e164, matchContact } from "../channels/match.ts";
import { mailboxForTicket, queueAcknowledgement } from "../email/outbound.service.ts";
import { customFieldDefinitions } from "../fields/fields.table.ts";
import { requestCallback } from "../phone/callbacks.service.ts";
import { linkDeflections, ZSid } from "../portal/deflection.service.ts";
import { mailCanSend } from "../settings/getting-started.ts";
import { checkContent, storeAttachment } from "../tickets/attachments.service.ts";
import { createTickets } from "../tickets/pipeline.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";
import { formSubmissions } from "./forms.table.ts";

/** A form filled faster than this is a bot's. */
export const MIN_FILL_MS = 3000;
/** A form token is good for this long (a visitor may leave the tab open). */
export const TOKEN_TTL_MS = 24 * 3600_000;
/** Submissions per address in the window before 429. */
export const RATE_LIMIT = 5;
export const RATE_WINDOW_MS = 10 * 60_000;
export const MAX_FILES = 5;
/** Ticket custom fields whose key starts with this appear on the public form. */
export const PUBLIC_FIELD_PREFIX = "form_";
export const FORM_LOCALES = ["en", "vi", "km", "ta"] as const;

const noNul = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" });

const oneLine = (max: number) => noNul(max).refine((s) => !/[\r\n]/.test(s), { message: "must be one line" });

/** The text fields of a submission (multipart fields, all strings). */
export const ZFormSubmission = z.strictObject({
  token: z.string().max(200),
  /** The honeypot: hidden from people, filled by bots. Must be empty. */
  website: z.string().max(2000).default(""),
  name: oneLine(200).trim().min(1),
  email: z.email().max(320),
  subject: oneLine(300).trim().min(1),
  message: noNul(20_000).trim().min(1),
  locale: z.enum(FORM_LOCALES).default("en"),
  phone: oneLine(40).trim().optional(),
  callback: z.enum(["true", "false"]).default("false"),
  callbackWindowStart: z.iso.datetime({ offset: true }).optional(),
  callbackWindowEnd: z.iso.datetime({ offset: true }).optional(),
  callbackTopic: noNul(2000).optional(),
  /** Custom field values as a JSON object string (keys with the public prefix only). */
  customFields: z.string().max(20_000).optional(),
  /** The page's suggestion session: the articles it showed are marked as followed by this request. */
  sid: ZSid.optional(),
});
export type TFormSubmission = z.infer<typeof ZFormSubmission>;

export type FormFile = UploadedFile;

const refuse = (code: "bad_request" | "rate_limited", status: number, message: string, reason: string) =>
  new AppError(code, status, message, { reason });

/** A token that records when the form was served: `<issued ms>.<nonce>.<hmac>`. */
export function issueToken(ctx: Ctx): string {
  const body = `${ctx.now().getTime()}.${randomBytes(9).toString("base64url")}`;
  return `${body}.${hmacHex(derive(ctx.config, "form-token"), body)}`;
}

/** Checks a form token's signature and age; throws a 400 with the reason. */
export function checkToken(ctx: Ctx, token: string) {
  const [issued, nonce, mac] = token.split(".");
  if (!issued || !nonce || !mac || !/^\d{1,15}$/.test(issued))
    throw refuse(
      "bad_request",
      400,
      "The form is out of date; reload the page and send it again",
      "token_invalid",
    );
  if (!sameHex(mac, hmacHex(derive(ctx.config, "form-token"), `${issued}.${nonce}`)))
    throw refuse(
      "bad_request",
      400,
      "The form is out of date; reload the page and send it again",
      "token_invalid",
    );
  const age = ctx.now().getTime() - Number(issued);
  if (age < MIN_FILL_MS)
    throw refuse(
      "bad_request",
      400,
      "That was quick! Please check your message and send it again",
      "too_fast",
    );
  if (age > TOKEN_TTL_MS)
    throw refuse(
      "bad_request",
      400,
      "The form has expired; reload the page and send it again",
      "token_expired",
    );
}

export const ipHash = (ctx: Ctx, ip: string) => hmacHex(derive(ctx.config, "form-ip"), ip).slice(0, 32);

async function record(ctx: Ctx, hash: string, outcome: string, ticketId: string | null = null) {
  await ctx.db.insert(formSubmissions).values({ ipHash: hash, outcome, ticketId, createdAt: ctx.now() });
}

/** The public form's configuration: a fresh timing token and the public custom fields. */
export async function formConfig(ctx: Ctx) {
  const defs = await ctx.db
    .select()
    .from(customFieldDefinitions)
    .where(
      and(
        eq(customFieldDefinitions.entity, "ticket"),
        isNull(customFieldDefinitions.archivedAt),
        like(customFieldDefinitions.key, `${PUBLIC_FIELD_PREFIX}%`),
      ),
    )
    .orderBy(customFieldDefinitions.position);
  return {
    token: issueToken(ctx),
    emailReplies: await mailCanSend(ctx.db),
    minFillMs: MIN_FILL_MS,
    maxFiles: MAX_FILES,
    maxFileBytes: ctx.config.attachmentMaxBytes,
    locales: [...FORM_LOCALES],
    fields: defs
      .filter((d) => ["text", "number", "date", "select", "boolean"].includes(d.type))
      .map((d) => ({
        key: d.key,
        type: d.type as "text" | "number" | "date" | "select" | "boolean",
        label: d.label,
        labels: d.labels ?? {},
        required: d.required,
        options: d.options.map((o) => ({ value: o.value, label: o.label, labels: o.labels ?? {} })),
      })),
  };
}

function parseCustomFields(
  raw: string | undefined,
): Record<string, string | number | boolean | null> | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AppError("bad_request", 400, "customFields must be a JSON object", { field: "customFields" });
  }
  const shape = z.record(
    z.string().max(64).startsWith(PUBLIC_FIELD_PREFIX),
    z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]),
  );
  const r = shape.safeParse(parsed);
  if (!r.success || Object.keys(r.data).length > 50)
    throw new AppError(
      "bad_request",
      400,
      "customFields holds fields that are not on the form or wrong values",
      {
        field: "customFields",
      },
    );
  return r.data;
}

/**
 * A visitor's submission: spam checks (honeypot, timing token, per-address rate limit),
 * then one transaction creates the ticket (channel "web", requester matched by email then
 * phone), stores the files, writes the message, queues the acknowledgement email and, if
 * asked, a call-back. Refusals are recorded (outcome only) and nothing else is written.
 */
export async function submitForm(ctx: Ctx, ip: string, fields: Record<string, string>, files: FormFile[]) {
  const hash = ipHash(ctx, ip);
  const since = new Date(ctx.now().getTime() - RATE_WINDOW_MS);
  const [recent] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(formSubmissions)
    .where(and(eq(formSubmissions.ipHash, hash), gte(formSubmissions.createdAt, since)));
  if ((recent?.n ?? 0) >= RATE_LIMIT) {
    throw refuse(
      "rate_limited",
      429,
      "Too many messages from your network; try again in a few minutes",
      "rate_limited",
    );
  }
  const parsed = ZFormSubmission.safeParse(fields);
  if (!parsed.success) {
    await record(ctx, hash, "invalid");
    throw new AppError("validation_failed", 400, "Some fields are missing or not valid", {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const input = parsed.data;
  if (input.website.trim() !== "") {
    await record(ctx, hash, "honeypot");
    throw refuse("bad_request", 400, "The form could not be accepted", "spam_check");
  }
  try {
    checkToken(ctx, input.token);
  } catch (e) {
    await record(ctx, hash, ((e as AppError).details as { reason?: string } | undefined)?.reason ?? "token");
    throw e;
  }
  if (files.length > MAX_FILES)
    throw new AppError("bad_request", 400, `At most ${MAX_FILES} files`, { field: "attachments" });
  for (const f of files) checkContent(f.filename, f.mimetype, f.content.subarray(0, 512));
  const customFields = parseCustomFields(input.customFields);
  const phone = input.phone ? e164(input.phone) : undefined;
  const wantsCallback = input.callback === "true";
  if (wantsCallback && !phone)
    throw new AppError("bad_request", 400, "Give a phone number to be called back", { field: "phone" });

  const result = await withTransaction(
    ctx,
    async (uow) => {
      const { tx, ctx: txCtx } = uow;
      const requester = await matchContact(tx, {
        email: input.email,
        phone,
        name: input.name,
        language: input.locale,
      });
      const storeFiles = async (ticketId: string) => {
        const attachmentIds: string[] = [];
        for (const f of files) {
          const stored = await storeAttachment(txCtx, ticketId, {
            filename: f.filename,
            mimetype: f.mimetype,
            stream: Readable.from([f.content]),
          });
          attachmentIds.push(stored.id);
        }
        return { attachmentIds };
      };
      const [created] = await createTickets(uow, [
        {
          input: {
            subject: input.subject,
            requester: { id: requester.id },
            channel: "web",
            priority: "normal",
            language: input.locale,
            tags: [],
            ...(customFields ? { customFields } : {}),
          },
          requester,
          message: { body: input.message, metadata: { form: { locale: input.locale } }, prepare: storeFiles },
        },
      ]);
      if (!created) throw new Error("ticket vanished");
      const ticket = created.ticket;
      await linkDeflections(tx, {
        sid: input.sid ?? null,
        contactId: requester.id,
        ticketId: ticket.id,
        at: ctx.now(),
      });
      const mailbox = await mailboxForTicket(tx, null);
      const ack = Boolean(mailbox?.ackEnabled);
      if (mailbox && ack)
        await queueAcknowledgement(tx, txCtx, { ticket, mailbox, to: input.email, inReplyTo: null });
      let callbackId: string | null = null;
      if (wantsCallback && phone) {
        const cb = await requestCallback(txCtx, {
          name: input.name,
          phone,
          email: input.email,
          contactId: requester.id,
          topic: input.callbackTopic ?? input.subject,
          source: "form",
          ticketId: ticket.id,
          ...(input.callbackWindowStart ? { windowStart: input.callbackWindowStart } : {}),
          ...(input.callbackWindowEnd ? { windowEnd: input.callbackWindowEnd } : {}),
        });
        callbackId = cb.id;
      }
      await tx
        .insert(formSubmissions)
        .values({ ipHash: hash, outcome: "accepted", ticketId: ticket.id, createdAt: ctx.now() });
      return {
        ticketNumber: ticket.number,
        acknowledgement: ack,
        callbackRequested: callbackId !== null,
      };
    },
    { actor: SYSTEM },
  );
  return result;
}

/** Admins: recent submissions by outcome (what the spam checks refused). */
export async function submissionStats(ctx: Ctx) {
  requireCan(ctx.actor, "forms.manage");
  const since = new Date(ctx.now().getTime() - 7 * 24 * 3600_000);
  const rows = await ctx.db
    .select({ outcome: formSubmissions.outcome, n: sql<number>`count(*)::int` })
    .from(formSubmissions)
    .where(gte(formSubmissions.createdAt, since))
    .groupBy(formSubmissions.outcome)
    .orderBy(desc(sql`count(*)`));
  return {
    since: since.toISOString(),
    byOutcome: rows.map((r) => ({ outcome: r.outcome, count: Number(r.n) })),
  };
}
