import { Stack, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useMe } from "../auth/session.ts";
import MacrosAdmin from "./MacrosAdmin.tsx";

/** /macros: every agent manages their personal macros here (admins and managers shared ones too). */
export default function MacrosPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  if (!me) return null;
  return (
    <Stack p="md">
      <Title order={1} size="h3">
        {t("macros.title")}
      </Title>
      <MacrosAdmin me={me} />
    </Stack>
  );
}
