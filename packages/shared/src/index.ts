export * from "./enums.ts";
export * from "./text.ts";
