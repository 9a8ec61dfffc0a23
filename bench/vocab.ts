/**
 * Generated text for the benchmark dataset: English help-desk vocabulary (plain
 * ASCII words, so PostgreSQL's `to_tsvector('simple', …)` and the app's tokenizer
 * produce the same lexemes), plus Vietnamese, Khmer and Tamil sentences whose
 * vectors are always built in JavaScript with the app's own tsvectorLiteral().
 */

/** A deterministic PRNG (mulberry32), so two seeds of the same size produce the same data. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}
export type Rng = ReturnType<typeof rng>;

/** Appears in roughly a third of all messages. */
export const COMMON_WORD = "order";
/** Appears in a few dozen messages only (appended by the seed, see seed.ts). */
export const RARE_WORD = "quokkafrost";
/** A contact-name fragment (matches "Nguyễn" folded, and nothing else). */
export const NAME_FRAGMENT = "nguye";

export const TAGS = [
  "billing",
  "refund",
  "shipping",
  "bug",
  "vip",
  "login",
  "feature",
  "returns",
  "warranty",
  "invoice",
  "mobile",
  "urgent",
  "complaint",
  "onboarding",
  "api",
  "outage",
] as const;

const NOUNS = [
  "order",
  "order",
  "order",
  "package",
  "invoice",
  "account",
  "password",
  "delivery",
  "subscription",
  "refund",
  "card",
  "payment",
  "address",
  "app",
  "screen",
  "email",
  "receipt",
  "product",
  "warranty",
  "charger",
  "battery",
  "discount",
  "coupon",
  "plan",
  "report",
  "export",
  "integration",
  "dashboard",
  "shipment",
  "parcel",
];
const VERBS = [
  "arrived",
  "failed",
  "broke",
  "stopped",
  "changed",
  "disappeared",
  "crashed",
  "expired",
  "charged",
  "cancelled",
  "returned",
  "updated",
  "locked",
  "missing",
  "delayed",
];
const FILLER = [
  "hello",
  "please",
  "help",
  "thanks",
  "again",
  "today",
  "yesterday",
  "since",
  "last",
  "week",
  "still",
  "waiting",
  "could",
  "you",
  "check",
  "my",
  "the",
  "and",
  "it",
  "was",
  "not",
  "when",
  "we",
  "tried",
  "twice",
  "team",
  "customer",
  "support",
  "urgent",
  "asap",
  "regards",
  "best",
  "kind",
  "issue",
  "problem",
  "ticket",
  "number",
  "reference",
  "store",
  "online",
];

/** Multilingual sentences (the app's locales): Vietnamese with diacritics, Khmer, Tamil. */
const VI = [
  "Xin chào, đơn hàng của tôi chưa được giao",
  "Tôi muốn hoàn tiền cho hóa đơn tháng trước",
  "Khách hàng không đăng nhập được vào tài khoản",
  "Gói hàng bị hỏng khi nhận, xin hỗ trợ",
  "Cảm ơn đội ngũ chăm sóc khách hàng",
  "Mật khẩu đã hết hạn, làm sao để đổi",
];
const KM = [
  "សួស្តី ខ្ញុំមិនទាន់ទទួលបានកញ្ចប់ឥវ៉ាន់ទេ",
  "សូមជួយពិនិត្យវិក្កយបត្ររបស់ខ្ញុំ",
  "គណនីរបស់ខ្ញុំត្រូវបានចាក់សោ",
  "អរគុណសម្រាប់ជំនួយរបស់អ្នក",
];
const TA = [
  "வணக்கம், என் ஆர்டர் இன்னும் வரவில்லை",
  "பணத்தைத் திரும்பப் பெற உதவுங்கள்",
  "என் கணக்கில் உள்நுழைய முடியவில்லை",
  "உங்கள் உதவிக்கு நன்றி",
];

export const LANGS = ["vi", "km", "ta"] as const;
const BY_LANG: Record<(typeof LANGS)[number], string[]> = { vi: VI, km: KM, ta: TA };

export function englishSubject(r: Rng): string {
  const n = r.pick(NOUNS);
  const v = r.pick(VERBS);
  const forms = [
    `My ${n} ${v}`,
    `${cap(n)} ${v} after update`,
    `Question about ${n} ${r.int(90000) + 10000}`,
    `${cap(n)} ${v} again`,
    `Help with ${n} and ${r.pick(NOUNS)}`,
  ];
  return r.pick(forms);
}

export function englishBody(r: Rng, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const x = r.next();
    out.push(x < 0.2 ? r.pick(NOUNS) : x < 0.3 ? r.pick(VERBS) : r.pick(FILLER));
  }
  return `${cap(out.join(" "))}.`;
}

export function foreignSubject(r: Rng, lang: (typeof LANGS)[number]): string {
  return r.pick(BY_LANG[lang]);
}

export function foreignBody(r: Rng, lang: (typeof LANGS)[number]): string {
  const list = BY_LANG[lang];
  return `${r.pick(list)}. ${r.pick(list)}. ${r.pick(list)}.`;
}

const FIRST = [
  "James",
  "Mary",
  "John",
  "Patricia",
  "Robert",
  "Jennifer",
  "Michael",
  "Linda",
  "David",
  "Elizabeth",
  "William",
  "Barbara",
  "Richard",
  "Susan",
  "Joseph",
  "Jessica",
  "Thomas",
  "Sarah",
  "Carlos",
  "Maria",
  "Ahmed",
  "Fatima",
  "Kenji",
  "Yuki",
  "Olga",
  "Ivan",
  "Priya",
  "Arjun",
];
const LAST = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Wilson",
  "Anderson",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Thompson",
  "White",
  "Harris",
  "Clark",
  "Lewis",
  "Walker",
  "Hall",
  "Young",
  "King",
];
const VI_FAMILY = ["Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"];
const VI_GIVEN = [
  "Văn An",
  "Thị Bình",
  "Minh Châu",
  "Đức Dũng",
  "Thu Hà",
  "Quốc Huy",
  "Ngọc Lan",
  "Thanh Tâm",
];
const KM_NAMES = ["សុខ ដារ៉ា", "ចាន់ សុភា", "ហេង វណ្ណា", "គឹម សុផល"];
const TA_NAMES = ["அருண் குமார்", "பிரியா ராஜ்", "கார்த்திக் சுப்பிரமணியம்", "மீனா லக்ஷ்மி"];

/**
 * A contact name. About 8% are Vietnamese (a quarter of those "Nguyễn …", the
 * fragment searched for), 1% Khmer, 1% Tamil, the rest Western names.
 */
export function contactName(r: Rng): { name: string; lang: string | null } {
  const x = r.next();
  if (x < 0.02) return { name: `Nguyễn ${r.pick(VI_GIVEN)}`, lang: "vi" };
  if (x < 0.08) return { name: `${r.pick(VI_FAMILY)} ${r.pick(VI_GIVEN)}`, lang: "vi" };
  if (x < 0.09) return { name: r.pick(KM_NAMES), lang: "km" };
  if (x < 0.1) return { name: r.pick(TA_NAMES), lang: "ta" };
  return { name: `${r.pick(FIRST)} ${r.pick(LAST)}`, lang: null };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
