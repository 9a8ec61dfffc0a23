import type { Locale } from "@rapport/shared";

/** The survey's words in the customer's language: the email, the page and the chat prompt. */
export type SurveyStrings = {
  emailSubject: string;
  emailIntro: string;
  emailOutro: string;
  good: string;
  bad: string;
  five: [string, string, string, string, string];
  pageTitle: string;
  question: string;
  commentLabel: string;
  reasonLabel: string;
  reasonNone: string;
  submit: string;
  thanks: string;
  thanksBody: string;
  expired: string;
  used: string;
  unknown: string;
  chooseRating: string;
  chatPrompt: string;
};

export const SURVEY_STRINGS: Record<Locale, SurveyStrings> = {
  en: {
    emailSubject: "How did we do? [#{number}]",
    emailIntro:
      'Hello {name},\n\nYour request #{number} "{subject}" has been solved. How would you rate the support you received?',
    emailOutro:
      "Choosing an answer opens a page where you confirm it and may add a comment. The link works for {days} days.",
    good: "Good, I'm satisfied",
    bad: "Bad, I'm not satisfied",
    five: ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"],
    pageTitle: "Rate our support",
    question: "How would you rate the support for request #{number}?",
    commentLabel: "Anything you would like to add? (optional)",
    reasonLabel: "If you were not satisfied, what went wrong? (optional)",
    reasonNone: "Choose a reason",
    submit: "Send my rating",
    thanks: "Thank you! Your rating has been recorded.",
    thanksBody: "We read every comment and use it to improve our service.",
    expired: "This survey has expired.",
    used: "This survey has already been answered. Thank you!",
    unknown: "This survey link is not valid.",
    chooseRating: "Please choose a rating.",
    chatPrompt: "How would you rate this chat?",
  },
  vi: {
    emailSubject: "Chúng tôi đã hỗ trợ bạn thế nào? [#{number}]",
    emailIntro:
      'Xin chào {name},\n\nYêu cầu #{number} "{subject}" của bạn đã được giải quyết. Bạn đánh giá thế nào về sự hỗ trợ mà bạn đã nhận được?',
    emailOutro:
      "Khi bạn chọn một câu trả lời, một trang sẽ mở ra để bạn xác nhận và có thể thêm góp ý. Liên kết có hiệu lực trong {days} ngày.",
    good: "Tốt, tôi hài lòng",
    bad: "Chưa tốt, tôi không hài lòng",
    five: ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"],
    pageTitle: "Đánh giá dịch vụ hỗ trợ",
    question: "Bạn đánh giá thế nào về sự hỗ trợ cho yêu cầu #{number}?",
    commentLabel: "Bạn có muốn góp ý thêm không? (không bắt buộc)",
    reasonLabel: "Nếu bạn chưa hài lòng, điều gì chưa tốt? (không bắt buộc)",
    reasonNone: "Chọn một lý do",
    submit: "Gửi đánh giá",
    thanks: "Cảm ơn bạn! Đánh giá của bạn đã được ghi nhận.",
    thanksBody: "Chúng tôi đọc mọi góp ý và dùng chúng để cải thiện dịch vụ.",
    expired: "Khảo sát này đã hết hạn.",
    used: "Khảo sát này đã được trả lời. Cảm ơn bạn!",
    unknown: "Liên kết khảo sát này không hợp lệ.",
    chooseRating: "Vui lòng chọn một mức đánh giá.",
    chatPrompt: "Bạn đánh giá cuộc trò chuyện này thế nào?",
  },
  km: {
    emailSubject: "តើយើងបានបម្រើអ្នកល្អដែរឬទេ? [#{number}]",
    emailIntro:
      'សួស្តី {name},\n\nសំណើ #{number} "{subject}" របស់អ្នកត្រូវបានដោះស្រាយរួចហើយ។ តើអ្នកវាយតម្លៃការគាំទ្រដែលអ្នកបានទទួលយ៉ាងដូចម្តេច?',
    emailOutro:
      "នៅពេលអ្នកជ្រើសចម្លើយ ទំព័រមួយនឹងបើកឡើងដើម្បីឱ្យអ្នកបញ្ជាក់ ហើយអាចបន្ថែមមតិយោបល់បាន។ តំណនេះមានសុពលភាព {days} ថ្ងៃ។",
    good: "ល្អ ខ្ញុំពេញចិត្ត",
    bad: "មិនល្អ ខ្ញុំមិនពេញចិត្ត",
    five: ["មិនពេញចិត្តខ្លាំង", "មិនពេញចិត្ត", "ធម្មតា", "ពេញចិត្ត", "ពេញចិត្តខ្លាំង"],
    pageTitle: "វាយតម្លៃសេវាគាំទ្ររបស់យើង",
    question: "តើអ្នកវាយតម្លៃការគាំទ្រសម្រាប់សំណើ #{number} យ៉ាងដូចម្តេច?",
    commentLabel: "តើអ្នកចង់បន្ថែមអ្វីទៀតទេ? (ស្រេចចិត្ត)",
    reasonLabel: "បើអ្នកមិនពេញចិត្ត តើមានបញ្ហាអ្វី? (ស្រេចចិត្ត)",
    reasonNone: "ជ្រើសរើសមូលហេតុ",
    submit: "ផ្ញើការវាយតម្លៃរបស់ខ្ញុំ",
    thanks: "សូមអរគុណ! ការវាយតម្លៃរបស់អ្នកត្រូវបានកត់ត្រាហើយ។",
    thanksBody: "យើងអានរាល់មតិយោបល់ ហើយប្រើវាដើម្បីកែលម្អសេវាកម្មរបស់យើង។",
    expired: "ការស្ទង់មតិនេះផុតកំណត់ហើយ។",
    used: "ការស្ទង់មតិនេះត្រូវបានឆ្លើយរួចហើយ។ សូមអរគុណ!",
    unknown: "តំណស្ទង់មតិនេះមិនត្រឹមត្រូវទេ។",
    chooseRating: "សូមជ្រើសរើសការវាយតម្លៃមួយ។",
    chatPrompt: "តើអ្នកវាយតម្លៃការជជែកនេះយ៉ាងដូចម្តេច?",
  },
  ta: {
    emailSubject: "எங்கள் சேவை எப்படி இருந்தது? [#{number}]",
    emailIntro:
      'வணக்கம் {name},\n\nஉங்கள் கோரிக்கை #{number} "{subject}" தீர்க்கப்பட்டது. நீங்கள் பெற்ற உதவியை எப்படி மதிப்பிடுவீர்கள்?',
    emailOutro:
      "ஒரு பதிலைத் தேர்ந்தெடுத்தால், அதை உறுதிசெய்து கருத்தைச் சேர்க்க ஒரு பக்கம் திறக்கும். இந்த இணைப்பு {days} நாட்களுக்குச் செல்லுபடியாகும்.",
    good: "நன்று, எனக்குத் திருப்தி",
    bad: "சரியில்லை, எனக்குத் திருப்தி இல்லை",
    five: ["மிகவும் அதிருப்தி", "அதிருப்தி", "பரவாயில்லை", "திருப்தி", "மிகவும் திருப்தி"],
    pageTitle: "எங்கள் உதவிச் சேவையை மதிப்பிடுங்கள்",
    question: "கோரிக்கை #{number}-க்கான உதவியை எப்படி மதிப்பிடுவீர்கள்?",
    commentLabel: "வேறு ஏதேனும் சொல்ல விரும்புகிறீர்களா? (விருப்பத்தேர்வு)",
    reasonLabel: "திருப்தி இல்லையெனில், என்ன தவறு நடந்தது? (விருப்பத்தேர்வு)",
    reasonNone: "ஒரு காரணத்தைத் தேர்ந்தெடுக்கவும்",
    submit: "என் மதிப்பீட்டை அனுப்பு",
    thanks: "நன்றி! உங்கள் மதிப்பீடு பதிவுசெய்யப்பட்டது.",
    thanksBody: "ஒவ்வொரு கருத்தையும் படித்து, எங்கள் சேவையை மேம்படுத்தப் பயன்படுத்துகிறோம்.",
    expired: "இந்தக் கருத்துக்கணிப்பு காலாவதியாகிவிட்டது.",
    used: "இந்தக் கருத்துக்கணிப்புக்கு ஏற்கெனவே பதில் அளிக்கப்பட்டுள்ளது. நன்றி!",
    unknown: "இந்தக் கருத்துக்கணிப்பு இணைப்பு செல்லாது.",
    chooseRating: "ஒரு மதிப்பீட்டைத் தேர்ந்தெடுக்கவும்.",
    chatPrompt: "இந்த அரட்டையை எப்படி மதிப்பிடுவீர்கள்?",
  },
};

/** The answers a scale offers, best last: values as the page and the API take them. */
export function scaleOptions(scale: string, s: SurveyStrings): Array<{ value: string; label: string }> {
  if (scale === "five") return s.five.map((label, i) => ({ value: String(i + 1), label }));
  return [
    { value: "bad", label: s.bad },
    { value: "good", label: s.good },
  ];
}
