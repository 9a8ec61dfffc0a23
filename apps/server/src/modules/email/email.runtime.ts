import type { Services } from "../../context.ts";
import type { JobRow } from "../../jobs/queue.ts";
import type { JobHandlers } from "../../jobs/worker.ts";
import { startImapPollers } from "./imap.poller.ts";
import { INBOUND_BATCH_MAX, processInboundBatch } from "./inbound.batch.ts";
import { INBOUND_JOB, processInbound } from "./inbound.service.ts";
import {
  type AuthMailEvent,
  closeTransports,
  queueAuthEmail,
  recordSendFailure,
  SEND_JOB,
  sendOutbound,
} from "./outbound.service.ts";
import { startSmtpReceiver } from "./smtp.receiver.ts";

const inboundIdOf = (job: JobRow) => String((job.payload as { inboundId: string }).inboundId);

/** The email module's job kinds, for the worker. */
export const emailJobHandlers: JobHandlers = {
  [INBOUND_JOB]: {
    run: (ctx, job) => processInbound(ctx, inboundIdOf(job)),
    batch: {
      max: INBOUND_BATCH_MAX,
      run: (ctx, jobs) => processInboundBatch(ctx, jobs.map(inboundIdOf)),
    },
  },
  [SEND_JOB]: {
    run: (ctx, job) => sendOutbound(ctx, String((job.payload as { outboundId: string }).outboundId)),
    onFailure: (ctx, job, error, willRetry) =>
      recordSendFailure(ctx, String((job.payload as { outboundId: string }).outboundId), error, willRetry),
  },
};

const AUTH_EVENTS = new Set(["auth.password_reset_requested", "auth.invited"]);

/**
 * Starts the email channel's listeners: the SMTP receiver, the IMAP pollers, and the
 * subscription that turns password-reset/invitation events into emails.
 */
export async function startEmailChannel(
  services: Services,
  opts: { smtp?: boolean; imap?: boolean; smtpPort?: number; log?: (m: string, e?: unknown) => void } = {},
) {
  const log = opts.log ?? (() => {});
  const smtp =
    (opts.smtp ?? services.config.email.smtpEnabled)
      ? await startSmtpReceiver(services, { port: opts.smtpPort })
      : undefined;
  const imap = (opts.imap ?? services.config.email.imapEnabled) ? startImapPollers(services, log) : undefined;
  const unsubscribe = services.bus.subscribe((event) => {
    const e = event as unknown as AuthMailEvent;
    if (AUTH_EVENTS.has(e.type)) void queueAuthEmail(services, e).catch((err) => log("auth email", err));
  });
  return {
    smtpPort: smtp?.port ?? null,
    imap,
    stop: async () => {
      unsubscribe();
      await smtp?.close();
      await imap?.stop();
      closeTransports();
    },
  };
}
