import type { Channel, Locale } from "@rapport/shared";

/** The words of a scheduled report email and its charts, per language (en, vi, km, ta). */
export type ReportLabels = {
  subjectDaily: string;
  subjectWeekly: string;
  intro: string;
  organization: string;
  figure: string;
  thisPeriod: string;
  previous: string;
  created: string;
  solved: string;
  backlog: string;
  firstResponse: string;
  resolution: string;
  sla: string;
  csat: string;
  reopenRate: string;
  chartTrend: string;
  chartChannels: string;
  hours: string;
  open: string;
  why: string;
  channel: Record<Channel, string>;
};

export const REPORT_LABELS: Record<Locale, ReportLabels> = {
  en: {
    subjectDaily: "Daily report: {{name}}",
    subjectWeekly: "Weekly report: {{name}}",
    intro: "{{scope}}, {{from}} to {{to}} ({{tz}}).",
    organization: "Whole organization",
    figure: "Figure",
    thisPeriod: "This period",
    previous: "Previous",
    created: "New tickets",
    solved: "Solved",
    backlog: "Backlog",
    firstResponse: "First response (median, hours)",
    resolution: "Resolution (median, hours)",
    sla: "SLA compliance",
    csat: "Satisfaction (CSAT)",
    reopenRate: "Reopen rate",
    chartTrend: "New and solved tickets per day",
    chartChannels: "New tickets by channel",
    hours: "h",
    open: "Open the dashboard:",
    why: "You receive this report because a manager added you to it.",
    channel: { email: "Email", chat: "Chat", phone: "Phone", web: "Web", api: "API", webhook: "Webhook" },
  },
  vi: {
    subjectDaily: "Báo cáo hằng ngày: {{name}}",
    subjectWeekly: "Báo cáo hằng tuần: {{name}}",
    intro: "{{scope}}, từ {{from}} đến {{to}} ({{tz}}).",
    organization: "Toàn tổ chức",
    figure: "Chỉ số",
    thisPeriod: "Kỳ này",
    previous: "Kỳ trước",
    created: "Phiếu mới",
    solved: "Đã giải quyết",
    backlog: "Tồn đọng",
    firstResponse: "Phản hồi đầu tiên (trung vị, giờ)",
    resolution: "Thời gian giải quyết (trung vị, giờ)",
    sla: "Tuân thủ SLA",
    csat: "Mức hài lòng (CSAT)",
    reopenRate: "Tỷ lệ mở lại",
    chartTrend: "Phiếu mới và đã giải quyết mỗi ngày",
    chartChannels: "Phiếu mới theo kênh",
    hours: "giờ",
    open: "Mở bảng điều khiển:",
    why: "Bạn nhận báo cáo này vì một quản lý đã thêm bạn vào danh sách nhận.",
    channel: {
      email: "Email",
      chat: "Trò chuyện",
      phone: "Điện thoại",
      web: "Web",
      api: "API",
      webhook: "Webhook",
    },
  },
  km: {
    subjectDaily: "របាយការណ៍ប្រចាំថ្ងៃ៖ {{name}}",
    subjectWeekly: "របាយការណ៍ប្រចាំសប្តាហ៍៖ {{name}}",
    intro: "{{scope}} ពី {{from}} ដល់ {{to}} ({{tz}})។",
    organization: "អង្គភាពទាំងមូល",
    figure: "តួលេខ",
    thisPeriod: "រយៈពេលនេះ",
    previous: "មុន",
    created: "សំបុត្រថ្មី",
    solved: "បានដោះស្រាយ",
    backlog: "កំពុងរង់ចាំ",
    firstResponse: "ការឆ្លើយតបដំបូង (មធ្យម ម៉ោង)",
    resolution: "ការដោះស្រាយ (មធ្យម ម៉ោង)",
    sla: "ការគោរព SLA",
    csat: "ការពេញចិត្ត (CSAT)",
    reopenRate: "អត្រាបើកឡើងវិញ",
    chartTrend: "សំបុត្រថ្មី និងបានដោះស្រាយ ក្នុងមួយថ្ងៃ",
    chartChannels: "សំបុត្រថ្មីតាមបណ្តាញ",
    hours: "ម៉ោង",
    open: "បើកផ្ទាំងគ្រប់គ្រង៖",
    why: "អ្នកទទួលបានរបាយការណ៍នេះ ព្រោះអ្នកគ្រប់គ្រងម្នាក់បានបន្ថែមអ្នក។",
    channel: {
      email: "អ៊ីមែល",
      chat: "ជជែក",
      phone: "ទូរស័ព្ទ",
      web: "គេហទំព័រ",
      api: "API",
      webhook: "Webhook",
    },
  },
  ta: {
    subjectDaily: "தினசரி அறிக்கை: {{name}}",
    subjectWeekly: "வாராந்திர அறிக்கை: {{name}}",
    intro: "{{scope}}, {{from}} முதல் {{to}} வரை ({{tz}}).",
    organization: "முழு நிறுவனம்",
    figure: "அளவீடு",
    thisPeriod: "இந்தக் காலம்",
    previous: "முந்தையது",
    created: "புதிய டிக்கெட்டுகள்",
    solved: "தீர்க்கப்பட்டவை",
    backlog: "நிலுவை",
    firstResponse: "முதல் பதில் (இடைநிலை, மணி)",
    resolution: "தீர்வு நேரம் (இடைநிலை, மணி)",
    sla: "SLA இணக்கம்",
    csat: "திருப்தி (CSAT)",
    reopenRate: "மீண்டும் திறந்த விகிதம்",
    chartTrend: "நாள்தோறும் புதிய மற்றும் தீர்க்கப்பட்ட டிக்கெட்டுகள்",
    chartChannels: "சேனல் வாரியாக புதிய டிக்கெட்டுகள்",
    hours: "மணி",
    open: "டாஷ்போர்டைத் திறக்க:",
    why: "ஒரு மேலாளர் உங்களைச் சேர்த்ததால் இந்த அறிக்கையைப் பெறுகிறீர்கள்.",
    channel: {
      email: "மின்னஞ்சல்",
      chat: "அரட்டை",
      phone: "தொலைபேசி",
      web: "இணையம்",
      api: "API",
      webhook: "Webhook",
    },
  },
};
