import { Badge, Card, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useOverduePromises, usePromises } from "./api.ts";
import { PromiseItem } from "./PromiseList.tsx";

/** My open promises and the overdue ones I (or, for managers, my team) must act on (reminders come to the bell). */
export function MyPromisesPage() {
  const { t } = useTranslation();
  const mine = usePromises({ owner: "me", status: "open" });
  const overdue = useOverduePromises();
  return (
    <Stack p="md" gap="lg">
      <Title order={2}>{t("promises.myTitle")}</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            {t("promises.overdueTitle")}{" "}
            <Badge color="red" variant="light">
              {overdue.data?.items.length ?? 0}
            </Badge>
          </Title>
          <Stack gap="sm" data-testid="overdue-promises">
            {(overdue.data?.items ?? []).map((p) => (
              <PromiseItem key={p.id} p={p} showTicket />
            ))}
            {overdue.data?.items.length === 0 && (
              <Text size="sm" c="dimmed">
                {t("promises.noneOverdue")}
              </Text>
            )}
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            {t("promises.openTitle")}
          </Title>
          <Stack gap="sm" data-testid="my-promises">
            {(mine.data?.items ?? []).map((p) => (
              <PromiseItem key={p.id} p={p} showTicket />
            ))}
            {mine.data?.items.length === 0 && (
              <Text size="sm" c="dimmed">
                {t("promises.none")}
              </Text>
            )}
          </Stack>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
