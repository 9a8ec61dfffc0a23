import { Alert, Anchor } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Ticket } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import { useEmailSending } from "./api.ts";

/**
 * Above a public reply on an email or web form ticket when no mailbox can send: the reply is
 * kept in the ticket but cannot be emailed, said before sending rather than as "Failed" after.
 */
export function NoMailboxWarning({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const admin = useMe().data?.user.role === "admin";
  const sending = useEmailSending().data;
  if (!sending || sending.canSend || (ticket.channel !== "email" && ticket.channel !== "web")) return null;
  return (
    <Alert
      // The darkest orange: the default shade's title fails contrast on its light background.
      color="orange.9"
      role="alert"
      py={6}
      data-testid="no-mailbox-warning"
      title={t("onboarding.noMailbox.title")}
    >
      {t("onboarding.noMailbox.body")}{" "}
      {admin && (
        <Anchor component={Link} to="/admin/email" size="sm" c="inherit" fw={600} underline="always">
          {t("onboarding.go.mailbox")}
        </Anchor>
      )}
    </Alert>
  );
}
