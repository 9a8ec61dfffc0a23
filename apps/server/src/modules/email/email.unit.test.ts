import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffMs } from "../../jobs/queue.ts";
import {
  blockRemoteImages,
  cleanSubject,
  isAutoSubmitted,
  isDaemon,
  messageIdList,
  normalizeMessageId,
  plusAddress,
  subjectTicketNumber,
  threadIndexRoot,
} from "./email.parse.ts";
import { dropTrailingAttribution, foldHtml, foldText } from "./email.quote.ts";
import { headerSafe, replyAddress, ticketSubject } from "./outbound.service.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

describe("quote folding", () => {
  const cases: Array<[string, string, string]> = [
    ["Gmail en", "Thanks!\n\nOn Mon, 3 Jun 2024 at 10:00, Bob <b@x.test> wrote:\n> hi", "Thanks!"],
    [
      "Gmail wrapped attribution",
      "Ok.\n\nOn Mon, 3 Jun 2024 at 10:00, Bob Example <\nbob@x.test> wrote:\n> hi",
      "Ok.",
    ],
    ["Outlook", "Done.\n\n________________________________\nFrom: A\nSent: Monday\nTo: B\n\nold", "Done."],
    [
      "Outlook From block",
      "Done.\n\nFrom: Support <s@x.test>\nSent: Monday, June 3\nSubject: x\n\nold",
      "Done.",
    ],
    ["Original Message", "Yes.\n\n-----Original Message-----\nFrom: a", "Yes."],
    [
      "Vietnamese Gmail",
      "Được rồi.\n\nVào Th 2, 3 thg 6, 2024 lúc 10:00 An <a@x.test> đã viết:\n> cũ",
      "Được rồi.",
    ],
    ["Vietnamese Outlook", "Cảm ơn.\n\nTừ: Hỗ trợ <s@x.test>\nĐã gửi: Thứ Hai\nChủ đề: x\n\ncũ", "Cảm ơn."],
    ["Khmer", "អរគុណ។\n\nនៅថ្ងៃ ច័ន្ទ Acme <s@x.test> បានសរសេរ៖\n> ចាស់", "អរគុណ។"],
    ["Tamil", "நன்றி.\n\nதிங்., 3 ஜூன், 2024 அன்று, Acme <s@x.test> எழுதியது:\n> பழைய", "நன்றி."],
    ["signature", "Call me.\n-- \nSam\nCEO", "Call me."],
    ["trailing quote block", "New text\n\n> old 1\n> old 2", "New text"],
  ];
  it.each(cases)("%s", (_n, input, body) => {
    const f = foldText(input);
    expect(f.body).toBe(body);
    expect(f.quoted.length).toBeGreaterThan(0);
  });
  it("keeps interleaved replies whole", () => {
    const text = "> question 1\nanswer 1\n> question 2\nanswer 2";
    expect(foldText(text)).toEqual({ body: text, quoted: "" });
  });
  it("never folds everything away", () => {
    expect(foldText("On Mon, Bob wrote:\n> all quoted").body).toContain("all quoted");
  });
  it("property: body + quoted keep every non-blank line of the input", PROPERTY, () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom("-- ", "> q", "On x wrote:", "From: a", "Sent: b")), {
          maxLength: 20,
        }),
        (lines) => {
          const input = lines.join("\n");
          const f = foldText(input);
          const joined = `${f.body}\n${f.quoted}`;
          for (const l of lines) if (l.trim()) expect(joined).toContain(l.trim());
        },
      ),
    );
  });
  it("splits HTML at client quote markers", () => {
    expect(foldHtml('<div>new</div><div class="gmail_quote">old</div>')).toEqual({
      body: "<div>new</div>",
      quoted: '<div class="gmail_quote">old</div>',
    });
    expect(foldHtml('<p>new</p><blockquote type="cite">old</blockquote>').body).toBe("<p>new</p>");
    expect(foldHtml('<p>new</p><div id="divRplyFwdMsg">old</div>').body).toBe("<p>new</p>");
    expect(foldHtml("<p>nothing quoted</p>").quoted).toBe("");
    expect(dropTrailingAttribution("Hi\nOn Mon, Bob wrote:")).toBe("Hi");
  });
});

