import type en from "./en.ts";

const vi: Record<keyof typeof en, string> = {
  "macros.title": "Mẫu trả lời",
  "macros.pick": "Mẫu trả lời",
  "macros.search": "Tìm mẫu trả lời",
  "macros.searchPlaceholder": "Tiêu đề hoặc nội dung",
  "macros.none": "Không tìm thấy mẫu nào",
  "macros.personal": "Cá nhân",
  "macros.sharedBadge": "Dùng chung",
  "macros.create": "Mẫu trả lời mới",
  "macros.fieldTitle": "Tiêu đề",
  "macros.body": "Nội dung trả lời ({{lang}})",
  "macros.lang.en": "Tiếng Anh",
  "macros.lang.vi": "Tiếng Việt",
  "macros.lang.km": "Tiếng Khmer",
  "macros.lang.ta": "Tiếng Tamil",
  "macros.placeholders": "Biến thay thế:",
  "macros.setStatus": "Đặt trạng thái",
  "macros.setPriority": "Đặt mức ưu tiên",
  "macros.addTags": "Thêm nhãn",
  "macros.assignToMe": "Giao cho tôi",
  "macros.shared": "Dùng chung cho mọi nhân viên",
  "macros.save": "Lưu mẫu",
  "macros.languages": "Ngôn ngữ",
  "macros.visibility": "Phạm vi",
  "macros.used": "Số lần dùng",
  "macros.delete": "Xóa",
  "macros.deleteNamed": "Xóa mẫu {{name}}",
};

export default vi;
