import type en from "./en.ts";

const ta: Record<keyof typeof en, string> = {
  "macros.title": "மேக்ரோக்கள்",
  "macros.pick": "மேக்ரோக்கள்",
  "macros.search": "மேக்ரோக்களைத் தேடு",
  "macros.searchPlaceholder": "தலைப்பு அல்லது உரை",
  "macros.none": "மேக்ரோ எதுவும் இல்லை",
  "macros.personal": "தனிப்பட்டது",
  "macros.sharedBadge": "பகிரப்பட்டது",
  "macros.create": "புதிய மேக்ரோ",
  "macros.fieldTitle": "தலைப்பு",
  "macros.body": "பதில் ({{lang}})",
  "macros.lang.en": "ஆங்கிலம்",
  "macros.lang.vi": "வியட்நாமியம்",
  "macros.lang.km": "கெமர்",
  "macros.lang.ta": "தமிழ்",
  "macros.placeholders": "இடஒதுக்கிகள்:",
  "macros.setStatus": "நிலையை அமை",
  "macros.setPriority": "முன்னுரிமையை அமை",
  "macros.addTags": "குறிச்சொற்களைச் சேர்",
  "macros.assignToMe": "எனக்கு ஒதுக்கு",
  "macros.shared": "அனைத்து முகவர்களுடனும் பகிர்",
  "macros.save": "மேக்ரோவைச் சேமி",
  "macros.languages": "மொழிகள்",
  "macros.visibility": "தெரிவுநிலை",
  "macros.used": "பயன்பாடு",
  "macros.delete": "நீக்கு",
  "macros.deleteNamed": "மேக்ரோ {{name}} ஐ நீக்கு",
};

export default ta;
