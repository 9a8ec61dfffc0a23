import type { Locale, NotificationKind } from "@rapport/shared";

/**
 * Titles and bodies of every notice kind in the four shipped languages, rendered from the
 * notice's params when it is read (so a user who changes language reads old notices in the
 * new one) and when it is emailed. A notice with a `text` param (an automation's own title, or
 * a row migrated from the old tables) shows that text as its title.
 */
type Params = Record<string, unknown>;
type Rendered = { title: string; body: string };
type Template = (p: Params, l: Labels) => Rendered;

type Labels = {
  metric: Record<string, string>;
  promise: Record<string, string>;
  email: { open: string; why: string };
};

const s = (v: unknown) => (v === null || v === undefined ? "" : String(v));
const n = (p: Params) => s(p.number);

const LABELS: Record<Locale, Labels> = {
  en: {
    metric: { first_response: "First response", next_response: "Next response", resolution: "Resolution" },
    promise: {
      call_back: "Call back",
      refund: "Refund",
      discount: "Discount",
      send_info: "Send information",
      follow_up: "Follow up",
    },
    email: {
      open: "Open in Rapport:",
      why: "You get this email because of your notification settings:",
    },
  },
  vi: {
    metric: {
      first_response: "Phản hồi đầu tiên",
      next_response: "Phản hồi tiếp theo",
      resolution: "Giải quyết",
    },
    promise: {
      call_back: "Gọi lại",
      refund: "Hoàn tiền",
      discount: "Giảm giá",
      send_info: "Gửi thông tin",
      follow_up: "Theo dõi",
    },
    email: {
      open: "Mở trong Rapport:",
      why: "Bạn nhận được email này theo cài đặt thông báo của bạn:",
    },
  },
  km: {
    metric: { first_response: "ការឆ្លើយតបដំបូង", next_response: "ការឆ្លើយតបបន្ទាប់", resolution: "ការដោះស្រាយ" },
    promise: {
      call_back: "ហៅត្រឡប់វិញ",
      refund: "សងប្រាក់វិញ",
      discount: "បញ្ចុះតម្លៃ",
      send_info: "ផ្ញើព័ត៌មាន",
      follow_up: "តាមដាន",
    },
    email: {
      open: "បើកក្នុង Rapport:",
      why: "អ្នកទទួលបានអ៊ីមែលនេះ ដោយសារការកំណត់ការជូនដំណឹងរបស់អ្នក:",
    },
  },
  ta: {
    metric: { first_response: "முதல் பதில்", next_response: "அடுத்த பதில்", resolution: "தீர்வு" },
    promise: {
      call_back: "திரும்ப அழைத்தல்",
      refund: "பணம் திருப்பியளித்தல்",
      discount: "தள்ளுபடி",
      send_info: "தகவல் அனுப்புதல்",
      follow_up: "பின்தொடர்தல்",
    },
    email: {
      open: "Rapport-இல் திறக்க:",
      why: "உங்கள் அறிவிப்பு அமைப்புகளின்படி இந்த மின்னஞ்சல் அனுப்பப்பட்டது:",
    },
  },
};

const metric = (p: Params, l: Labels) => l.metric[s(p.metric)] ?? s(p.metric);
const promiseKind = (p: Params, l: Labels) => l.promise[s(p.promiseKind)] ?? s(p.promiseKind);
const subjectBody = (p: Params) => s(p.subject);

