import { POINTS_CURRENCY } from "@rapport/shared";
import type { TFunction } from "i18next";
import { formatMoney, toMinor } from "../promises/api.ts";

/** An amount as people read it: money in its currency, loyalty points as a count of points. */
export function formatAmount(minor: number, currency: string, locale: string, t: TFunction) {
  return currency === POINTS_CURRENCY
    ? t("compensations.pointsAmount", { count: minor })
    : formatMoney(minor, currency, locale);
}

/** Minor units from what was typed: points are whole, money has its currency's digits. */
export const amountToMinor = (typed: number, currency: string) =>
  currency === POINTS_CURRENCY ? Math.round(typed) : toMinor(typed, currency);
