import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import type { ApiToken, CreatedApiToken } from "../../lib/types.ts";

export function TokensPanel() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const tokens = useQuery({ queryKey: ["api-tokens"], queryFn: () => get<ApiToken[]>("/api-tokens") });
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ["api-tokens"] });
  const create = useMutation({
    mutationFn: (name: string) => post<CreatedApiToken>("/api-tokens", { name }),
    onSuccess: (tk) => {
      setSecret(tk.token);
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => del(`/api-tokens/${id}`), onSuccess: refresh });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    create.mutate(String(new FormData(form).get("name")), { onSuccess: () => form.reset() });
  }

  return (
    <Stack>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          {t("admin.createToken")}
        </Title>
        <form onSubmit={submit}>
          <Group align="flex-end">
            <TextInput name="name" label={t("common.name")} required maxLength={100} />
            <Button type="submit" loading={create.isPending}>
              {t("admin.createToken")}
            </Button>
          </Group>
        </form>
        {secret && (
          <Alert color="yellow" mt="md" title={t("admin.tokenOnce")} role="status">
            <Group>
              <Code data-testid="token-secret">{secret}</Code>
              <CopyButton value={secret}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="light" onClick={copy}>
                    {copied ? t("admin.copied") : t("admin.copy")}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Alert>
        )}
      </Paper>
      <Table striped aria-label={t("admin.tokens")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("common.name")}</Table.Th>
            <Table.Th>{t("admin.prefix")}</Table.Th>
            <Table.Th>{t("admin.created")}</Table.Th>
            <Table.Th>{t("admin.lastUsed")}</Table.Th>
            <Table.Th>{t("admin.state")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(tokens.data ?? []).map((tk) => (
            <Table.Tr key={tk.id}>
              <Table.Td>{tk.name}</Table.Td>
              <Table.Td>
                <Code>{tk.prefix}…</Code>
              </Table.Td>
              <Table.Td>{formatDateTime(tk.createdAt)}</Table.Td>
              <Table.Td>{formatDateTime(tk.lastUsedAt) || "—"}</Table.Td>
              <Table.Td>
                {tk.revokedAt ? (
                  <Badge color="gray" variant="light">
                    {t("admin.revoked")}
                  </Badge>
                ) : (
                  <Button size="compact-xs" color="red" variant="subtle" onClick={() => revoke.mutate(tk.id)}>
                    {t("admin.revoke")}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {(tokens.data ?? []).length === 0 && (
        <Text c="dimmed" size="sm">
          {t("admin.noTokens")}
        </Text>
      )}
    </Stack>
  );
}
