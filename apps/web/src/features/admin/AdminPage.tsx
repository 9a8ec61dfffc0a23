import { Stack, Tabs, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import type { Me } from "../../lib/types.ts";
import { contributions } from "../extensions.ts";
import { SettingsPanel } from "./SettingsPanel.tsx";
import { TeamsPanel } from "./TeamsPanel.tsx";
import { TokensPanel } from "./TokensPanel.tsx";
import { UsersPanel } from "./UsersPanel.tsx";

const SECTIONS = ["users", "teams", "settings", "tokens"] as const;
const EXTRA = contributions("adminSections");

export function AdminPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { section = "users" } = useParams();
  const navigate = useNavigate();
  return (
    <Stack p="md">
      <Title order={1} size="h3">
        {t("admin.title")}
      </Title>
      <Tabs value={section} onChange={(v) => v && navigate(`/admin/${v}`)} keepMounted={false}>
        <Tabs.List>
          {SECTIONS.map((s) => (
            <Tabs.Tab key={s} value={s}>
              {t(`admin.${s}`)}
            </Tabs.Tab>
          ))}
          {EXTRA.map((s) => (
            <Tabs.Tab key={s.key} value={s.key}>
              {t(s.labelKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <UsersPanel me={me} />
        </Tabs.Panel>
        <Tabs.Panel value="teams" pt="md">
          <TeamsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <SettingsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="tokens" pt="md">
          <TokensPanel />
        </Tabs.Panel>
        {EXTRA.map(({ key, element: Section }) => (
          <Tabs.Panel key={key} value={key} pt="md">
            <Section me={me} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
