import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Message } from "../../lib/types.ts";
import { useSplit } from "./api.ts";

/** Under a message: split it off into a new ticket for the same customer (asks first). */
export function SplitAction({ message }: { message: Message }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const split = useSplit(message.ticketId);
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setAsking(true)}>
        {t("ticketops.split")}
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title={t("ticketops.splitTitle")}>
        <Stack gap="sm">
          <Text size="sm">{t("ticketops.splitBody")}</Text>
          {split.error && (
            <Text size="sm" c="red" role="alert">
              {split.error.message}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setAsking(false)}>
              {t("ticketops.cancel")}
            </Button>
            <Button
              loading={split.isPending}
              onClick={() =>
                split.mutate(message.id, {
                  onSuccess: (r) => {
                    setAsking(false);
                    navigate(`/tickets/${r.ticket.id}`);
                  },
                })
              }
            >
              {t("ticketops.splitAction")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
