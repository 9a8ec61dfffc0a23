/**
 * The help centre's own words in the four shipped languages; a language the admin adds
 * (articles written in it) gets the English words around its articles.
 */
const en = {
  helpCentre: "Help Centre",
  howCanWeHelp: "How can we help?",
  searchLabel: "Search the help centre",
  searchPlaceholder: "Search for answers",
  search: "Search",
  categories: "Categories",
  articles: "{n} articles",
  popular: "Popular articles",
  resultsFor: "Results for “{q}”",
  resultCount: "{n} articles found",
  noResults: "No articles match your search. Try other words, or contact us.",
  wasHelpful: "Was this article helpful?",
  yes: "Yes",
  no: "No",
  commentLabel: "Tell us more (optional)",
  send: "Send feedback",
  thanks: "Thank you for your feedback.",
  votes: "{yes} of {total} people found this helpful",
  related: "Related articles",
  contact: "Still need help?",
  contactLink: "Contact support",
  fallback: "This article is not yet available in {language}, so it is shown in {fallback}.",
  updated: "Updated {date}",
  language: "Language",
  notFound: "Page not found",
  notFoundText: "The page you are looking for does not exist or has moved.",
  backHome: "Back to the help centre",
  empty: "No articles here yet.",
  faq: "Frequently asked questions",
  skip: "Skip to content",
  breadcrumbs: "Breadcrumbs",
};
export type HelpStrings = typeof en;

const vi: HelpStrings = {
  helpCentre: "Trung tâm trợ giúp",
  howCanWeHelp: "Chúng tôi có thể giúp gì cho bạn?",
  searchLabel: "Tìm kiếm trong trung tâm trợ giúp",
  searchPlaceholder: "Tìm câu trả lời",
  search: "Tìm kiếm",
  categories: "Danh mục",
  articles: "{n} bài viết",
  popular: "Bài viết được xem nhiều",
  resultsFor: "Kết quả cho “{q}”",
  resultCount: "Tìm thấy {n} bài viết",
  noResults: "Không có bài viết nào phù hợp. Bạn hãy thử từ khóa khác hoặc liên hệ với chúng tôi.",
  wasHelpful: "Bài viết này có hữu ích với bạn không?",
  yes: "Có",
  no: "Không",
  commentLabel: "Góp ý thêm (không bắt buộc)",
  send: "Gửi góp ý",
  thanks: "Cảm ơn bạn đã góp ý.",
  votes: "{yes}/{total} người thấy bài viết hữu ích",
  related: "Bài viết liên quan",
  contact: "Bạn vẫn cần trợ giúp?",
  contactLink: "Liên hệ bộ phận hỗ trợ",
  fallback: "Bài viết này chưa có bản {language} nên đang được hiển thị bằng {fallback}.",
  updated: "Cập nhật {date}",
  language: "Ngôn ngữ",
  notFound: "Không tìm thấy trang",
  notFoundText: "Trang bạn tìm không tồn tại hoặc đã được chuyển đi.",
  backHome: "Quay lại trung tâm trợ giúp",
  empty: "Chưa có bài viết nào ở đây.",
  faq: "Câu hỏi thường gặp",
  skip: "Chuyển đến nội dung chính",
  breadcrumbs: "Đường dẫn",
};

