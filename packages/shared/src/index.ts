export * from "./automations.ts";
export * from "./enums.ts";
export * from "./notifications.ts";
export * from "./realtime.ts";
export * from "./recognition.ts";
export * from "./text.ts";
export * from "./time-zones.ts";
export * from "./views.ts";
