import { Alert, Code, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { usePublicAddress } from "../../lib/publicAddress.ts";

/**
 * Above every admin tab: PUBLIC_URL is a loopback address while the server accepts other
 * machines, so the snippets and links on these pages work on the server itself only.
 */
export function PublicAddressWarning() {
  const { t } = useTranslation();
  const a = usePublicAddress();
  if (a.warning !== "loopback") return null;
  return (
    // The darkest orange: the default shade's title fails contrast on its light background (axe).
    <Alert color="orange.9" title={t("admin.publicUrl.title")} data-testid="public-url-warning">
      <Text size="sm">{t("admin.publicUrl.loopback", { url: a.publicUrl, host: a.host })}</Text>
      <Text size="sm" mt={4}>
        {t("admin.publicUrl.fix")} <Code>PUBLIC_URL=https://support.example.com</Code>
      </Text>
    </Alert>
  );
}
