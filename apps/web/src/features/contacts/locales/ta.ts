import type en from "./en.ts";

export default {
  "duplicates.title": "{{name}} க்கான சாத்தியமான நகல்கள்",
  "duplicates.back": "{{name}} க்குத் திரும்பு",
  "duplicates.loadError": "நகல்களை ஏற்ற முடியவில்லை.",
  "duplicates.none": "சாத்தியமான நகல்கள் எதுவும் இல்லை.",
  "duplicates.explain":
    "தொடர்புகளை ஒப்பிட்டு, வைத்திருக்க வேண்டியதைத் தேர்ந்தெடுத்து, அதனுடன் இணைக்க வேண்டியவற்றைக் குறிக்கவும்.",
  "duplicates.survivor": "வைத்திருக்க வேண்டிய தொடர்பு",
  "duplicates.thisContact": "இந்தத் தொடர்பு",
  "duplicates.reason.phone": "ஒரே தொலைபேசி",
  "duplicates.reason.email": "ஒரே மின்னஞ்சல்",
  "duplicates.reason.name": "ஒத்த பெயர்",
  "duplicates.emails": "மின்னஞ்சல்கள்",
  "duplicates.phones": "தொலைபேசிகள்",
  "duplicates.tags": "குறிச்சொற்கள்",
  "duplicates.created": "உருவாக்கப்பட்டது",
  "duplicates.keepThis": "இதை வைத்திரு",
  "duplicates.mergeThis": "{{name}} ஐ வைத்திருக்கும் தொடர்புடன் இணை",
  "duplicates.merge": "{{count}} ஐ {{name}} உடன் இணை",
  "duplicates.keeps":
    "டிக்கெட்டுகள், செய்திகள், திட்டங்கள், குறிப்புகள், மின்னஞ்சல்கள், தொலைபேசிகள் வைத்திருக்கும் தொடர்புக்கு நகரும்; இணைப்பு அதன் காலவரிசையில் பதிவாகும்.",
  "duplicates.conflict": "சில பதிவுகள் இன்னும் ஒரு நகலைச் சுட்டுவதால் எதுவும் இணைக்கப்படவில்லை.",
} satisfies Record<keyof typeof en, string>;
