import { type SeedRow, seeds } from "./types.ts";

/**
 * Vietnamese: an agent ("em", "tôi", "bên em") writing to a customer ("anh/chị", "quý khách").
 * Matched on folded text, so a reply typed without diacritics ("khong biet") is caught too.
 */
const rows: SeedRow[] = [
  [
    "dont-know",
    "uncertainty",
    "tôi không biết|em không biết|mình không biết|tôi không rõ|em không rõ|ai mà biết",
    "Em sẽ tìm người có thể trả lời câu hỏi này; em gọi lại cho anh/chị sau vài phút được không ạ?",
    "Để em tìm hiểu và báo lại anh/chị ạ.",
  ],
  [
    "not-my-job",
    "not-my-job",
    "không phải việc của tôi|không phải việc của em|không phải việc của mình|không phải trách nhiệm của tôi|không thuộc trách nhiệm của tôi|không phải trách nhiệm của em",
    "Em xin phép chuyển anh/chị sang bộ phận có thể hỗ trợ anh/chị được không ạ?",
  ],
  [
    "company-wont",
    "refusal",
    "công ty không làm vậy|công ty sẽ không làm vậy|công ty không làm như vậy|bên em không làm vậy|chúng tôi không làm vậy",
    "Em sẽ cố gắng hết sức và trao đổi với quản lý về các giải pháp có thể ạ.",
  ],
  ["never", "refusal", "không bao giờ|không đời nào|đừng hòng", "Em sẽ xem có cách nào để hỗ trợ anh/chị ạ."],
  [
    "not-possible",
    "refusal",
    "không thể được|không được đâu|không thể nào|làm không được",
    "Việc này hơi khó, nhưng em sẽ xem bên em có thể làm gì ạ.",
  ],
  [
    "we-cant",
    "refusal",
    "chúng tôi không thể|bên em không thể|tôi không thể giúp|em không thể giúp|không giúp được",
    "Em có thể hỗ trợ anh/chị như sau:",
    "Để em kiểm tra các phương án có thể ạ.",
  ],
  [
    "no-way",
    "refusal",
    "không có cách nào|hết cách rồi|chịu thôi|đành chịu",
    "Em sẽ tìm thêm phương án khác cho anh/chị ạ.",
  ],
  [
    "policy",
    "refusal",
    "trái với chính sách|chính sách không cho phép|quy định không cho phép|theo quy định thì không được",
    "Chính sách thông thường của bên em là …; em sẽ xem có thể ngoại lệ không ạ.",
  ],
  ["unfortunately", "refusal", "rất tiếc là|tiếc là|đáng tiếc là", "Bên em có thể hỗ trợ như sau:"],
  [
    "we-dont-offer",
    "refusal",
    "chúng tôi không hỗ trợ|bên em không hỗ trợ|không hỗ trợ việc này|chúng tôi không cung cấp|bên em không cung cấp",
    "Bên em có thể hỗ trợ anh/chị theo cách …",
  ],
  [
    "have-to-wait",
    "refusal",
    "anh phải chờ thôi|chị phải chờ thôi|bạn phải chờ thôi|đành phải chờ thôi|phải đợi thôi",
    "Việc này cần khoảng …; em sẽ cập nhật cho anh/chị ạ.",
  ],
  [
    "no-refund",
    "refusal",
    "không hoàn tiền|không thể hoàn tiền|không được hoàn tiền",
    "Em sẽ trao đổi với quản lý về khả năng hoàn tiền và báo lại anh/chị ạ.",
  ],
  [
    "your-fault",
    "blame",
    "lỗi của anh|lỗi của chị|lỗi của bạn|lỗi của quý khách|lỗi do anh|lỗi do chị|lỗi do bạn|tại anh mà|tại chị mà",
    "Mình cùng xử lý việc này nhé ạ.",
  ],
  [
    "should-have",
    "blame",
    "đáng lẽ anh phải|đáng lẽ chị phải|đáng lẽ bạn phải|lẽ ra anh nên|lẽ ra chị nên|lẽ ra bạn nên|lẽ ra anh phải|lẽ ra chị phải",
    "Lần sau, anh/chị có thể … để thuận tiện hơn ạ.",
  ],
  [
    "as-i-said",
    "blame",
    "như tôi đã nói|như em đã nói|tôi đã nói rồi|em đã nói rồi|tôi nói rồi mà|em nói rồi mà|tôi đã giải thích rồi",
    "Em xin tóm tắt lại ạ:",
  ],
  [
    "didnt-read",
    "blame",
    "anh không đọc|chị không đọc|bạn không đọc|anh chưa đọc kỹ|chị chưa đọc kỹ|bạn chưa đọc kỹ",
    "Em xin gửi lại hướng dẫn ạ:",
  ],
  [
    "you-did-wrong",
    "blame",
    "anh làm sai|chị làm sai|bạn làm sai|anh nhầm rồi|chị nhầm rồi|bạn nhầm rồi|anh sai rồi|chị sai rồi|bạn sai rồi",
    "Em kiểm tra lại giúp anh/chị nhé.",
  ],
  [
    "not-our-fault",
    "blame",
    "không phải lỗi của chúng tôi|không phải lỗi của bên em|không phải lỗi của công ty|hệ thống không có lỗi",
    "Em sẽ kiểm tra kỹ để tìm nguyên nhân ạ.",
  ],
  [
    "calm-down",
    "rudeness",
    "bình tĩnh đi|anh bình tĩnh lại|chị bình tĩnh lại|bạn bình tĩnh lại|đừng lớn tiếng|đừng to tiếng",
    "Em rất hiểu sự bực mình của anh/chị ạ.",
  ],
  [
    "dont-understand",
    "rudeness",
    "anh không hiểu|chị không hiểu|bạn không hiểu|anh chưa hiểu|chị chưa hiểu",
    "Em xin giải thích rõ hơn ạ.",
  ],
  [
    "whatever",
    "rudeness",
    "sao cũng được|tùy anh thôi|tùy chị thôi|tùy bạn thôi|mặc kệ anh|mặc kệ chị|mặc kệ bạn",
    "Em sẵn sàng hỗ trợ theo lựa chọn của anh/chị ạ.",
  ],
  [
    "dont-care",
    "rudeness",
    "tôi không quan tâm|em không quan tâm|không liên quan đến tôi|không liên quan đến em",
    "Em hiểu mối lo của anh/chị ạ.",
  ],
  [
    "unreasonable",
    "rudeness",
    "yêu cầu vô lý|đòi hỏi vô lý|thật vô lý",
    "Em hiểu mong muốn của anh/chị; em sẽ xem bên em có thể làm gì ạ.",
  ],
  [
    "rules-are-rules",
    "rudeness",
    "quy định là quy định|luật là luật|quy định là vậy",
    "Em hiểu điều này chưa như mong muốn; em xin giải thích lý do và những gì bên em có thể làm ạ.",
  ],
  [
    "ask-someone-else",
    "not-my-job",
    "hỏi người khác|liên hệ bộ phận khác|gọi số khác|hỏi bộ phận khác",
    "Em sẽ kết nối anh/chị với người phụ trách ạ.",
  ],
  [
    "not-in-charge",
    "not-my-job",
    "tôi không phụ trách|em không phụ trách|không thuộc bộ phận của tôi|không thuộc bộ phận của em",
    "Em xin phép chuyển anh/chị sang bộ phận phụ trách ạ.",
  ],
  [
    "contact-yourself",
    "not-my-job",
    "anh tự liên hệ|chị tự liên hệ|bạn tự liên hệ|quý khách tự liên hệ",
    "Em sẽ liên hệ giúp anh/chị ạ.",
  ],
  [
    "nothing-i-can-do",
    "not-my-job",
    "tôi không làm gì được|em không làm gì được|ngoài khả năng của tôi|ngoài khả năng của em",
    "Em có thể hỗ trợ anh/chị như sau:",
  ],
  [
    "not-sure",
    "uncertainty",
    "tôi không chắc|em không chắc|không chắc lắm|chắc vậy|có lẽ vậy|tôi đoán là",
    "Em sẽ kiểm tra và phản hồi lại anh/chị trước …",
  ],
  [
    "cant-promise",
    "uncertainty",
    "không hứa được|không dám hứa|không đảm bảo được|không dám chắc",
    "Em sẽ cố gắng hết sức để …",
  ],
  ["ill-try", "uncertainty", "để tôi thử xem|để em thử xem|em thử xem sao|tôi thử xem sao", "Em sẽ …"],
  [
    "not-resolvable",
    "refusal",
    "không giải quyết được|không xử lý được",
    "Em sẽ tìm cách giải quyết khác cho anh/chị ạ.",
  ],
];

export const vi = seeds("vi", rows);
