import { fill, pickLocale } from "../email/templates.ts";

/**
 * What the customer reads in the thread when tickets are merged, in the ticket's language
 * (English, Vietnamese, Khmer, Tamil). `{target}`, `{sources}` are ticket numbers.
 */
const MERGE_NOTICES = {
  en: {
    source:
      "Your request #{source} has been merged into request #{target} ({subject}), so that one person can look after everything in one place. We will continue there; you can simply reply to this message.",
    target:
      "Your requests {sources} have been merged into this request (#{target}). Everything you sent is kept here, and we will continue in this conversation.",
  },
  vi: {
    source:
      "Yêu cầu #{source} của quý khách đã được gộp vào yêu cầu #{target} ({subject}) để một nhân viên theo dõi mọi việc ở cùng một nơi. Chúng tôi sẽ tiếp tục trao đổi ở đó; quý khách chỉ cần trả lời thư này như bình thường.",
    target:
      "Các yêu cầu {sources} của quý khách đã được gộp vào yêu cầu này (#{target}). Mọi nội dung quý khách đã gửi đều được giữ lại tại đây, và chúng tôi sẽ tiếp tục trao đổi trong cuộc hội thoại này.",
  },
  km: {
    source:
      "សំណើ #{source} របស់លោកអ្នកត្រូវបានបញ្ចូលទៅក្នុងសំណើ #{target} ({subject}) ដើម្បីឱ្យបុគ្គលិកម្នាក់អាចតាមដានគ្រប់យ៉ាងនៅកន្លែងតែមួយ។ យើងនឹងបន្តនៅទីនោះ ហើយលោកអ្នកអាចឆ្លើយតបសារនេះដូចធម្មតា។",
    target:
      "សំណើ {sources} របស់លោកអ្នកត្រូវបានបញ្ចូលទៅក្នុងសំណើនេះ (#{target})។ អ្វីៗដែលលោកអ្នកបានផ្ញើត្រូវបានរក្សាទុកនៅទីនេះ ហើយយើងនឹងបន្តការសន្ទនានៅក្នុងសំណើនេះ។",
  },
  ta: {
    source:
      "உங்கள் கோரிக்கை #{source}, கோரிக்கை #{target} ({subject}) உடன் இணைக்கப்பட்டுள்ளது; இதனால் ஒருவரே அனைத்தையும் ஒரே இடத்தில் கவனித்துக்கொள்வார். நாங்கள் அங்கே தொடர்வோம்; இந்தச் செய்திக்கு வழக்கம்போல் பதிலளிக்கலாம்.",
    target:
      "உங்கள் கோரிக்கைகள் {sources} இந்தக் கோரிக்கையுடன் (#{target}) இணைக்கப்பட்டுள்ளன. நீங்கள் அனுப்பிய அனைத்தும் இங்கே வைக்கப்பட்டுள்ளன; இந்த உரையாடலிலேயே நாங்கள் தொடர்வோம்.",
  },
} as const;

/** The notice posted on a merged (source) ticket. */
export function sourceNotice(language: string | null, source: number, target: number, subject: string) {
  return fill(MERGE_NOTICES[pickLocale(language)].source, { source, target, subject });
}

/** The notice posted on the ticket that received the merge. */
export function targetNotice(language: string | null, sources: number[], target: number) {
  return fill(MERGE_NOTICES[pickLocale(language)].target, {
    sources: sources.map((n) => `#${n}`).join(", "),
    target,
  });
}
