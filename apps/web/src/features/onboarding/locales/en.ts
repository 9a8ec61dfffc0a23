export default {
  "onboarding.nav": "Getting started",
  "onboarding.progress": "{{done}}/{{total}}",
  "onboarding.progressLong": "{{done}} of {{total}} steps done",
  "onboarding.title": "Getting started",
  "onboarding.intro":
    "Set up Rapport for your team. Each step ticks itself as soon as it is done; come back here at any time.",
  "onboarding.done": "Done",
  "onboarding.todo": "To do",
  "onboarding.check": "Check again",
  "onboarding.dismiss": "Hide this checklist",
  "onboarding.restore": "Show it in the navigation again",
  "onboarding.dismissed": "The checklist is hidden from the navigation. This page stays at /getting-started.",
  "onboarding.step.mailbox": "Connect a mailbox",
  "onboarding.step.agents": "Invite your agents",
  "onboarding.step.hours": "Set business hours and response targets",
  "onboarding.step.widget": "Install the chat widget",
  "onboarding.step.webForm": "Publish the web form",
  "onboarding.step.contacts": "Import your contacts",
  "onboarding.step.testTicket": "Send a test ticket",
  "onboarding.help.mailbox":
    "Add your support address with its outgoing mail server, so customers' emails become tickets and your replies reach them.",
  "onboarding.help.agents": "Add the people who answer customers, with their languages and teams.",
  "onboarding.help.hours":
    "Say when your team works and how fast you answer; SLA countdowns count business hours only.",
  "onboarding.help.widget": "Create a chat site and paste its snippet into your website.",
  "onboarding.help.webForm":
    "Link the contact form from your website; this step ticks when the first customer sends it.",
  "onboarding.help.contacts": "Bring your existing customers in from a CSV file.",
  "onboarding.help.testTicket":
    "Send yourself a request through the web form or by email, and answer it as a customer would see it.",
  "onboarding.go.mailbox": "Email settings",
  "onboarding.go.agents": "Users",
  "onboarding.go.hours": "SLA and hours",
  "onboarding.go.widget": "Chat settings",
  "onboarding.go.webForm": "Web form",
  "onboarding.go.contacts": "Import",
  "onboarding.go.testTicket": "Open the web form",
  "onboarding.noMailbox.title": "No mailbox can send email",
  "onboarding.noMailbox.body":
    "This reply will be kept in the ticket but not emailed to the customer until a mailbox with an outgoing mail server is connected.",
};
