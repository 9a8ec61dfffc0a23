import type en from "./en.ts";

export default {
  "onboarding.nav": "தொடங்குதல்",
  "onboarding.progress": "{{done}}/{{total}}",
  "onboarding.progressLong": "{{total}} படிகளில் {{done}} முடிந்தன",
  "onboarding.title": "தொடங்குதல்",
  "onboarding.intro":
    "உங்கள் குழுவுக்காக Rapport-ஐ அமையுங்கள். ஒவ்வொரு படியும் முடிந்தவுடன் தானாகக் குறிக்கப்படும்; எப்போது வேண்டுமானாலும் இங்கே திரும்பலாம்.",
  "onboarding.done": "முடிந்தது",
  "onboarding.todo": "செய்ய வேண்டியது",
  "onboarding.check": "மீண்டும் சரிபார்",
  "onboarding.dismiss": "இந்தப் பட்டியலை மறை",
  "onboarding.restore": "வழிசெலுத்தலில் மீண்டும் காட்டு",
  "onboarding.dismissed": "பட்டியல் வழிசெலுத்தலிலிருந்து மறைக்கப்பட்டது. இந்தப் பக்கம் /getting-started இல் இருக்கும்.",
  "onboarding.step.mailbox": "அஞ்சல் பெட்டியை இணை",
  "onboarding.step.agents": "உங்கள் முகவர்களை அழை",
  "onboarding.step.hours": "வேலை நேரத்தையும் பதில் இலக்குகளையும் அமை",
  "onboarding.step.widget": "அரட்டை விட்ஜெட்டை நிறுவு",
  "onboarding.step.webForm": "இணையப் படிவத்தை வெளியிடு",
  "onboarding.step.contacts": "உங்கள் தொடர்புகளை இறக்குமதி செய்",
  "onboarding.step.testTicket": "சோதனைக் கோரிக்கையை அனுப்பு",
  "onboarding.help.mailbox":
    "வாடிக்கையாளர் மின்னஞ்சல்கள் கோரிக்கைகளாக மாறவும் உங்கள் பதில்கள் அவர்களைச் சென்றடையவும், உதவி முகவரியை வெளிச்செல்லும் அஞ்சல் சேவையகத்துடன் சேர்க்கவும்.",
  "onboarding.help.agents": "வாடிக்கையாளர்களுக்குப் பதிலளிப்பவர்களை அவர்களின் மொழிகள், குழுக்களுடன் சேர்க்கவும்.",
  "onboarding.help.hours":
    "உங்கள் குழு எப்போது வேலை செய்கிறது, எவ்வளவு விரைவாகப் பதிலளிக்கிறது என்று அமைக்கவும்; SLA கணக்கு வேலை நேரத்தை மட்டுமே எண்ணும்.",
  "onboarding.help.widget": "ஓர் அரட்டைத் தளத்தை உருவாக்கி, அதன் குறியீட்டை உங்கள் இணையதளத்தில் ஒட்டவும்.",
  "onboarding.help.webForm":
    "உங்கள் இணையதளத்திலிருந்து தொடர்புப் படிவத்துக்கு இணைப்பு கொடுங்கள்; முதல் வாடிக்கையாளர் அனுப்பியதும் இந்தப் படி குறிக்கப்படும்.",
  "onboarding.help.contacts": "ஏற்கெனவே உள்ள வாடிக்கையாளர்களை CSV கோப்பிலிருந்து கொண்டு வாருங்கள்.",
  "onboarding.help.testTicket":
    "இணையப் படிவம் அல்லது மின்னஞ்சல் மூலம் உங்களுக்கே ஒரு கோரிக்கையை அனுப்பி, வாடிக்கையாளர் பார்ப்பதைப் போல அதற்குப் பதிலளியுங்கள்.",
  "onboarding.go.mailbox": "மின்னஞ்சல் அமைப்புகள்",
  "onboarding.go.agents": "பயனர்கள்",
  "onboarding.go.hours": "SLA மற்றும் நேரம்",
  "onboarding.go.widget": "அரட்டை அமைப்புகள்",
  "onboarding.go.webForm": "இணையப் படிவம்",
  "onboarding.go.contacts": "இறக்குமதி",
  "onboarding.go.testTicket": "இணையப் படிவத்தைத் திற",
  "onboarding.noMailbox.title": "மின்னஞ்சல் அனுப்பக்கூடிய அஞ்சல் பெட்டி இல்லை",
  "onboarding.noMailbox.body":
    "வெளிச்செல்லும் அஞ்சல் சேவையகத்துடன் ஓர் அஞ்சல் பெட்டி இணைக்கப்படும் வரை, இந்தப் பதில் கோரிக்கையில் சேமிக்கப்படும்; வாடிக்கையாளருக்கு மின்னஞ்சலாக அனுப்பப்படாது.",
} satisfies Record<keyof typeof en, string>;
