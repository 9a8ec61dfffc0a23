import { Tabs } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { MailboxesPanel } from "./MailboxesPanel.tsx";
import { InboundPanel, OutboundPanel } from "./MailLogPanels.tsx";

/** Admin → Email: mailboxes, received mail (failed first) and the outbound queue. */
export default function EmailAdmin() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>("mailboxes");
  return (
    <Tabs value={tab} onChange={setTab} variant="pills" keepMounted={false}>
      <Tabs.List mb="md">
        <Tabs.Tab value="mailboxes">{t("email.mailboxes")}</Tabs.Tab>
        <Tabs.Tab value="inbound">{t("email.inbound.title")}</Tabs.Tab>
        <Tabs.Tab value="outbound">{t("email.outbound.title")}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="mailboxes">
        <MailboxesPanel />
      </Tabs.Panel>
      <Tabs.Panel value="inbound">
        <InboundPanel />
      </Tabs.Panel>
      <Tabs.Panel value="outbound">
        <OutboundPanel />
      </Tabs.Panel>
    </Tabs>
  );
}
