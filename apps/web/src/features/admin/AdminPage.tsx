import { Stack, Tabs, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate, useParams } from "react-router";
import type { Me } from "../../lib/types.ts";
import { PublicAddressWarning } from "./PublicAddressWarning.tsx";
import { SettingsPanel } from "./SettingsPanel.tsx";
import { adminHome, adminSectionsFor } from "./sections.ts";
import { TeamsPanel } from "./TeamsPanel.tsx";
import { TokensPanel } from "./TokensPanel.tsx";
import { UsersPanel } from "./UsersPanel.tsx";

export function AdminPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { section = "users" } = useParams();
  const navigate = useNavigate();
  const { core: SECTIONS, extra: EXTRA } = adminSectionsFor(me);
  const home = adminHome(me);
  // A tab this user may not open (a manager following an administrator's link) leads to one they may.
  if (!SECTIONS.includes(section) && !EXTRA.some((s) => s.key === section))
    return <Navigate to={home ?? "/inbox/mine"} replace />;
  const core = (key: string) => SECTIONS.includes(key);
  return (
    <Stack p="md">
      <Title order={1} size="h3">
        {t("admin.title")}
      </Title>
      <PublicAddressWarning />
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
        {core("users") && (
          <Tabs.Panel value="users" pt="md">
            <UsersPanel me={me} />
          </Tabs.Panel>
        )}
        {core("teams") && (
          <Tabs.Panel value="teams" pt="md">
            <TeamsPanel />
          </Tabs.Panel>
        )}
        {core("settings") && (
          <Tabs.Panel value="settings" pt="md">
            <SettingsPanel />
          </Tabs.Panel>
        )}
        {core("tokens") && (
          <Tabs.Panel value="tokens" pt="md">
            <TokensPanel />
          </Tabs.Panel>
        )}
        {EXTRA.map(({ key, element: Section }) => (
          <Tabs.Panel key={key} value={key} pt="md">
            <Section me={me} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
