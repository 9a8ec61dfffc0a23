import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** Every environment variable Rapport reads. Documented in README.md ("Configuration"). */
const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  RAPPORT_DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().url().optional(),
  ATTACHMENTS_DIR: z.string().optional(),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  PUBLIC_URL: z.string().url().optional(),
  COOKIE_SECURE: bool.optional(),
  TRUST_PROXY: bool.default(false),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 14),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().positive().default(10),
  RATE_LIMIT_PUBLIC_PER_MINUTE: z.coerce.number().int().positive().default(60),
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WEB_DIST_DIR: z.string().optional(),
  SMTP_ENABLED: bool.default(true),
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SMTP_HOST: z.string().default("127.0.0.1"),
  SMTP_HOSTNAME: z.string().optional(),
  SMTP_TLS_CERT: z.string().optional(),
  SMTP_TLS_KEY: z.string().optional(),
  SMTP_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  SMTP_MAX_RECIPIENTS: z.coerce.number().int().positive().default(50),
  SMTP_RATE_PER_MINUTE: z.coerce.number().int().positive().default(120),
  IMAP_ENABLED: bool.default(true),
  JOBS_ENABLED: bool.default(true),
  JOBS_CONCURRENCY: z.coerce.number().int().positive().default(4),
  JOBS_POLL_MS: z.coerce.number().int().positive().default(1000),
  JOBS_LEASE_MS: z.coerce.number().int().min(1000).default(20_000),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  pgliteDir: string;
  attachmentsDir: string;
  attachmentMaxBytes: number;
  bodyLimitBytes: number;
  publicUrl: string;
  cookieSecure: boolean;
  trustProxy: boolean;
  sessionTtlMs: number;
  rateLimits: { loginPerMinute: number; publicPerMinute: number; apiPerMinute: number };
  logLevel: z.infer<typeof ZEnv>["LOG_LEVEL"];
  webDistDir: string;
  email: {
    smtpEnabled: boolean;
    smtpPort: number;
    smtpHost: string;
    smtpHostname: string;
    smtpTlsCert: string | undefined;
    smtpTlsKey: string | undefined;
    smtpMaxBytes: number;
    smtpMaxRecipients: number;
    smtpRatePerMinute: number;
    imapEnabled: boolean;
  };
  /** leaseMs: a running job whose worker sent no heartbeat this long is claimed again. */
  jobs: { enabled: boolean; concurrency: number; pollMs: number; leaseMs: number };
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.RAPPORT_DATA_DIR);
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: path.join(dataDir, "db"),
    attachmentsDir: path.resolve(e.ATTACHMENTS_DIR ?? path.join(dataDir, "attachments")),
    attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    publicUrl,
    cookieSecure: e.COOKIE_SECURE ?? publicUrl.startsWith("https://"),
    trustProxy: e.TRUST_PROXY,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    rateLimits: {
      loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE,
      publicPerMinute: e.RATE_LIMIT_PUBLIC_PER_MINUTE,
      apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE,
    },
    logLevel: e.LOG_LEVEL,
    webDistDir: path.resolve(e.WEB_DIST_DIR ?? path.join(import.meta.dirname, "../../web/dist")),
    email: {
      smtpEnabled: e.SMTP_ENABLED,
      smtpPort: e.SMTP_PORT,
      smtpHost: e.SMTP_HOST,
      smtpHostname: e.SMTP_HOSTNAME ?? new URL(publicUrl).hostname,
      smtpTlsCert: e.SMTP_TLS_CERT ? path.resolve(e.SMTP_TLS_CERT) : undefined,
      smtpTlsKey: e.SMTP_TLS_KEY ? path.resolve(e.SMTP_TLS_KEY) : undefined,
      smtpMaxBytes: e.SMTP_MAX_BYTES,
      smtpMaxRecipients: e.SMTP_MAX_RECIPIENTS,
      smtpRatePerMinute: e.SMTP_RATE_PER_MINUTE,
      imapEnabled: e.IMAP_ENABLED,
    },
    jobs: {
      enabled: e.JOBS_ENABLED,
      concurrency: e.JOBS_CONCURRENCY,
      pollMs: e.JOBS_POLL_MS,
      leaseMs: e.JOBS_LEASE_MS,
    },
  };
}

const isLoopback = (host: string) =>
  /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|::1|\[::1\]|0:0:0:0:0:0:0:1|::ffff:127(\.\d{1,3}){3})\.?$/i.test(
    host,
  );

/**
 * PUBLIC_URL is the one address shown in every admin snippet (widget code, web form link,
 * channel webhook URLs) and in email links. When it names this machine only (a loopback
 * address) while the server listens for other machines (HOST is not loopback), what people
 * copy from the admin screens works on this machine and nowhere else: "loopback", else null.
 */
export function publicUrlProblem(c: Pick<Config, "publicUrl" | "host">): "loopback" | null {
  let host: string;
  try {
    host = new URL(c.publicUrl).hostname;
  } catch {
    return null;
  }
  return isLoopback(host) && !isLoopback(c.host) ? "loopback" : null;
}
