import type en from "./en.ts";

export default {
  "duplicates.title": "Các bản có thể trùng với {{name}}",
  "duplicates.back": "Quay lại {{name}}",
  "duplicates.loadError": "Không tải được danh sách bản trùng.",
  "duplicates.none": "Không tìm thấy bản nào có thể trùng.",
  "duplicates.explain": "So sánh các liên hệ, chọn liên hệ cần giữ và đánh dấu những liên hệ sẽ gộp vào đó.",
  "duplicates.survivor": "Liên hệ được giữ lại",
  "duplicates.thisContact": "Liên hệ này",
  "duplicates.reason.phone": "Trùng số điện thoại",
  "duplicates.reason.email": "Trùng email",
  "duplicates.reason.name": "Tên gần giống",
  "duplicates.emails": "Email",
  "duplicates.phones": "Số điện thoại",
  "duplicates.tags": "Thẻ",
  "duplicates.created": "Ngày tạo",
  "duplicates.keepThis": "Giữ liên hệ này",
  "duplicates.mergeThis": "Gộp {{name}} vào liên hệ được giữ",
  "duplicates.merge": "Gộp {{count}} vào {{name}}",
  "duplicates.keeps":
    "Phiếu, tin nhắn, lịch hẹn, ghi chú, email và số điện thoại được chuyển sang liên hệ được giữ; việc gộp được ghi trên dòng thời gian.",
  "duplicates.conflict": "Vẫn còn dữ liệu trỏ tới một bản trùng, nên chưa gộp gì cả.",
} satisfies Record<keyof typeof en, string>;
