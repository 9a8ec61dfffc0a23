import type en from "./en.ts";

export default {
  "onboarding.nav": "Bắt đầu",
  "onboarding.progress": "{{done}}/{{total}}",
  "onboarding.progressLong": "Đã xong {{done}} trên {{total}} bước",
  "onboarding.title": "Bắt đầu sử dụng",
  "onboarding.intro":
    "Thiết lập Rapport cho đội của bạn. Mỗi bước tự đánh dấu ngay khi hoàn thành; bạn có thể quay lại trang này bất cứ lúc nào.",
  "onboarding.done": "Đã xong",
  "onboarding.todo": "Chưa làm",
  "onboarding.check": "Kiểm tra lại",
  "onboarding.dismiss": "Ẩn danh sách này",
  "onboarding.restore": "Hiện lại trong thanh điều hướng",
  "onboarding.dismissed": "Danh sách đã được ẩn khỏi thanh điều hướng. Trang này vẫn ở /getting-started.",
  "onboarding.step.mailbox": "Kết nối hộp thư",
  "onboarding.step.agents": "Mời nhân viên hỗ trợ",
  "onboarding.step.hours": "Đặt giờ làm việc và mục tiêu phản hồi",
  "onboarding.step.widget": "Cài đặt tiện ích chat",
  "onboarding.step.webForm": "Công bố biểu mẫu web",
  "onboarding.step.contacts": "Nhập danh bạ khách hàng",
  "onboarding.step.testTicket": "Gửi một yêu cầu thử",
  "onboarding.help.mailbox":
    "Thêm địa chỉ hỗ trợ cùng máy chủ thư gửi đi, để email của khách hàng thành yêu cầu và câu trả lời của bạn đến được với họ.",
  "onboarding.help.agents": "Thêm những người trả lời khách hàng, cùng ngôn ngữ và nhóm của họ.",
  "onboarding.help.hours":
    "Cho biết khi nào đội làm việc và trả lời nhanh đến mức nào; đồng hồ SLA chỉ tính giờ làm việc.",
  "onboarding.help.widget": "Tạo một trang chat và dán đoạn mã của nó vào website của bạn.",
  "onboarding.help.webForm":
    "Đặt liên kết tới biểu mẫu liên hệ trên website; bước này được đánh dấu khi khách hàng đầu tiên gửi biểu mẫu.",
  "onboarding.help.contacts": "Đưa khách hàng hiện có vào từ một tệp CSV.",
  "onboarding.help.testTicket":
    "Tự gửi cho mình một yêu cầu qua biểu mẫu web hoặc email, rồi trả lời để xem khách hàng thấy gì.",
  "onboarding.go.mailbox": "Cài đặt email",
  "onboarding.go.agents": "Người dùng",
  "onboarding.go.hours": "SLA và giờ làm việc",
  "onboarding.go.widget": "Cài đặt chat",
  "onboarding.go.webForm": "Biểu mẫu web",
  "onboarding.go.contacts": "Nhập dữ liệu",
  "onboarding.go.testTicket": "Mở biểu mẫu web",
  "onboarding.noMailbox.title": "Không có hộp thư nào gửi được email",
  "onboarding.noMailbox.body":
    "Câu trả lời này sẽ được lưu trong yêu cầu nhưng không được gửi email cho khách hàng cho đến khi có hộp thư với máy chủ thư gửi đi được kết nối.",
} satisfies Record<keyof typeof en, string>;