const km: HelpStrings = {
  helpCentre: "មជ្ឈមណ្ឌលជំនួយ",
  howCanWeHelp: "តើយើងអាចជួយអ្វីបានខ្លះ?",
  searchLabel: "ស្វែងរកក្នុងមជ្ឈមណ្ឌលជំនួយ",
  searchPlaceholder: "ស្វែងរកចម្លើយ",
  search: "ស្វែងរក",
  categories: "ប្រភេទ",
  articles: "អត្ថបទ {n}",
  popular: "អត្ថបទពេញនិយម",
  resultsFor: "លទ្ធផលសម្រាប់ “{q}”",
  resultCount: "រកឃើញអត្ថបទ {n}",
  noResults: "រកមិនឃើញអត្ថបទដែលត្រូវនឹងការស្វែងរករបស់អ្នកទេ។ សូមសាកល្បងពាក្យផ្សេង ឬទាក់ទងមកយើងខ្ញុំ។",
  wasHelpful: "តើអត្ថបទនេះមានប្រយោជន៍សម្រាប់អ្នកទេ?",
  yes: "បាទ/ចាស",
  no: "ទេ",
  commentLabel: "ប្រាប់យើងខ្ញុំបន្ថែម (ស្រេចចិត្ត)",
  send: "ផ្ញើមតិយោបល់",
  thanks: "សូមអរគុណចំពោះមតិយោបល់របស់អ្នក។",
  votes: "{yes} នាក់ក្នុងចំណោម {total} នាក់យល់ថាមានប្រយោជន៍",
  related: "អត្ថបទពាក់ព័ន្ធ",
  contact: "នៅតែត្រូវការជំនួយមែនទេ?",
  contactLink: "ទាក់ទងផ្នែកជំនួយអតិថិជន",
  fallback: "អត្ថបទនេះមិនទាន់មានជាភាសា{language}នៅឡើយទេ ដូច្នេះកំពុងបង្ហាញជាភាសា{fallback}។",
  updated: "បានធ្វើបច្ចុប្បន្នភាព {date}",
  language: "ភាសា",
  notFound: "រកមិនឃើញទំព័រ",
  notFoundText: "ទំព័រដែលអ្នកកំពុងស្វែងរកមិនមាន ឬត្រូវបានផ្លាស់ទីហើយ។",
  backHome: "ត្រឡប់ទៅមជ្ឈមណ្ឌលជំនួយ",
  empty: "មិនទាន់មានអត្ថបទនៅទីនេះនៅឡើយទេ។",
  faq: "សំណួរដែលសួរញឹកញាប់",
  skip: "រំលងទៅខ្លឹមសារ",
  breadcrumbs: "ផ្លូវរុករក",
};

const ta: HelpStrings = {
  helpCentre: "உதவி மையம்",
  howCanWeHelp: "நாங்கள் உங்களுக்கு எப்படி உதவலாம்?",
  searchLabel: "உதவி மையத்தில் தேடுங்கள்",
  searchPlaceholder: "பதில்களைத் தேடுங்கள்",
  search: "தேடு",
  categories: "வகைகள்",
  articles: "{n} கட்டுரைகள்",
  popular: "பிரபலமான கட்டுரைகள்",
  resultsFor: "“{q}” க்கான முடிவுகள்",
  resultCount: "{n} கட்டுரைகள் கிடைத்தன",
  noResults: "உங்கள் தேடலுக்குப் பொருந்தும் கட்டுரைகள் இல்லை. வேறு சொற்களில் முயற்சிக்கவும் அல்லது எங்களைத் தொடர்புகொள்ளவும்.",
  wasHelpful: "இந்தக் கட்டுரை உங்களுக்கு உதவியாக இருந்ததா?",
  yes: "ஆம்",
  no: "இல்லை",
  commentLabel: "மேலும் சொல்லுங்கள் (விருப்பத்தேர்வு)",
  send: "கருத்தை அனுப்பு",
  thanks: "உங்கள் கருத்துக்கு நன்றி.",
  votes: "{total} பேரில் {yes} பேருக்கு இது உதவியாக இருந்தது",
  related: "தொடர்புடைய கட்டுரைகள்",
  contact: "இன்னும் உதவி தேவையா?",
  contactLink: "ஆதரவுக் குழுவைத் தொடர்புகொள்ளுங்கள்",
  fallback: "இந்தக் கட்டுரை இன்னும் {language} மொழியில் கிடைக்கவில்லை, எனவே {fallback} மொழியில் காட்டப்படுகிறது.",
  updated: "புதுப்பிக்கப்பட்டது: {date}",
  language: "மொழி",
  notFound: "பக்கம் கிடைக்கவில்லை",
  notFoundText: "நீங்கள் தேடும் பக்கம் இல்லை அல்லது இடம் மாற்றப்பட்டுள்ளது.",
  backHome: "உதவி மையத்துக்குத் திரும்பு",
  empty: "இங்கு இன்னும் கட்டுரைகள் இல்லை.",
  faq: "அடிக்கடி கேட்கப்படும் கேள்விகள்",
  skip: "உள்ளடக்கத்துக்குச் செல்",
  breadcrumbs: "வழிசெலுத்தல் பாதை",
};

const CATALOGS: Record<string, HelpStrings> = { en, vi, km, ta };

export const helpStrings = (language: string): HelpStrings => CATALOGS[language] ?? en;

export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));

/** A language's own name ("Tiếng Việt", "ខ្មែរ", "தமிழ்"), for the language menu. */
export function languageName(code: string, inLanguage = code): string {
  try {
    const name = new Intl.DisplayNames([inLanguage], { type: "language" }).of(code) ?? code;
    return name.charAt(0).toLocaleUpperCase(inLanguage) + name.slice(1);
  } catch {
    return code;
  }
}
