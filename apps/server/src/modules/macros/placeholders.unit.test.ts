import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fillPlaceholders, firstName, renderHtml } from "./placeholders.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

describe("placeholders", () => {
  it("fills known placeholders, keeps unknown ones as written", () => {
    const v = { "customer.first_name": "An", "ticket.number": "42" };
    expect(fillPlaceholders("Hi {{customer.first_name}}, #{{ ticket.number }} {{nope.x}}", v, "text")).toBe(
      "Hi An, #42 {{nope.x}}",
    );
  });

  it("escapes values in HTML: a hostile customer name is text, never markup", () => {
    const v = { "customer.name": `<img src=x onerror="alert(1)">&` };
    expect(renderHtml("Dear {{customer.name}}", v)).toBe(
      "<p>Dear &lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;</p>",
    );
    expect(fillPlaceholders("<b>{{customer.name}}</b>", v, "html")).toBe(
      "<b>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;</b>",
    );
  });

  it(
    "property: whatever the values, the HTML rendering holds no tag or attribute quote from them",
    PROPERTY,
    () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (name, subject) => {
          const html = renderHtml("{{customer.name}} / {{ticket.subject}}", {
            "customer.name": name,
            "ticket.subject": subject,
          });
          const inner = html.replace(/<\/?p>|<br>/g, "");
          return !/[<>"']/.test(inner);
        }),
      );
    },
  );

  it(
    "property: text mode puts values in verbatim, so the reply box shows exactly the customer's name",
    PROPERTY,
    () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 100 }), (name) => {
          return fillPlaceholders("{{customer.name}}", { "customer.name": name }, "text") === name;
        }),
      );
    },
  );

  it("takes the given name where the family name comes first", () => {
    expect(firstName("Nguyễn Văn An", "vi")).toBe("An");
    expect(firstName("Sok Dara", "km")).toBe("Dara");
    expect(firstName("Priya Raman", "ta")).toBe("Priya");
    expect(firstName("Jane Doe", null)).toBe("Jane");
    expect(firstName("   ", "en")).toBe("");
  });
});
