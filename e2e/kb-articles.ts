import { type Api, unique } from "./helpers.ts";

/**
 * One help-centre article in every shipped language for the self-service specs (portal, web
 * form, widget): what a customer types finds it (Vietnamese without diacritics, a word inside
 * unspaced Khmer).
 */
export const LANGS = ["en", "vi", "km", "ta"] as const;
export type Lang = (typeof LANGS)[number];

/** The article in each language, and what the customer types (Vietnamese without diacritics, a word inside unspaced Khmer). */
export const ARTICLE: Record<Lang, { title: string; body: string; typed: string }> = {
  en: {
    title: "Reset the router password",
    body: "<p>Hold the reset button for ten seconds, then sign in with the password on the label.</p>",
    typed: "router password",
  },
  vi: {
    title: "Đặt lại mật khẩu bộ định tuyến",
    body: "<p>Giữ nút đặt lại mười giây, rồi đăng nhập bằng mật khẩu trên nhãn.</p>",
    typed: "mat khau bo dinh tuyen",
  },
  km: {
    title: "របៀបប្តូរពាក្យសម្ងាត់រ៉ោតទ័រ",
    body: "<p>ដើម្បីប្តូរពាក្យសម្ងាត់របស់អ្នកសូមចុចប៊ូតុងកំណត់ឡើងវិញ</p>",
    typed: "ពាក្យសម្ងាត់",
  },
  ta: {
    title: "ரூட்டர் கடவுச்சொல்லை மீட்டமைத்தல்",
    body: "<p>மீட்டமை பொத்தானை பத்து விநாடிகள் அழுத்திப் பிடிக்கவும்.</p>",
    typed: "கடவுச்சொல்லை",
  },
};

/** The article published in every language, its titles ending in `suffix`. */
export async function publishArticle(admin: Api, suffix: string) {
  const cat = await admin.send<{ id: string }>("POST", "/kb/categories", {
    names: {
      en: { name: unique("Internet") },
      vi: { name: "Mạng" },
      km: { name: "អ៊ីនធឺណិត" },
      ta: { name: "இணையம்" },
    },
  });
  const a = await admin.send<{ id: string }>("POST", "/kb/articles", {
    categoryId: cat.id,
    title: `${ARTICLE.en.title} ${suffix}`,
    body: ARTICLE.en.body,
  });
  for (const lang of ["vi", "km", "ta"] as const)
    await admin.send("POST", `/kb/articles/${a.id}/translations`, {
      language: lang,
      title: `${ARTICLE[lang].title} ${suffix}`,
      body: ARTICLE[lang].body,
    });
  await admin.send("POST", `/kb/articles/${a.id}/publish`, { languages: [...LANGS] });
  return a.id;
}
