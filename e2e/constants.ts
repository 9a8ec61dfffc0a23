/** Shared by playwright.config.ts and the suites. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
/** A second server, filled by `rapport seed:demo`, for the demo-data suite. */
export const DEMO_PORT = E2E_PORT + 1;
export const DEMO_PASSWORD = "demo-password-123";
