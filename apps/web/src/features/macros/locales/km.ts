import type en from "./en.ts";

const km: Record<keyof typeof en, string> = {
  "macros.title": "គំរូឆ្លើយតប",
  "macros.pick": "គំរូឆ្លើយតប",
  "macros.search": "ស្វែងរកគំរូឆ្លើយតប",
  "macros.searchPlaceholder": "ចំណងជើង ឬអត្ថបទ",
  "macros.none": "រកមិនឃើញគំរូទេ",
  "macros.personal": "ផ្ទាល់ខ្លួន",
  "macros.sharedBadge": "ប្រើរួម",
  "macros.create": "គំរូឆ្លើយតបថ្មី",
  "macros.fieldTitle": "ចំណងជើង",
  "macros.body": "ការឆ្លើយតប ({{lang}})",
  "macros.lang.en": "អង់គ្លេស",
  "macros.lang.vi": "វៀតណាម",
  "macros.lang.km": "ខ្មែរ",
  "macros.lang.ta": "តាមិល",
  "macros.placeholders": "កន្លែងជំនួស៖",
  "macros.setStatus": "កំណត់ស្ថានភាព",
  "macros.setPriority": "កំណត់អាទិភាព",
  "macros.addTags": "បន្ថែមស្លាក",
  "macros.assignToMe": "ប្រគល់ឱ្យខ្ញុំ",
  "macros.shared": "ប្រើរួមជាមួយភ្នាក់ងារទាំងអស់",
  "macros.save": "រក្សាទុកគំរូ",
  "macros.languages": "ភាសា",
  "macros.visibility": "ភាពមើលឃើញ",
  "macros.used": "ចំនួនប្រើ",
  "macros.delete": "លុប",
  "macros.deleteNamed": "លុបគំរូ {{name}}",
};

export default km;
