import { Anchor, Button, Code, CopyButton, Group, Stack, Text, Title } from "@mantine/core";
import type { FormSubmissionStats } from "@rapport/server/contract";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get } from "../../lib/api.ts";
import { usePublicAddress } from "../../lib/publicAddress.ts";

/** Admin tab: the public form's address, the iframe snippet to embed it, and what the spam checks refused. */
export default function AdminForms() {
  const { t } = useTranslation();
  const origin = usePublicAddress().publicUrl;
  const snippet = `<iframe src="${origin}/support/new?embed=1" title="Support" style="width:100%;min-height:900px;border:0" loading="lazy"></iframe>`;
  const stats = useQuery({
    queryKey: ["forms", "stats"],
    queryFn: () => get<FormSubmissionStats>("/forms/submissions"),
  });
  return (
    <Stack gap="md">
      <Title order={2} size="h4">
        {t("forms.admin.title")}
      </Title>
      <Text>
        {t("forms.admin.public")}{" "}
        <Anchor href={`${origin}/support/new`} target="_blank" rel="noopener">
          {origin}/support/new
        </Anchor>
      </Text>
      <Stack gap={4}>
        <Text fw={600}>{t("forms.admin.embed")}</Text>
        <Code block data-testid="embed-snippet">
          {snippet}
        </Code>
        <Group>
          <CopyButton value={snippet}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? t("forms.admin.copied") : t("forms.admin.copy")}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="sm" c="dimmed">
          {t("forms.admin.fieldsHint")}
        </Text>
      </Stack>
      <Stack gap={4}>
        <Text fw={600}>{t("forms.admin.stats")}</Text>
        {(stats.data?.byOutcome ?? []).map((o) => (
          <Text size="sm" key={o.outcome}>
            {t(`forms.outcome.${o.outcome}`, { defaultValue: o.outcome })}: {o.count}
          </Text>
        ))}
        {stats.data && stats.data.byOutcome.length === 0 && (
          <Text size="sm" c="dimmed">
            {t("forms.admin.none")}
          </Text>
        )}
      </Stack>
    </Stack>
  );
}
