import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";
import { textToHtml } from "../../lib/html.ts";
import { agentNotifications } from "../automations/automations.table.ts";
import { mailboxForTicket, queue as queueEmail } from "../email/outbound.service.ts";
import { users } from "../users/users.table.ts";

/**
 * Notices to approvers and requesters: an in-app notification (the automations module's
 * `agent_notifications`, the notification list in the top bar) and an email in the
 * recipient's language, both written in the caller's transaction.
 */
export type NoticeKind = "approval.requested" | "approval.escalated" | "approval.decided";

type Vars = { number: number; amount: string; agent: string; outcome?: "approved" | "rejected" };

const TEXT: Record<string, Record<NoticeKind, (v: Vars) => string>> = {
  en: {
    "approval.requested": (v) => `${v.agent} asks you to approve ${v.amount} on ticket #${v.number}`,
    "approval.escalated": (v) =>
      `Not decided in time: ${v.agent}'s request for ${v.amount} on ticket #${v.number} now waits for you`,
    "approval.decided": (v) =>
      `Your request for ${v.amount} on ticket #${v.number} was ${v.outcome === "approved" ? "approved" : "rejected"}`,
  },
  vi: {
    "approval.requested": (v) => `${v.agent} đề nghị anh/chị duyệt ${v.amount} cho phiếu #${v.number}`,
    "approval.escalated": (v) =>
      `Chưa được duyệt đúng hạn: đề nghị ${v.amount} của ${v.agent} cho phiếu #${v.number} nay chờ anh/chị duyệt`,
    "approval.decided": (v) =>
      `Đề nghị ${v.amount} cho phiếu #${v.number} của anh/chị đã ${v.outcome === "approved" ? "được duyệt" : "bị từ chối"}`,
  },
  km: {
    "approval.requested": (v) => `${v.agent} សុំឱ្យអ្នកអនុម័ត ${v.amount} សម្រាប់សំបុត្រ #${v.number}`,
    "approval.escalated": (v) =>
      `មិនទាន់បានសម្រេចទាន់ពេល៖ សំណើ ${v.amount} របស់ ${v.agent} សម្រាប់សំបុត្រ #${v.number} ឥឡូវរង់ចាំអ្នក`,
    "approval.decided": (v) =>
      `សំណើ ${v.amount} របស់អ្នកសម្រាប់សំបុត្រ #${v.number} ត្រូវបាន${v.outcome === "approved" ? "អនុម័ត" : "បដិសេធ"}`,
  },
  ta: {
    "approval.requested": (v) => `டிக்கெட் #${v.number} இல் ${v.amount} ஒப்புதல் அளிக்க ${v.agent} கேட்கிறார்`,
    "approval.escalated": (v) =>
      `நேரத்தில் முடிவு எடுக்கப்படவில்லை: டிக்கெட் #${v.number} இல் ${v.agent} கேட்ட ${v.amount} இப்போது உங்கள் ஒப்புதலுக்குக் காத்திருக்கிறது`,
    "approval.decided": (v) =>
      `டிக்கெட் #${v.number} இல் நீங்கள் கேட்ட ${v.amount} ${v.outcome === "approved" ? "ஒப்புதல் பெற்றது" : "நிராகரிக்கப்பட்டது"}`,
  },
};

/** Money in minor units for a notice, in the reader's language. */
export function money(minor: number, currency: string, locale: string) {
  const f = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

export async function sendNotices(
  tx: DbOrTx,
  userIds: string[],
  kind: NoticeKind,
  n: {
    ticketId: string;
    number: number;
    amountMinor: number;
    currency: string;
    agent: string;
    compensationId: string;
    outcome?: "approved" | "rejected";
  },
  at: Date,
) {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return;
  const people = await tx
    .select({ id: users.id, email: users.email, name: users.name, locale: users.locale })
    .from(users)
    .where(inArray(users.id, ids));
  const mailbox = await mailboxForTicket(tx, null);
  const rows = people.map((p) => {
    const lang = TEXT[p.locale] ? p.locale : "en";
    const text = TEXT[lang] ?? TEXT.en;
    const title = (text as Record<NoticeKind, (v: Vars) => string>)[kind]({
      number: n.number,
      amount: money(n.amountMinor, n.currency, lang),
      agent: n.agent,
      outcome: n.outcome,
    });
    return { p, title };
  });
  await tx.insert(agentNotifications).values(
    rows.map(({ p, title }) => ({
      userId: p.id,
      kind,
      ticketId: n.ticketId,
      title,
      body: "",
      data: { compensationId: n.compensationId },
      createdAt: at,
    })),
  );
  for (const { p, title } of rows) {
    const text = `${p.name},\n\n${title}\n`;
    await queueEmail(tx, {
      kind: "approval",
      mailbox,
      ticketId: null,
      messageId: null,
      id: randomUUID(),
      to: [p.email],
      cc: [],
      subject: `Rapport: ${title}`,
      inReplyTo: null,
      references: [],
      replyTo: null,
      text,
      html: textToHtml(text),
    });
  }
}

/** What the customer is told when a manager reviews a request (ticket language). */
export const REVIEW_MESSAGE: Record<string, string> = {
  en: "Thank you for your patience. I have asked my manager to review what we can offer you, and I will get back to you as soon as I have an answer.",
  vi: "Cảm ơn anh/chị đã kiên nhẫn chờ. Tôi đã đề nghị quản lý của tôi xem xét phương án hỗ trợ anh/chị và sẽ phản hồi ngay khi có câu trả lời.",
  km: "សូមអរគុណចំពោះការអត់ធ្មត់របស់លោកអ្នក។ ខ្ញុំបានស្នើឱ្យអ្នកគ្រប់គ្រងរបស់ខ្ញុំពិនិត្យមើលអ្វីដែលយើងអាចផ្តល់ជូនលោកអ្នក ហើយខ្ញុំនឹងឆ្លើយតបវិញភ្លាមៗនៅពេលមានចម្លើយ។",
  ta: "பொறுமையாகக் காத்திருந்தமைக்கு நன்றி. உங்களுக்கு என்ன வழங்க முடியும் என்பதை என் மேலாளரிடம் பரிசீலிக்கக் கேட்டுள்ளேன்; பதில் கிடைத்தவுடன் உங்களைத் தொடர்புகொள்வேன்.",
};