const TEMPLATES: Record<Locale, Record<NotificationKind, Template>> = {
  en: {
    "sla.warning": (p, l) => ({ title: `#${n(p)}: ${metric(p, l)} due soon`, body: subjectBody(p) }),
    "sla.breach": (p, l) => ({ title: `#${n(p)}: ${metric(p, l)} target breached`, body: subjectBody(p) }),
    "ticket.pending_until": (p) => ({ title: `#${n(p)} is back from pending`, body: subjectBody(p) }),
    "ticket.assigned": (p) => ({ title: `#${n(p)} was assigned to you`, body: subjectBody(p) }),
    "ticket.runaround": (p) => ({
      title: `#${n(p)} has been transferred ${s(p.transfers)} times`,
      body: subjectBody(p),
    }),
    "promise.reminder": (p, l) => ({ title: `Promise due: ${promiseKind(p, l)}`, body: s(p.description) }),
    "promise.overdue": (p, l) => ({ title: `Promise overdue: ${promiseKind(p, l)}`, body: s(p.description) }),
    "planner.morning_plan": (p) => ({
      title: `${s(p.count)} contacts planned today${Number(p.missed) > 0 ? `, ${s(p.missed)} carried over` : ""}`,
      body: "",
    }),
    "callback.due": (p) => ({ title: `Call back ${s(p.name)} now`, body: s(p.phone) }),
    "automation.notify": (p) => ({ title: s(p.text), body: subjectBody(p) }),
    "approval.requested": (p) => ({ title: `${s(p.requester)} asks for your approval`, body: s(p.summary) }),
    "approval.escalated": (p) => ({
      title: `A request from ${s(p.requester)} now waits for your approval`,
      body: s(p.summary),
    }),
    "approval.decided": (p) => ({
      title:
        p.decision === "approved"
          ? `${s(p.decider)} approved your request`
          : `${s(p.decider)} declined your request`,
      body: s(p.summary),
    }),
    "ticket.negative_sentiment": (p) => ({
      title: `#${n(p)}: the customer sounds upset`,
      body: subjectBody(p),
    }),
    "value.reminder": (p) => ({
      title: `${s(p.name)} usually buys again about now`,
      body: `Last purchase ${s(p.days)} days ago, usually every ${s(p.interval)} days; ${s(p.purchases)} purchases`,
    }),
    "recognition.won": (p) => ({
      title: `You are among the best agents of ${s(p.month)} in ${s(p.team)}`,
      body: `Your score: ${s(p.score)}. Thank you for your work!`,
    }),
  },
  vi: {
    "sla.warning": (p, l) => ({ title: `#${n(p)}: ${metric(p, l)} sắp đến hạn`, body: subjectBody(p) }),
    "sla.breach": (p, l) => ({ title: `#${n(p)}: ${metric(p, l)} đã quá hạn cam kết`, body: subjectBody(p) }),
    "ticket.pending_until": (p) => ({ title: `#${n(p)} đã hết thời gian chờ`, body: subjectBody(p) }),
    "ticket.assigned": (p) => ({ title: `#${n(p)} đã được giao cho bạn`, body: subjectBody(p) }),
    "ticket.runaround": (p) => ({
      title: `#${n(p)} đã bị chuyển ${s(p.transfers)} lần`,
      body: subjectBody(p),
    }),
    "promise.reminder": (p, l) => ({
      title: `Cam kết đến hạn: ${promiseKind(p, l)}`,
      body: s(p.description),
    }),
    "promise.overdue": (p, l) => ({ title: `Cam kết quá hạn: ${promiseKind(p, l)}`, body: s(p.description) }),
    "planner.morning_plan": (p) => ({
      title: `Hôm nay có ${s(p.count)} liên hệ theo kế hoạch${Number(p.missed) > 0 ? `, ${s(p.missed)} chuyển từ hôm trước` : ""}`,
      body: "",
    }),
    "callback.due": (p) => ({ title: `Hãy gọi lại cho ${s(p.name)} ngay`, body: s(p.phone) }),
    "automation.notify": (p) => ({ title: s(p.text), body: subjectBody(p) }),
    "approval.requested": (p) => ({ title: `${s(p.requester)} đề nghị bạn phê duyệt`, body: s(p.summary) }),
    "approval.escalated": (p) => ({
      title: `Đề nghị của ${s(p.requester)} nay chờ bạn phê duyệt`,
      body: s(p.summary),
    }),
    "approval.decided": (p) => ({
      title:
        p.decision === "approved"
          ? `${s(p.decider)} đã phê duyệt yêu cầu của bạn`
          : `${s(p.decider)} đã từ chối yêu cầu của bạn`,
      body: s(p.summary),
    }),
    "ticket.negative_sentiment": (p) => ({
      title: `#${n(p)}: khách hàng đang không hài lòng`,
      body: subjectBody(p),
    }),
    "value.reminder": (p) => ({
      title: `${s(p.name)} thường mua lại vào khoảng thời gian này`,
      body: `Lần mua gần nhất cách đây ${s(p.days)} ngày, thường cứ ${s(p.interval)} ngày một lần; ${s(p.purchases)} lần mua`,
    }),
    "recognition.won": (p) => ({
      title: `Bạn là một trong những nhân viên xuất sắc nhất tháng ${s(p.month)} của ${s(p.team)}`,
      body: `Điểm của bạn: ${s(p.score)}. Cảm ơn bạn vì những đóng góp!`,
    }),
  },
  km: {
    "sla.warning": (p, l) => ({ title: `#${n(p)}: ${metric(p, l)} ជិតដល់ពេលកំណត់`, body: subjectBody(p) }),
    "sla.breach": (p, l) => ({ title: `#${n(p)}: ${metric(p, l)} ហួសពេលកំណត់`, body: subjectBody(p) }),
    "ticket.pending_until": (p) => ({ title: `#${n(p)} បានត្រឡប់មកពីការរង់ចាំ`, body: subjectBody(p) }),
    "ticket.assigned": (p) => ({ title: `#${n(p)} ត្រូវបានចាត់ឱ្យអ្នក`, body: subjectBody(p) }),
    "ticket.runaround": (p) => ({ title: `#${n(p)} ត្រូវបានផ្ទេរ ${s(p.transfers)} ដង`, body: subjectBody(p) }),
    "promise.reminder": (p, l) => ({
      title: `ការសន្យាដល់ពេលកំណត់: ${promiseKind(p, l)}`,
      body: s(p.description),
    }),
    "promise.overdue": (p, l) => ({ title: `ការសន្យាហួសពេលកំណត់: ${promiseKind(p, l)}`, body: s(p.description) }),
    "planner.morning_plan": (p) => ({
      title: `ថ្ងៃនេះមានទំនាក់ទំនង ${s(p.count)} ដែលបានគ្រោងទុក${Number(p.missed) > 0 ? `, ${s(p.missed)} យកមកពីថ្ងៃមុន` : ""}`,
      body: "",
    }),
    "callback.due": (p) => ({ title: `សូមហៅត្រឡប់ទៅ ${s(p.name)} ឥឡូវនេះ`, body: s(p.phone) }),
    "automation.notify": (p) => ({ title: s(p.text), body: subjectBody(p) }),
    "approval.requested": (p) => ({ title: `${s(p.requester)} ស្នើសុំការអនុម័តពីអ្នក`, body: s(p.summary) }),
    "approval.escalated": (p) => ({
      title: `សំណើរបស់ ${s(p.requester)} ឥឡូវរង់ចាំការអនុម័តពីអ្នក`,
      body: s(p.summary),
    }),
    "approval.decided": (p) => ({
      title:
        p.decision === "approved" ? `${s(p.decider)} បានអនុម័តសំណើរបស់អ្នក` : `${s(p.decider)} បានបដិសេធសំណើរបស់អ្នក`,
      body: s(p.summary),
    }),
    "ticket.negative_sentiment": (p) => ({ title: `#${n(p)}: អតិថិជនហាក់ដូចជាមិនពេញចិត្ត`, body: subjectBody(p) }),
    "value.reminder": (p) => ({
      title: `${s(p.name)} ជាធម្មតាទិញម្ដងទៀតនៅពេលនេះ`,
      body: `ការទិញចុងក្រោយ ${s(p.days)} ថ្ងៃមុន ជាធម្មតារៀងរាល់ ${s(p.interval)} ថ្ងៃម្ដង; ការទិញ ${s(p.purchases)} ដង`,
    }),
    "recognition.won": (p) => ({
      title: `អ្នកស្ថិតក្នុងចំណោមភ្នាក់ងារល្អបំផុតប្រចាំខែ ${s(p.month)} នៃ ${s(p.team)}`,
      body: `ពិន្ទុរបស់អ្នក: ${s(p.score)}។ សូមអរគុណចំពោះការងាររបស់អ្នក!`,
    }),
  },
  ta: {
    "sla.warning": (p, l) => ({
      title: `#${n(p)}: ${metric(p, l)} காலக்கெடு நெருங்குகிறது`,
      body: subjectBody(p),
    }),
    "sla.breach": (p, l) => ({ title: `#${n(p)}: ${metric(p, l)} இலக்கு மீறப்பட்டது`, body: subjectBody(p) }),
    "ticket.pending_until": (p) => ({ title: `#${n(p)} காத்திருப்பிலிருந்து திரும்பியது`, body: subjectBody(p) }),
    "ticket.assigned": (p) => ({ title: `#${n(p)} உங்களுக்கு ஒதுக்கப்பட்டது`, body: subjectBody(p) }),
    "ticket.runaround": (p) => ({
      title: `#${n(p)} ${s(p.transfers)} முறை மாற்றப்பட்டது`,
      body: subjectBody(p),
    }),
    "promise.reminder": (p, l) => ({
      title: `வாக்குறுதி நிலுவை: ${promiseKind(p, l)}`,
      body: s(p.description),
    }),
    "promise.overdue": (p, l) => ({
      title: `வாக்குறுதி காலம் கடந்தது: ${promiseKind(p, l)}`,
      body: s(p.description),
    }),
    "planner.morning_plan": (p) => ({
      title: `இன்று ${s(p.count)} தொடர்புகள் திட்டமிடப்பட்டுள்ளன${Number(p.missed) > 0 ? `, ${s(p.missed)} முந்தைய நாட்களிலிருந்து` : ""}`,
      body: "",
    }),
    "callback.due": (p) => ({ title: `${s(p.name)} அவர்களை இப்போது திரும்ப அழைக்கவும்`, body: s(p.phone) }),
    "automation.notify": (p) => ({ title: s(p.text), body: subjectBody(p) }),
    "approval.requested": (p) => ({ title: `${s(p.requester)} உங்கள் ஒப்புதலைக் கோருகிறார்`, body: s(p.summary) }),
    "approval.escalated": (p) => ({
      title: `${s(p.requester)} அவர்களின் கோரிக்கை இப்போது உங்கள் ஒப்புதலுக்குக் காத்திருக்கிறது`,
      body: s(p.summary),
    }),
    "approval.decided": (p) => ({
      title:
        p.decision === "approved"
          ? `${s(p.decider)} உங்கள் கோரிக்கையை அங்கீகரித்தார்`
          : `${s(p.decider)} உங்கள் கோரிக்கையை நிராகரித்தார்`,
      body: s(p.summary),
    }),
    "ticket.negative_sentiment": (p) => ({
      title: `#${n(p)}: வாடிக்கையாளர் அதிருப்தியில் உள்ளார்`,
      body: subjectBody(p),
    }),
    "value.reminder": (p) => ({
      title: `${s(p.name)} வழக்கமாக இந்நேரத்தில் மீண்டும் வாங்குவார்`,
      body: `கடைசியாக வாங்கியது ${s(p.days)} நாட்களுக்கு முன்; வழக்கமாக ${s(p.interval)} நாட்களுக்கு ஒருமுறை; ${s(p.purchases)} கொள்முதல்கள்`,
    }),
    "recognition.won": (p) => ({
      title: `${s(p.team)} குழுவில் ${s(p.month)} மாதத்தின் சிறந்த முகவர்களில் நீங்களும் ஒருவர்`,
      body: `உங்கள் மதிப்பெண்: ${s(p.score)}. உங்கள் பணிக்கு நன்றி!`,
    }),
  },
};

export const asLocale = (lang: string | null | undefined): Locale => {
  const base = (lang ?? "en").slice(0, 2).toLowerCase();
  return base === "vi" || base === "km" || base === "ta" ? base : "en";
};

/** A notice's title and body in `locale`. Unknown kinds (a row from a newer version) show their `text`. */
export function renderNotice(kind: string, params: Params, locale: string): Rendered {
  const loc = asLocale(locale);
  const t = (TEMPLATES[loc] as Record<string, Template | undefined>)[kind];
  const out = t ? t(params, LABELS[loc]) : { title: s(params.text), body: s(params.body) };
  // An automation's own title, or a row migrated from the old tables, carries its text.
  if (typeof params.text === "string" && params.text) out.title = params.text;
  if (typeof params.body === "string" && params.body && !out.body) out.body = params.body;
  return out;
}

/** The email lines around a notice: where to open it, and why it was sent. */
export const emailLabels = (locale: string) => LABELS[asLocale(locale)].email;
