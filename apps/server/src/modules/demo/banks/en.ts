import type { Bank } from "./types.ts";

export const en: Bank = {
  language: "en",
  locale: "en-GB",
  givenNames: [
    ["Olivia", "olivia"],
    ["James", "james"],
    ["Amelia", "amelia"],
    ["Noah", "noah"],
    ["Isla", "isla"],
    ["Oliver", "oliver"],
    ["Grace", "grace"],
    ["Liam", "liam"],
    ["Chloe", "chloe"],
    ["Ethan", "ethan"],
    ["Hannah", "hannah"],
    ["Daniel", "daniel"],
    ["Sophie", "sophie"],
    ["Michael", "michael"],
    ["Emily", "emily"],
    ["Jack", "jack"],
    ["Charlotte", "charlotte"],
    ["Samuel", "samuel"],
    ["Ruby", "ruby"],
    ["Thomas", "thomas"],
  ],
  familyNames: [
    ["Smith", "smith"],
    ["Johnson", "johnson"],
    ["Williams", "williams"],
    ["Brown", "brown"],
    ["Taylor", "taylor"],
    ["Wilson", "wilson"],
    ["Davies", "davies"],
    ["Evans", "evans"],
    ["Thompson", "thompson"],
    ["Walker", "walker"],
    ["Robinson", "robinson"],
    ["O'Connor", "oconnor"],
    ["Murphy", "murphy"],
    ["Campbell", "campbell"],
    ["Harris", "harris"],
    ["Mitchell", "mitchell"],
  ],
  familyFirst: false,
  phones: [
    { dial: "44", prefixes: ["7700900"], rest: 3, timeZone: "Europe/London", weight: 3 },
    {
      dial: "1",
      prefixes: ["41555501", "21255501", "20655501"],
      rest: 2,
      timeZone: "America/New_York",
      weight: 2,
    },
    { dial: "61", prefixes: ["491570"], rest: 3, timeZone: "Australia/Sydney", weight: 2 },
    { dial: "65", prefixes: ["8", "9"], rest: 7, timeZone: "Asia/Singapore", weight: 1 },
  ],
  organizations: [
    { name: "Northwind Traders", domain: "northwind.example" },
    { name: "Bluebell Interiors", domain: "bluebell-interiors.example" },
    { name: "Harbour Lane Cafés", domain: "harbourlane.example" },
  ],
  products: [
    "wireless earbuds",
    "standing desk",
    "espresso machine",
    "air purifier",
    "hiking backpack",
    "smart watch",
    "linen bedding set",
    "cast-iron skillet",
    "office chair",
    "phone case",
  ],
  money: (usd) => `$${usd.toFixed(2)}`,
  customerHello: ["Hi,", "Hello,", "Hi there,", "Good morning,", ""],
  customerBye: [
    "Thanks,\n{first}",
    "Many thanks,\n{first}",
    "Cheers,\n{first}",
    "Regards,\n{first}",
    "Thank you!",
  ],
  agentHello: ["Hi {first},", "Hello {first},", "Dear {first},"],
  agentBye: ["Best regards,\n{agent}", "Kind regards,\n{agent}", "Thanks,\n{agent}\nCustomer Support"],
  followUps: [
    "Any update on this? I haven't heard back yet.",
    "Just following up on my message from a few days ago. Could someone please get back to me?",
    "Sorry to chase, but this is getting urgent for me. Is there any news?",
    "I tried calling but couldn't get through. Could you reply here instead?",
  ],
  thanks: [
    "That worked, thank you so much for your help!",
    "All sorted now. Thanks for the quick response.",
    "Received it today. Really appreciate the help.",
    "Perfect, that's exactly what I needed. Have a great day!",
  ],
  agentWrapUps: [
    "Glad to hear it's sorted! I'll close this ticket for now, but just reply to this email if anything else comes up.",
    "Thanks for confirming. I'm marking this as solved. Have a lovely week!",
    "Great news! If you have a minute, we'd love to hear how we did in the short survey that follows.",
  ],
  agentAsks: [
    "Could you send us a photo of the item and the shipping label, please? As soon as we have it we'll take it from there.",
    "Could you confirm the email address you used when placing the order? I can't find it under this address.",
    "Could you let me know the last four digits of the card you paid with, so I can trace the payment?",
  ],
  holdNotes: [
    "Waiting for the warehouse in Leeds to check the stock. Put on hold until they reply.",
    "Escalated to the courier's account manager. On hold until we get their investigation report.",
    "Finance needs to approve this one; on hold until Thursday's run.",
  ],
  contactNotes: [
    "Prefers email over phone calls.",
    "Long-time customer, orders every month.",
    "Wholesale buyer for three shops.",
    "Had a delivery problem last spring; handle with extra care.",
  ],
  topics: {
    order_status: {
      subjects: [
        "Where is my order {order}?",
        "Order {order} still says processing",
        "Status of my order {order}",
      ],
      openings: [
        'I placed order {order} on {date} for a {product} and the tracking page still says "processing". Could you tell me when it will ship?',
        "Could you check the status of order {order}, please? I paid {amount} but haven't received a shipping confirmation.",
        "My order {order} ({product}) was supposed to ship yesterday. Is everything okay with it?",
      ],
      replies: [
        "Thanks for your patience. I've checked order {order}: it left our warehouse this morning and the tracking number is {tracking}. It usually takes 2–3 working days.",
        "Sorry for the wait! Order {order} was held because the {product} was briefly out of stock. It's back in and your order ships today.",
      ],
      notes: [
        "Stock system shows the {product} reserved for {order}, but the pick list was never printed. Asked the warehouse to push it manually.",
        "Customer has two orders with the same item; {order} is the one that matters.",
      ],
    },
    delivery_delay: {
      subjects: [
        "Parcel hasn't arrived",
        "Delivery for {order} is late",
        "Tracking hasn't updated in 5 days",
      ],
      openings: [
        "My parcel ({tracking}) was due on {date} but it still hasn't arrived, and the tracking hasn't moved for five days. Can you look into it?",
        "The courier says they tried to deliver order {order} but nobody was home. That's not true, I was in all day. What can I do?",
        "I need the {product} for a birthday this weekend. Order {order} is showing delayed. Is there any way to speed it up?",
      ],
      replies: [
        "I'm sorry about the delay. I've opened an investigation with the courier for {tracking}; they usually answer within 48 hours, and I'll update you as soon as they do.",
        "I've asked the courier to re-attempt delivery of {order} tomorrow between 9:00 and 13:00. If that doesn't work, we'll send a replacement at no cost.",
      ],
      notes: [
        "Courier portal shows the parcel stuck at the sorting hub since {date}. Claim opened, reference attached in the courier portal.",
        "Third late delivery with this courier in this postcode this week. Flagging to logistics.",
      ],
    },
    damaged_item: {
      subjects: ["Item arrived damaged", "Broken {product} in my order", "Wrong item received for {order}"],
      openings: [
        "The {product} from order {order} arrived today with a cracked corner, and the box was crushed. I'd like a replacement, please.",
        "I opened my parcel and the {product} doesn't turn on at all. I've tried different sockets. Order number {order}.",
        "I ordered a {product} but received something completely different. Order {order}. How do I swap it?",
      ],
      replies: [
        "I'm really sorry the {product} arrived like that. I've arranged a free replacement for order {order}, and the courier will collect the damaged one when they deliver the new one.",
        "Sorry about that! I've emailed you a prepaid return label. Once it's scanned by the courier, we'll ship the right item straight away.",
      ],
      notes: [
        "Photos confirm transit damage. Replacement approved; courier claim to be filed against the {tracking} shipment.",
        "Same batch of {product} had two other complaints this week. Asked QA to check the stock.",
      ],
    },
    refund: {
      subjects: ["Refund for order {order}", "Still waiting for my refund", "Cancel order and refund"],
      openings: [
        "I returned the {product} two weeks ago (order {order}) and still haven't received my refund of {amount}. Can you check?",
        "Please cancel order {order} and refund me. I ordered by mistake and it hasn't shipped yet.",
        "I was charged twice for order {order}, {amount} each time. Please refund the duplicate payment.",
      ],
      replies: [
        "I've checked, and your refund of {amount} for order {order} was issued today. Depending on your bank it can take 3–5 working days to appear.",
        "Your order {order} is cancelled and the refund of {amount} is on its way back to your original payment method.",
      ],
      notes: [
        "Payment provider shows a duplicate capture on {order}. Refund of {amount} issued for the second charge.",
        "Return received at the warehouse on {date}; condition OK. Refund approved.",
      ],
    },
    invoice: {
      subjects: [
        "Invoice {invoice} needs our VAT number",
        "Copy of invoice for order {order}",
        "Question about invoice {invoice}",
      ],
      openings: [
        "Could you reissue invoice {invoice} with our company name and VAT number? Our accounts team can't process it otherwise.",
        "I need a copy of the invoice for order {order} for my expense claim. I can't find it in my account.",
        "Invoice {invoice} shows {amount}, but the quote we agreed was lower. Could you check the discount was applied?",
      ],
      replies: [
        "I've reissued invoice {invoice} with your company details; you'll find the new PDF attached and in your account under Orders.",
        "You're right, the 10% volume discount wasn't applied. I've cancelled {invoice} and sent a corrected invoice.",
      ],
      notes: [
        "Corrected invoice needs a credit note for the original {invoice}. Asked finance to issue it.",
        "Customer is on net-30 terms; don't send payment reminders for {invoice} before the due date.",
      ],
    },
    account_access: {
      subjects: ["Can't log in to my account", "Password reset email never arrives", "Account locked"],
      openings: [
        "I've been trying to log in since yesterday but it says my password is wrong. I reset it twice and the reset email never arrives.",
        "My account got locked after too many attempts. Can you unlock it? I need to download my invoices.",
        "I changed my phone and now I can't get the two-step verification code. How do I get back into my account?",
      ],
      replies: [
        "I've unlocked your account and sent a fresh password reset link. It expires in one hour, so please use it soon. Check your spam folder if you don't see it.",
        "For your security I've removed the old two-step verification device. Next time you log in you'll be asked to set it up on your new phone.",
      ],
      notes: [
        "Reset emails to this address bounced twice (mailbox full). Asked the customer for another address.",
        "Verified identity with the last order number and billing postcode before unlocking.",
      ],
    },
    product_question: {
      subjects: ["Question about the {product}", "Is the {product} compatible?", "Warranty on the {product}"],
      openings: [
        "Before I order: does the {product} come with a UK plug, and how long is the warranty?",
        "Is the {product} available in a larger size? The one in the photos looks a bit small for our office.",
        "How do I clean the {product}? The manual only mentions it briefly and I don't want to damage it.",
      ],
      replies: [
        "Good question! The {product} comes with a two-year warranty and a UK plug. It also includes an adapter for travel.",
        "Yes, the {product} comes in a larger size, which will be back in stock on {date}. I can reserve one for you if you like.",
      ],
      notes: [
        "Product page doesn't mention the warranty terms clearly. Passed to the web team.",
        "Third question this month about cleaning the {product}. We should add it to the help centre.",
      ],
    },
    complaint: {
      subjects: [
        "Very disappointed with the service",
        "Complaint about your courier",
        "Nobody answers the phone",
      ],
      openings: [
        "This is the third time my order has been late, and every time I have to chase you. I've been a customer for years and I'm seriously considering going elsewhere.",
        "The delivery driver left my parcel in the rain outside the building and the {product} is ruined. This is unacceptable.",
        "I've called your hotline four times this week and waited over 30 minutes each time before giving up. Is anyone actually there?",
      ],
      replies: [
        "I'm genuinely sorry. You shouldn't have had to chase us. I've credited {amount} to your account as an apology and added a note so your next orders are checked before dispatch.",
        "You're absolutely right to be upset, and I apologise. I've reported the driver to the courier and we're sending a replacement {product} by express delivery today.",
      ],
      notes: [
        "Customer is a long-standing account. Manager approved a goodwill credit of {amount}.",
        "Phone queue wait times were over 25 minutes on Monday and Tuesday. Shared with the team lead.",
      ],
    },
    thanks: {
      subjects: ["Thank you!", "Great service from your team", "Just wanted to say thanks"],
      openings: [
        "Just a quick note to say thank you to {agent}, who sorted out my order problem so quickly last week. Excellent service!",
        "The {product} arrived a day early and it's perfect. Thanks for packing it so carefully.",
      ],
      replies: [
        "Thank you so much for taking the time to write to us! I've passed your kind words on to the team. It made our day.",
        "That's lovely to hear, thank you! Enjoy your {product}, and we're here if you ever need anything.",
      ],
      notes: ["Shared with the team in the Monday meeting.", "Nice one for the monthly wall of praise."],
    },
  },
};
