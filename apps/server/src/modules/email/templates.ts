import type { AckTemplate } from "./email.table.ts";

/** The response-time promise when a ticket has no SLA first-response target. */
export const RESPONSE_PROMISE_HOURS = 10;

/** Default acknowledgement per language; a mailbox may override each. Placeholders: {number} {subject} {hours} {name}. */
export const DEFAULT_ACK: Record<"en" | "vi" | "km" | "ta", AckTemplate> = {
  en: {
    subject: "We received your request: {subject}",
    body: "Hello {name},\n\nThank you for writing to us. Your request is ticket #{number}. A member of our team will answer within {hours} business hours.\n\nTo add information, simply reply to this email.",
  },
  vi: {
    subject: "Chúng tôi đã nhận yêu cầu của bạn: {subject}",
    body: "Xin chào {name},\n\nCảm ơn bạn đã liên hệ. Yêu cầu của bạn là phiếu #{number}. Nhân viên của chúng tôi sẽ trả lời trong vòng {hours} giờ làm việc.\n\nĐể bổ sung thông tin, bạn chỉ cần trả lời email này.",
  },
  km: {
    subject: "យើងបានទទួលសំណើរបស់អ្នក៖ {subject}",
    body: "សួស្តី {name},\n\nសូមអរគុណដែលបានសរសេរមកយើង។ សំណើរបស់អ្នកគឺសំបុត្រ #{number}។ ក្រុមការងាររបស់យើងនឹងឆ្លើយតបក្នុងរយៈពេល {hours} ម៉ោងធ្វើការ។\n\nដើម្បីបន្ថែមព័ត៌មាន សូមឆ្លើយតបអ៊ីមែលនេះ។",
  },
  ta: {
    subject: "உங்கள் கோரிக்கையைப் பெற்றோம்: {subject}",
    body: "வணக்கம் {name},\n\nஎங்களுக்கு எழுதியதற்கு நன்றி. உங்கள் கோரிக்கை டிக்கெட் #{number}. எங்கள் குழுவினர் {hours} வேலை நேரங்களுக்குள் பதிலளிப்பார்கள்.\n\nகூடுதல் தகவலைச் சேர்க்க, இந்த மின்னஞ்சலுக்குப் பதிலளிக்கவும்.",
  },
};

/** The heading over the articles an acknowledgement lists (mailboxes with `ackArticles`). */
export const ACK_ARTICLES_HEADING: Record<"en" | "vi" | "km" | "ta", string> = {
  en: "While you wait, these articles may answer your question:",
  vi: "Trong lúc chờ, các bài viết này có thể trả lời câu hỏi của bạn:",
  km: "ពេលកំពុងរង់ចាំ អត្ថបទទាំងនេះអាចឆ្លើយសំណួររបស់អ្នក៖",
  ta: "நீங்கள் காத்திருக்கும்போது, இந்தக் கட்டுரைகள் உங்கள் கேள்விக்குப் பதிலளிக்கலாம்:",
};

export const DEFAULT_AUTH: Record<"en" | "vi" | "km" | "ta", { reset: AckTemplate; invite: AckTemplate }> = {
  en: {
    reset: {
      subject: "Reset your Rapport password",
      body: "Hello {name},\n\nUse this link to choose a new password:\n{url}\n\nWhen you set it, you are signed out everywhere and your API tokens are revoked: create new ones for your scripts and integrations.\n\nIf you did not ask for this, ignore this email.",
    },
    invite: {
      subject: "You are invited to Rapport",
      body: "Hello {name},\n\nYou have been invited to join the support team. Set your password here:\n{url}",
    },
  },
  vi: {
    reset: {
      subject: "Đặt lại mật khẩu Rapport",
      body: "Xin chào {name},\n\nDùng liên kết này để chọn mật khẩu mới:\n{url}\n\nKhi đặt mật khẩu mới, bạn sẽ bị đăng xuất khỏi mọi nơi và các token API của bạn sẽ bị thu hồi: hãy tạo token mới cho các script và tích hợp của bạn.\n\nNếu bạn không yêu cầu, hãy bỏ qua email này.",
    },
    invite: {
      subject: "Bạn được mời tham gia Rapport",
      body: "Xin chào {name},\n\nBạn được mời tham gia nhóm hỗ trợ. Đặt mật khẩu tại đây:\n{url}",
    },
  },
  km: {
    reset: {
      subject: "កំណត់ពាក្យសម្ងាត់ Rapport ឡើងវិញ",
      body: "សួស្តី {name},\n\nប្រើតំណនេះដើម្បីជ្រើសរើសពាក្យសម្ងាត់ថ្មី៖\n{url}\n\nនៅពេលអ្នកកំណត់វា អ្នកនឹងត្រូវចាកចេញពីគ្រប់ទីកន្លែង ហើយ token API របស់អ្នកនឹងត្រូវដកហូត៖ សូមបង្កើត token ថ្មីសម្រាប់ស្គ្រីប និងការតភ្ជាប់របស់អ្នក។\n\nប្រសិនបើអ្នកមិនបានស្នើសុំទេ សូមមិនអើពើអ៊ីមែលនេះ។",
    },
    invite: {
      subject: "អ្នកត្រូវបានអញ្ជើញមក Rapport",
      body: "សួស្តី {name},\n\nអ្នកត្រូវបានអញ្ជើញឱ្យចូលរួមក្រុមជំនួយ។ កំណត់ពាក្យសម្ងាត់របស់អ្នកនៅទីនេះ៖\n{url}",
    },
  },
  ta: {
    reset: {
      subject: "உங்கள் Rapport கடவுச்சொல்லை மீட்டமைக்கவும்",
      body: "வணக்கம் {name},\n\nபுதிய கடவுச்சொல்லைத் தேர்வுசெய்ய இந்த இணைப்பைப் பயன்படுத்தவும்:\n{url}\n\nநீங்கள் அதை அமைத்தவுடன், எல்லா இடங்களிலிருந்தும் வெளியேற்றப்படுவீர்கள், உங்கள் API டோக்கன்கள் திரும்பப் பெறப்படும்: உங்கள் ஸ்கிரிப்டுகள் மற்றும் ஒருங்கிணைப்புகளுக்குப் புதியவற்றை உருவாக்கவும்.\n\nநீங்கள் இதைக் கோரவில்லை என்றால், இந்த மின்னஞ்சலைப் புறக்கணிக்கவும்.",
    },
    invite: {
      subject: "Rapport-இல் சேர உங்களுக்கு அழைப்பு",
      body: "வணக்கம் {name},\n\nஆதரவுக் குழுவில் சேர அழைக்கப்பட்டுள்ளீர்கள். உங்கள் கடவுச்சொல்லை இங்கே அமைக்கவும்:\n{url}",
    },
  },
};

export const pickLocale = (lang: string | null | undefined): "en" | "vi" | "km" | "ta" => {
  const base = (lang ?? "en").slice(0, 2).toLowerCase();
  return base === "vi" || base === "km" || base === "ta" ? base : "en";
};

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
