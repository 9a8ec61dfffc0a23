/** Every table, for drizzle and drizzle-kit. Tables live beside their module. */

export * from "../jobs/jobs.table.ts";
export * from "../modules/auth/auth.table.ts";
export * from "../modules/auth/password-reset.table.ts";
export * from "../modules/automations/automations.table.ts";
export * from "../modules/channels/channels.table.ts";
export * from "../modules/chat/chat.table.ts";
export * from "../modules/contacts/contacts.table.ts";
export * from "../modules/dossier/dossier.table.ts";
export * from "../modules/email/email.table.ts";
export * from "../modules/fields/fields.table.ts";
export * from "../modules/forms/forms.table.ts";
export * from "../modules/imports/imports.table.ts";
export * from "../modules/macros/macros.table.ts";
export * from "../modules/phone/phone.table.ts";
export * from "../modules/planner/planner.table.ts";
export * from "../modules/promises/promises.table.ts";
export * from "../modules/routing/routing.table.ts";
export * from "../modules/settings/settings.table.ts";
export * from "../modules/sla/sla.table.ts";
export * from "../modules/teams/teams.table.ts";
export * from "../modules/ticketops/ticketops.table.ts";
export * from "../modules/tickets/tickets.table.ts";
export * from "../modules/users/users.table.ts";
export * from "../modules/views/views.table.ts";
export * from "../modules/webhooks/webhooks.table.ts";
export * from "../realtime/realtime.table.ts";
