import { Alert, Box, Button, Group, List, Text } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../lib/format.ts";
import type { Message } from "../../lib/types.ts";
import { useAllowImages, useTicketEmail } from "./api.ts";

/**
 * The body of an email message in the thread: what the sender wrote now, with the quoted
 * history and signature folded behind "show full original", and remote images blocked
 * until an agent allows them for this message. All HTML here was sanitized by the server.
 */
export function EmailBody({ m }: { m: Message }) {
  const { t } = useTranslation();
  const email = useTicketEmail(m.ticketId, true);
  const allow = useAllowImages(m.ticketId);
  const [showOriginal, setShowOriginal] = useState(false);
  const e = email.data?.find((x) => x.messageId === m.id);

  // A message that arrived after the details were loaded: fetch them once more.
  const refetched = useRef(false);
  const { data, isFetching, refetch } = email;
  useEffect(() => {
    if (data && !e && !isFetching && !refetched.current) {
      refetched.current = true;
      void refetch();
    }
  }, [data, e, isFetching, refetch]);

  const html = e?.imagesAllowed && e.bodyHtml ? e.bodyHtml : m.bodyHtml;
  const blocked = e && e.direction === "in" && e.remoteImages > 0 && !e.imagesAllowed;
  const hasOriginal = e?.direction === "in" && (e.fullHtml.trim() !== "" || e.fullText.trim() !== "");
  const folded = !!e?.quotedText.trim();
  const originalId = `email-original-${m.id}`;

  return (
    <>
      {html ? (
        // Sanitized by the server (sanitize-html allow-list) when the email was processed.
        <div className="message-body" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <Text className="message-body" style={{ whiteSpace: "pre-wrap" }}>
          {m.bodyText}
        </Text>
      )}
      {blocked && (
        <Alert color="gray" variant="light" mt="sm" py={6} data-testid="email-images-blocked">
          <Group justify="space-between" gap="xs">
            <Text size="sm">{t("email.thread.imagesBlocked", { n: formatNumber(e.remoteImages) })}</Text>
            <Button
              size="compact-sm"
              variant="default"
              loading={allow.isPending}
              onClick={() => allow.mutate(m.id)}
            >
              {t("email.thread.showImages")}
            </Button>
          </Group>
        </Alert>
      )}
      {hasOriginal && (
        <Box mt="xs">
          <Button
            size="compact-xs"
            variant="subtle"
            aria-expanded={showOriginal}
            aria-controls={originalId}
            onClick={() => setShowOriginal((v) => !v)}
          >
            {showOriginal
              ? t("email.thread.hideOriginal")
              : folded
                ? t("email.thread.showQuoted")
                : t("email.thread.showOriginal")}
          </Button>
          {showOriginal && (
            <Box
              id={originalId}
              mt="xs"
              p="sm"
              data-testid="email-original"
              style={{ borderInlineStart: "3px solid var(--mantine-color-gray-4)", overflowX: "auto" }}
            >
              {e.fullHtml.trim() ? (
                <div className="message-body" dangerouslySetInnerHTML={{ __html: e.fullHtml }} />
              ) : (
                <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                  {e.fullText}
                </Text>
              )}
            </Box>
          )}
        </Box>
      )}
      {e && e.withheldAttachments.length > 0 && (
        <Alert color="yellow" variant="light" mt="sm" py={6} title={t("email.thread.withheld")}>
          <List size="sm">
            {e.withheldAttachments.map((w, i) => (
              <List.Item key={`${w.filename}-${i}`}>
                {w.filename} — {w.reason}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </>
  );
}