describe("threading helpers", () => {
  it("reads ticket tokens and plus-addresses", () => {
    expect(subjectTicketNumber("Re: Help [#1234]")).toBe(1234);
    expect(subjectTicketNumber("Re: Help #1234")).toBeNull();
    expect(plusAddress("Support+t77@Acme.test")).toEqual({ base: "support@acme.test", ticketNumber: 77 });
    expect(plusAddress("support+news@acme.test")).toEqual({ base: "support@acme.test", ticketNumber: null });
    expect(plusAddress("support@acme.test").ticketNumber).toBeNull();
    expect(replyAddress("support@acme.test", 42)).toBe("support+t42@acme.test");
  });
  it("cleans reply prefixes and tokens in every language", () => {
    expect(cleanSubject("Re: RE: Fwd: Help [#12]")).toBe("Help");
    expect(cleanSubject("Trả lời: Chuyển tiếp: Hóa đơn")).toBe("Hóa đơn");
    expect(cleanSubject("AW: TR: Rechnung")).toBe("Rechnung");
  });
  it("normalizes Message-IDs and lists", () => {
    expect(normalizeMessageId(" <a@b> ")).toBe("<a@b>");
    expect(normalizeMessageId("a@b")).toBe("<a@b>");
    expect(normalizeMessageId("garbage")).toBeNull();
    expect(messageIdList("<a@b> <c@d>\r\n <a@b>")).toEqual(["<a@b>", "<c@d>"]);
  });
  it("takes the first 22 bytes of Thread-Index as the conversation", () => {
    const root = Buffer.alloc(22, 3);
    const a = threadIndexRoot(root.toString("base64"));
    const b = threadIndexRoot(Buffer.concat([root, Buffer.alloc(5, 9)]).toString("base64"));
    expect(a).toBe(b);
    expect(threadIndexRoot("short")).toBeNull();
  });
});

describe("loop detection", () => {
  const h = (o: Record<string, string>) => new Map(Object.entries(o));
  it("recognizes auto-replies, bulk mail and daemons", () => {
    expect(isAutoSubmitted(h({ "auto-submitted": "auto-replied" }), "a@x")).toBe(true);
    expect(isAutoSubmitted(h({ "auto-submitted": "no" }), "a@x")).toBe(false);
    for (const p of ["bulk", "junk", "list", "auto_reply"])
      expect(isAutoSubmitted(h({ precedence: p }), "a@x")).toBe(true);
    expect(isAutoSubmitted(h({ "x-autoreply": "yes" }), "a@x")).toBe(true);
    expect(isAutoSubmitted(h({ "x-auto-response-suppress": "All" }), "a@x")).toBe(true);
    expect(isAutoSubmitted(h({}), "MAILER-DAEMON@x.test")).toBe(true);
    expect(isDaemon("postmaster@x.test")).toBe(true);
    expect(isDaemon("noreply@x.test")).toBe(true);
    expect(isDaemon("alice@x.test")).toBe(false);
  });
});

describe("outbound header safety", () => {
  it("property: header values never contain CR, LF or other controls", PROPERTY, () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.integer({ min: 1, max: 10_000 }), (s, n) => {
        expect(headerSafe(s)).not.toMatch(/[\u0000-\u001f\u007f]/);
        expect(ticketSubject(s, n)).not.toMatch(/[\r\n]/);
        expect(ticketSubject(s, n).endsWith(`[#${n}]`)).toBe(true);
      }),
    );
  });
  it("blocks remote images but keeps inline ones", () => {
    const r = blockRemoteImages(
      '<img src="https://t.test/p.gif"><img src="/api/v1/attachments/1"><img alt="a" src="http://x">',
    );
    expect(r.count).toBe(2);
    expect(r.html).not.toContain("t.test");
    expect(r.html).toContain("/api/v1/attachments/1");
  });
});

describe("job backoff", () => {
  it("property: grows exponentially within jitter and is capped", PROPERTY, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, r) => {
          const ms = backoffMs(attempt, 5000, 3600_000, () => r);
          const exp = Math.min(3600_000, 5000 * 2 ** (attempt - 1));
          expect(ms).toBeGreaterThanOrEqual(Math.floor(exp * 0.8));
          expect(ms).toBeLessThanOrEqual(Math.ceil(exp * 1.2));
        },
      ),
    );
  });
});
