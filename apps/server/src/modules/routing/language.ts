/**
 * The language of a customer's message, for routing to agents who speak it. Pure and
 * cheap: script detection for Khmer and Tamil, Vietnamese by its letters and diacritics or
 * (typed without accents) by its most frequent words; anything else is English, the
 * organization's common language.
 */
export type DetectedLanguage = "en" | "vi" | "km" | "ta";

const KHMER = /[\u1780-\u17ff\u19e0-\u19ff]/g;
const TAMIL = /[\u0b80-\u0bff]/g;
const LATIN = /[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]/g;
/** Letters only Vietnamese uses among Latin-script languages: ă â đ ê ô ơ ư and the stacked tone marks. */
const VIETNAMESE_LETTERS = /[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]/g;

/** Frequent Vietnamese words as typed without diacritics, none of them an English word. */
const VIETNAMESE_WORDS = new Set(
  (
    "khong duoc cua toi chao xin cam giup minh nhung nguoi viec roi dang voi nay lam chua nhe muon biet " +
    "nhieu nhan hang tien giao hoac vui long thu gio sao cho duoi tren trong ngoai vao ra len xuong " +
    "chung dich vu khach san pham don mua ban tra loi hoi gui nhanh bao lau ngay thang nam tuan " +
    "anh chi em ong ba co va la thi mot cac nhu nao day kia duong dien thoai email tai khoan mat khau " +
    "doi huy hoan phi gia re dat qua luon van cung them nua het moi rat lai nen vay"
  ).split(" "),
);
/** Words of the list above that are also common in English text; they count only next to others. */
const SHARED_WITH_ENGLISH = new Set(["an", "ban", "chi", "co", "em", "la", "ong", "ra", "san", "thu", "va"]);

const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;

export function detectLanguage(text: string): DetectedLanguage {
  const sample = text.slice(0, 20_000);
  const khmer = count(sample, KHMER);
  const tamil = count(sample, TAMIL);
  const latin = count(sample, LATIN);
  if (khmer > 0 && khmer >= tamil && khmer >= latin / 2) return "km";
  if (tamil > 0 && tamil > khmer && tamil >= latin / 2) return "ta";
  if (latin === 0) return "en";
  const viLetters = count(sample, VIETNAMESE_LETTERS);
  if (viLetters >= 2 && viLetters * 40 >= latin) return "vi";
  const words = sample.toLowerCase().match(/[a-z]+/g) ?? [];
  if (words.length === 0) return "en";
  let hits = 0;
  let strong = 0;
  for (const w of words) {
    if (!VIETNAMESE_WORDS.has(w)) continue;
    hits++;
    if (!SHARED_WITH_ENGLISH.has(w)) strong++;
  }
  if (strong >= 2 && hits * 10 >= words.length * 3) return "vi";
  return "en";
}
