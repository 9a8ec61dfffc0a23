import type en from "./en.ts";

export default {
  "duplicates.title": "អ្វីដែលអាចស្ទួននឹង {{name}}",
  "duplicates.back": "ត្រឡប់ទៅ {{name}}",
  "duplicates.loadError": "មិនអាចផ្ទុកបញ្ជីស្ទួនបានទេ។",
  "duplicates.none": "រកមិនឃើញអ្វីដែលអាចស្ទួនទេ។",
  "duplicates.explain": "ប្រៀបធៀបទំនាក់ទំនង ជ្រើសមួយដែលត្រូវរក្សាទុក ហើយគូសធីកមួយណាដែលត្រូវបញ្ចូលទៅក្នុងវា។",
  "duplicates.survivor": "ទំនាក់ទំនងដែលត្រូវរក្សាទុក",
  "duplicates.thisContact": "ទំនាក់ទំនងនេះ",
  "duplicates.reason.phone": "លេខទូរសព្ទដូចគ្នា",
  "duplicates.reason.email": "អ៊ីមែលដូចគ្នា",
  "duplicates.reason.name": "ឈ្មោះស្រដៀងគ្នា",
  "duplicates.emails": "អ៊ីមែល",
  "duplicates.phones": "លេខទូរសព្ទ",
  "duplicates.tags": "ស្លាក",
  "duplicates.created": "បានបង្កើត",
  "duplicates.keepThis": "រក្សាមួយនេះ",
  "duplicates.mergeThis": "បញ្ចូល {{name}} ទៅក្នុងទំនាក់ទំនងដែលរក្សាទុក",
  "duplicates.merge": "បញ្ចូល {{count}} ទៅក្នុង {{name}}",
  "duplicates.keeps":
    "សំបុត្រ សារ ផែនការ កំណត់ចំណាំ អ៊ីមែល និងលេខទូរសព្ទ ផ្លាស់ទៅទំនាក់ទំនងដែលរក្សាទុក ហើយការបញ្ចូលគ្នាត្រូវកត់ត្រានៅលើបន្ទាត់ពេលវេលា។",
  "duplicates.conflict": "នៅមានកំណត់ត្រាខ្លះចង្អុលទៅទំនាក់ទំនងស្ទួន ដូច្នេះមិនបានបញ្ចូលអ្វីទេ។",
} satisfies Record<keyof typeof en, string>;
