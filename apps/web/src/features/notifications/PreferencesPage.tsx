import { Alert, Checkbox, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { NOTIFICATION_KINDS } from "@rapport/shared";
import { useTranslation } from "react-i18next";
import { type Preference, usePreferences, useSavePreferences } from "./api.ts";

/** The user's own choice per kind: shown in the app, sent by email. Saved on each change. */
export default function PreferencesPage() {
  const { t } = useTranslation();
  const prefs = usePreferences();
  const save = useSavePreferences();
  const byKind = new Map((prefs.data?.items ?? []).map((p) => [p.kind, p]));
  const change = (p: Preference) => save.mutate([p]);
  return (
    <Stack p="md" maw={720}>
      <Title order={1} size="h3">
        {t("notifications.preferences")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("notifications.preferencesHelp")}
      </Text>
      {save.isError && <Alert color="red">{t("notifications.saveFailed")}</Alert>}
      <Paper withBorder>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("notifications.kindHead")}</Table.Th>
              <Table.Th w="1%">{t("notifications.inApp")}</Table.Th>
              <Table.Th w="1%">{t("notifications.email")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {NOTIFICATION_KINDS.map((kind) => {
              const p = byKind.get(kind);
              if (!p) return null;
              const name = t(`notifications.kind.${kind}`);
              return (
                <Table.Tr key={kind}>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{name}</Table.Td>
                  <Table.Td>
                    <Checkbox
                      aria-label={`${name}: ${t("notifications.inApp")}`}
                      checked={p.inApp}
                      onChange={(e) => change({ ...p, inApp: e.currentTarget.checked })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Checkbox
                      aria-label={`${name}: ${t("notifications.email")}`}
                      checked={p.email}
                      onChange={(e) => change({ ...p, email: e.currentTarget.checked })}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
