/** Every table, for drizzle and drizzle-kit. Tables live beside their module. */

export * from "../jobs/jobs.table.ts";
export * from "../modules/auth/auth.table.ts";
export * from "../modules/auth/password-reset.table.ts";
export * from "../modules/contacts/contacts.table.ts";
export * from "../modules/dossier/dossier.table.ts";
export * from "../modules/email/email.table.ts";
export * from "../modules/planner/planner.table.ts";
export * from "../modules/settings/settings.table.ts";
export * from "../modules/teams/teams.table.ts";
export * from "../modules/tickets/tickets.table.ts";
export * from "../modules/users/users.table.ts";
export * from "../modules/views/views.table.ts";
export * from "../realtime/realtime.table.ts";
