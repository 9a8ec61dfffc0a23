import type { Bank } from "./types.ts";

const vnd = new Intl.NumberFormat("vi-VN");

export const vi: Bank = {
  language: "vi",
  locale: "vi-VN",
  givenNames: [
    ["Thị Lan", "lan"],
    ["Văn Hùng", "hung"],
    ["Minh Tuấn", "tuan"],
    ["Thị Hương", "huong"],
    ["Quốc Bảo", "bao"],
    ["Ngọc Anh", "anh"],
    ["Thanh Hà", "ha"],
    ["Đức Thắng", "thang"],
    ["Thu Trang", "trang"],
    ["Hoàng Nam", "nam"],
    ["Phương Linh", "linh"],
    ["Văn Đạt", "dat"],
    ["Thị Mai", "mai"],
    ["Gia Huy", "huy"],
    ["Khánh Vy", "vy"],
    ["Minh Khoa", "khoa"],
    ["Thùy Dung", "dung"],
    ["Hải Yến", "yen"],
    ["Tiến Dũng", "dung"],
    ["Bảo Ngọc", "ngoc"],
  ],
  familyNames: [
    ["Nguyễn", "nguyen"],
    ["Trần", "tran"],
    ["Lê", "le"],
    ["Phạm", "pham"],
    ["Hoàng", "hoang"],
    ["Huỳnh", "huynh"],
    ["Phan", "phan"],
    ["Vũ", "vu"],
    ["Võ", "vo"],
    ["Đặng", "dang"],
    ["Bùi", "bui"],
    ["Đỗ", "do"],
    ["Hồ", "ho"],
    ["Ngô", "ngo"],
    ["Dương", "duong"],
  ],
  familyFirst: true,
  phones: [
    {
      dial: "84",
      prefixes: [
        "90",
        "91",
        "93",
        "94",
        "96",
        "97",
        "98",
        "86",
        "88",
        "89",
        "32",
        "35",
        "37",
        "38",
        "70",
        "77",
        "79",
        "81",
        "83",
        "85",
      ],
      rest: 7,
      timeZone: "Asia/Ho_Chi_Minh",
      weight: 1,
    },
  ],
  organizations: [
    { name: "Công ty TNHH Minh Phát", domain: "minhphat.example" },
    { name: "Chuỗi cà phê Sen Vàng", domain: "senvang-coffee.example" },
    { name: "Nhà sách Đông Á", domain: "nhasachdonga.example" },
  ],
  products: [
    "nồi cơm điện",
    "tai nghe không dây",
    "máy lọc không khí",
    "bàn làm việc",
    "ốp lưng điện thoại",
    "máy xay sinh tố",
    "bộ chăn ga",
    "đồng hồ thông minh",
    "ghế văn phòng",
    "ấm siêu tốc",
  ],
  money: (usd) => `${vnd.format(Math.round((usd * 25_000) / 1000) * 1000)}đ`,
  customerHello: ["Chào shop,", "Chào bạn,", "Xin chào,", "Chào anh chị,", ""],
  customerBye: [
    "Cảm ơn shop.\n{first}",
    "Cảm ơn bạn nhiều!",
    "Mong phản hồi sớm. Cảm ơn!",
    "Trân trọng,\n{first}",
  ],
  agentHello: ["Chào anh/chị {first},", "Kính gửi anh/chị {first},", "Dạ chào anh/chị {first},"],
  agentBye: [
    "Trân trọng,\n{agent}",
    "Thân mến,\n{agent}\nBộ phận Chăm sóc khách hàng",
    "Cảm ơn anh/chị,\n{agent}",
  ],
  followUps: [
    "Shop ơi, có cập nhật gì chưa ạ? Mình chưa nhận được phản hồi.",
    "Mình nhắn mấy hôm rồi mà vẫn chưa thấy ai trả lời. Nhờ shop kiểm tra giúp với.",
    "Việc này hơi gấp với mình, mong shop phản hồi sớm giúp mình nhé.",
    "Mình gọi tổng đài không được nên nhắn lại ở đây. Shop xem giúp mình với ạ.",
  ],
  thanks: [
    "Mình nhận được rồi, cảm ơn shop nhiều nhé!",
    "Ổn rồi ạ, cảm ơn bạn đã hỗ trợ nhanh.",
    "Đã xử lý xong, cảm ơn shop rất nhiều.",
    "Tuyệt vời, đúng cái mình cần. Chúc shop buôn bán đắt hàng!",
  ],
  agentWrapUps: [
    "Dạ em rất vui vì vấn đề đã được giải quyết. Em xin đóng yêu cầu này, nếu cần hỗ trợ thêm anh/chị cứ trả lời email này nhé.",
    "Cảm ơn anh/chị đã xác nhận. Em đánh dấu yêu cầu là đã giải quyết. Chúc anh/chị một tuần vui vẻ!",
    "Dạ tuyệt quá ạ! Nếu có thời gian, anh/chị đánh giá giúp em qua khảo sát ngắn gửi kèm nhé.",
  ],
  agentAsks: [
    "Anh/chị vui lòng gửi giúp em hình ảnh sản phẩm và tem vận chuyển để em xử lý nhanh hơn ạ.",
    "Anh/chị xác nhận giúp em email hoặc số điện thoại đã dùng khi đặt hàng được không ạ? Em chưa tìm thấy đơn theo thông tin này.",
    "Anh/chị cho em xin 4 số cuối của thẻ đã thanh toán để em tra soát giao dịch nhé.",
  ],
  holdNotes: [
    "Đang chờ kho Bình Dương kiểm tra tồn kho. Tạm hoãn đến khi kho phản hồi.",
    "Đã chuyển lên quản lý tài khoản bên đơn vị vận chuyển. Chờ biên bản xác minh.",
    "Cần kế toán duyệt hoàn tiền, tạm hoãn đến đợt duyệt thứ Năm.",
  ],
  contactNotes: [
    "Khách thích liên hệ qua Zalo hơn gọi điện.",
    "Khách quen, mua hàng gần như mỗi tháng.",
    "Khách sỉ, mua cho ba cửa hàng ở Đà Nẵng.",
    "Từng gặp sự cố giao hàng năm ngoái, cần chăm sóc kỹ.",
  ],
  topics: {
    order_status: {
      subjects: [
        "Đơn hàng {order} của tôi đang ở đâu?",
        "Đơn {order} vẫn báo đang xử lý",
        "Kiểm tra tình trạng đơn hàng {order}",
      ],
      openings: [
        'Mình đặt đơn hàng {order} ngày {date}, mua {product}, mà đến giờ vẫn báo "đang xử lý". Khi nào shop giao hàng vậy?',
        "Nhờ shop kiểm tra giúp tình trạng đơn hàng {order}. Mình đã chuyển khoản {amount} nhưng chưa nhận được xác nhận giao hàng.",
        "Đơn {order} ({product}) lẽ ra giao hôm qua rồi. Đơn của mình có vấn đề gì không ạ?",
      ],
      replies: [
        "Dạ em cảm ơn anh/chị đã chờ. Đơn hàng {order} đã xuất kho sáng nay, mã vận đơn là {tracking}. Thường mất 2–3 ngày làm việc để giao tới ạ.",
        "Em xin lỗi vì để anh/chị chờ lâu. Đơn {order} bị giữ lại do {product} tạm hết hàng, nay đã có hàng và đơn sẽ được giao trong hôm nay ạ.",
      ],
      notes: [
        "Hệ thống kho đã giữ {product} cho đơn {order} nhưng chưa in phiếu soạn hàng. Đã nhờ kho đẩy đơn thủ công.",
        "Khách có hai đơn cùng sản phẩm, đơn cần xử lý là {order}.",
      ],
    },
    delivery_delay: {
      subjects: ["Chưa nhận được hàng", "Giao hàng đơn {order} bị trễ", "Mã vận đơn không cập nhật 5 ngày"],
      openings: [
        "Kiện hàng ({tracking}) hẹn giao ngày {date} mà tới giờ vẫn chưa thấy, tra cứu thì 5 ngày nay không cập nhật gì. Shop kiểm tra giúp mình với.",
        "Bên giao hàng báo đã giao đơn {order} nhưng không có người nhận. Không đúng, mình ở nhà cả ngày. Giờ mình phải làm sao?",
        "Mình cần {product} cho sinh nhật cuối tuần này mà đơn {order} đang báo trễ. Có cách nào giao nhanh hơn không shop?",
      ],
      replies: [
        "Em thành thật xin lỗi vì giao hàng chậm. Em đã yêu cầu đơn vị vận chuyển kiểm tra kiện {tracking}, thường họ phản hồi trong 48 giờ, em sẽ báo anh/chị ngay khi có thông tin.",
        "Em đã hẹn bên vận chuyển giao lại đơn {order} vào ngày mai từ 9h đến 13h. Nếu vẫn không được, bên em sẽ gửi đơn mới miễn phí cho anh/chị ạ.",
      ],
      notes: [
        "Cổng thông tin vận chuyển cho thấy kiện nằm ở kho trung chuyển từ {date}. Đã mở khiếu nại với hãng vận chuyển.",
        "Tuần này đã là lần giao trễ thứ ba ở khu vực Thủ Đức với hãng này. Báo bộ phận vận hành.",
      ],
    },
    damaged_item: {
      subjects: ["Hàng bị vỡ khi nhận", "{product} bị hỏng trong đơn hàng", "Giao nhầm sản phẩm đơn {order}"],
      openings: [
        "Hôm nay mình nhận {product} của đơn {order} thì bị nứt một góc, thùng hàng cũng bị móp. Mình muốn đổi sản phẩm mới.",
        "Mình mở hộp ra thì {product} không lên nguồn, đã thử nhiều ổ điện khác nhau rồi. Mã đơn {order}.",
        "Mình đặt {product} mà nhận được sản phẩm khác hoàn toàn. Đơn {order}. Đổi hàng thế nào vậy shop?",
      ],
      replies: [
        "Em rất xin lỗi vì {product} đến tay anh/chị trong tình trạng như vậy. Em đã tạo đơn đổi mới miễn phí cho đơn {order}, shipper sẽ thu hồi sản phẩm lỗi khi giao hàng mới.",
        "Em xin lỗi anh/chị ạ! Em đã gửi nhãn hoàn hàng trả trước qua email. Khi bên vận chuyển quét mã, bên em sẽ gửi ngay sản phẩm đúng cho anh/chị.",
      ],
      notes: [
        "Ảnh khách gửi cho thấy hư hỏng do vận chuyển. Đã duyệt đổi mới, cần lập khiếu nại với hãng cho vận đơn {tracking}.",
        "Lô {product} này tuần này đã có thêm hai khiếu nại. Đã nhờ QA kiểm tra hàng tồn.",
      ],
    },
    refund: {
      subjects: ["Hoàn tiền đơn hàng {order}", "Vẫn chưa nhận được tiền hoàn", "Hủy đơn và hoàn tiền"],
      openings: [
        "Mình đã gửi trả {product} hai tuần trước (đơn {order}) mà vẫn chưa nhận được tiền hoàn {amount}. Shop kiểm tra giúp mình nhé.",
        "Nhờ shop hủy đơn {order} và hoàn tiền giúp mình, mình đặt nhầm và đơn chưa giao.",
        "Mình bị trừ tiền hai lần cho đơn {order}, mỗi lần {amount}. Shop hoàn lại khoản bị trừ dư giúp mình.",
      ],
      replies: [
        "Em đã kiểm tra, khoản hoàn {amount} cho đơn {order} đã được thực hiện hôm nay. Tùy ngân hàng, tiền sẽ về tài khoản trong 3–5 ngày làm việc ạ.",
        "Đơn {order} đã được hủy và khoản hoàn {amount} đang được chuyển về phương thức thanh toán ban đầu của anh/chị ạ.",
      ],
      notes: [
        "Cổng thanh toán ghi nhận trừ tiền hai lần cho {order}. Đã hoàn {amount} cho lần trừ thứ hai.",
        "Kho đã nhận hàng hoàn ngày {date}, tình trạng tốt. Duyệt hoàn tiền.",
      ],
    },
    invoice: {
      subjects: [
        "Xuất hóa đơn VAT cho đơn {order}",
        "Cần bản sao hóa đơn {invoice}",
        "Thắc mắc về hóa đơn {invoice}",
      ],
      openings: [
        "Shop xuất lại giúp hóa đơn {invoice} có tên công ty và mã số thuế bên mình được không? Kế toán bên mình không duyệt được bản hiện tại.",
        "Mình cần bản sao hóa đơn đơn hàng {order} để thanh toán công tác phí, mà không tìm thấy trong tài khoản.",
        "Hóa đơn {invoice} ghi {amount}, nhưng báo giá hai bên thống nhất thấp hơn. Shop kiểm tra giúp đã áp dụng chiết khấu chưa?",
      ],
      replies: [
        "Em đã xuất lại hóa đơn {invoice} với thông tin công ty của anh/chị; file PDF mới có trong email đính kèm và trong mục Đơn hàng trên tài khoản ạ.",
        "Anh/chị nói đúng ạ, chiết khấu 10% chưa được áp dụng. Em đã hủy {invoice} và gửi hóa đơn đã điều chỉnh.",
      ],
      notes: [
        "Hóa đơn điều chỉnh cần biên bản hủy cho {invoice} gốc. Đã nhờ kế toán xử lý.",
        "Khách công nợ 30 ngày, không gửi nhắc thanh toán {invoice} trước hạn.",
      ],
    },
    account_access: {
      subjects: [
        "Không đăng nhập được tài khoản",
        "Không nhận được email đặt lại mật khẩu",
        "Tài khoản bị khóa",
      ],
      openings: [
        "Từ hôm qua mình không đăng nhập được, báo sai mật khẩu. Mình đã đặt lại mật khẩu hai lần mà không nhận được email nào.",
        "Tài khoản của mình bị khóa do nhập sai nhiều lần. Shop mở khóa giúp mình với, mình cần tải hóa đơn.",
        "Mình đổi điện thoại nên không nhận được mã xác thực hai bước nữa. Làm sao để vào lại tài khoản?",
      ],
      replies: [
        "Em đã mở khóa tài khoản và gửi lại đường dẫn đặt lại mật khẩu, đường dẫn có hiệu lực trong 1 giờ. Anh/chị kiểm tra cả thư mục spam giúp em nhé.",
        "Để bảo mật, em đã gỡ thiết bị xác thực cũ. Lần đăng nhập tới, hệ thống sẽ hướng dẫn anh/chị cài đặt trên điện thoại mới ạ.",
      ],
      notes: [
        "Email đặt lại mật khẩu gửi tới địa chỉ này bị trả về hai lần (hộp thư đầy). Đã xin khách địa chỉ khác.",
        "Đã xác minh danh tính bằng mã đơn gần nhất và địa chỉ thanh toán trước khi mở khóa.",
      ],
    },
    product_question: {
      subjects: ["Hỏi về sản phẩm {product}", "{product} có bảo hành không?", "Cách sử dụng {product}"],
      openings: [
        "Trước khi đặt mình muốn hỏi: {product} bảo hành bao lâu và có bảo hành tại nhà không?",
        "{product} có size lớn hơn không shop? Nhìn ảnh thấy hơi nhỏ so với văn phòng bên mình.",
        "Vệ sinh {product} thế nào cho đúng vậy shop? Sách hướng dẫn ghi sơ sài quá, mình sợ làm hỏng.",
      ],
      replies: [
        "Dạ {product} được bảo hành chính hãng 24 tháng, bảo hành tận nơi tại Hà Nội và TP.HCM ạ.",
        "Dạ có ạ, {product} có bản size lớn, dự kiến có hàng lại vào {date}. Em giữ trước cho anh/chị một chiếc nhé?",
      ],
      notes: [
        "Trang sản phẩm chưa ghi rõ điều kiện bảo hành. Đã báo nhóm web.",
        "Tháng này là câu hỏi thứ ba về cách vệ sinh {product}. Nên viết bài hướng dẫn trong trung tâm trợ giúp.",
      ],
    },
    complaint: {
      subjects: [
        "Rất thất vọng về dịch vụ",
        "Khiếu nại về nhân viên giao hàng",
        "Gọi tổng đài không ai nghe máy",
      ],
      openings: [
        "Đây là lần thứ ba đơn của mình bị giao trễ và lần nào mình cũng phải tự đi hỏi. Mình mua ở shop nhiều năm rồi mà giờ đang tính chuyển sang chỗ khác.",
        "Nhân viên giao hàng để kiện hàng ngoài mưa trước cổng, {product} hỏng hết. Như vậy là không chấp nhận được.",
        "Tuần này mình gọi tổng đài bốn lần, lần nào cũng chờ hơn 30 phút rồi đành cúp máy. Có ai làm việc không vậy?",
      ],
      replies: [
        "Em thành thật xin lỗi anh/chị. Lẽ ra anh/chị không phải tự đi hỏi như vậy. Em đã cộng {amount} vào tài khoản như lời xin lỗi và ghi chú để các đơn sau được kiểm tra trước khi giao.",
        "Anh/chị hoàn toàn có lý do để không hài lòng, em xin lỗi. Em đã phản ánh nhân viên giao hàng với hãng vận chuyển và gửi hỏa tốc {product} mới cho anh/chị ngay hôm nay.",
      ],
      notes: [
        "Khách lâu năm. Quản lý đã duyệt tặng {amount} để xin lỗi.",
        "Thời gian chờ tổng đài thứ Hai và thứ Ba hơn 25 phút. Đã báo trưởng nhóm.",
      ],
    },
    thanks: {
      subjects: ["Cảm ơn shop!", "Dịch vụ rất tốt", "Gửi lời cảm ơn"],
      openings: [
        "Mình chỉ muốn gửi lời cảm ơn bạn {agent} đã xử lý đơn hàng của mình rất nhanh tuần trước. Dịch vụ quá tốt!",
        "{product} giao sớm một ngày và rất ưng ý. Cảm ơn shop đã đóng gói cẩn thận.",
      ],
      replies: [
        "Dạ em cảm ơn anh/chị đã dành thời gian nhắn cho bên em! Em đã chuyển lời khen tới cả nhóm, mọi người vui lắm ạ.",
        "Dạ em rất vui khi nghe vậy ạ! Chúc anh/chị dùng {product} thật thích, cần gì anh/chị cứ nhắn em nhé.",
      ],
      notes: ["Đã chia sẻ trong buổi họp đầu tuần.", "Đưa lên bảng khen thưởng tháng này."],
    },
  },
};
