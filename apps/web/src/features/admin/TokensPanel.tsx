import { Alert, Badge, Button, Code, CopyButton, Group, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { DataTable, FormCard } from "../../components/kit/index.ts";
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
      <FormCard
        title={t("admin.createToken")}
        onSubmit={submit}
        after={
          secret && (
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
          )
        }
      >
        <Group align="flex-end">
          <TextInput name="name" label={t("common.name")} required maxLength={100} />
          <Button type="submit" loading={create.isPending}>
            {t("admin.createToken")}
          </Button>
        </Group>
      </FormCard>
      <DataTable
        label={t("admin.tokens")}
        rows={tokens.data ?? []}
        rowKey={(tk) => tk.id}
        columns={[
          { key: "name", header: t("common.name"), cell: (tk) => tk.name },
          { key: "prefix", header: t("admin.prefix"), cell: (tk) => <Code>{tk.prefix}…</Code> },
          { key: "created", header: t("admin.created"), cell: (tk) => formatDateTime(tk.createdAt) },
          { key: "used", header: t("admin.lastUsed"), cell: (tk) => formatDateTime(tk.lastUsedAt) || "—" },
          {
            key: "state",
            header: t("admin.state"),
            cell: (tk) =>
              tk.revokedAt ? (
                <Badge color="gray" variant="light">
                  {t("admin.revoked")}
                </Badge>
              ) : (
                <Button size="compact-xs" color="red" variant="subtle" onClick={() => revoke.mutate(tk.id)}>
                  {t("admin.revoke")}
                </Button>
              ),
          },
        ]}
      />
      {(tokens.data ?? []).length === 0 && (
        <Text c="dimmed" size="sm">
          {t("admin.noTokens")}
        </Text>
      )}
    </Stack>
  );
}
