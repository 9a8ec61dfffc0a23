import { Badge, type BadgeProps } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useReadableShade } from "../../components/kit/index.ts";

/**
 * The customer's loyalty tier (customer value) as an outline badge: the tier's colour in the
 * shade that keeps 4.5:1 on the page in either theme (the kit's `useReadableShade`).
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
  const shade = useReadableShade();
  if (!tier) return null;
  const label = t("value.tierBadge", { name: tier.name });
  return (
    <Badge
      color={shade(tier.color)}
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
