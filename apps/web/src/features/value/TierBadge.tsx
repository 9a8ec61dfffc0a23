import { Badge, type BadgeProps, useComputedColorScheme } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * The customer's loyalty tier (customer value) as an outline badge: the tier's colour in a shade
 * that keeps 4.5:1 on the page, dark (9) on the light theme and light (3) on the dark one (axe).
 * Used in the dossier, the ticket sidebar and header, and inbox rows.
 */
export function TierBadge({
  tier,
  size = "sm",
}: {
  tier: { name: string; color: string } | null | undefined;
  size?: BadgeProps["size"];
}) {
  const { t } = useTranslation();
  const dark = useComputedColorScheme("light") === "dark";
  if (!tier) return null;
  const label = t("value.tierBadge", { name: tier.name });
  return (
    <Badge
      color={`${tier.color}.${dark ? 3 : 9}`}
      variant="outline"
      radius="sm"
      size={size}
      title={label}
      aria-label={label}
      data-testid="tier-badge"
      style={{ flexShrink: 0, verticalAlign: "middle", maxWidth: "8rem" }}
    >
      {tier.name}
    </Badge>
  );
}
