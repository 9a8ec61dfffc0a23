import { NativeSelect } from "@mantine/core";
import { LOCALES } from "@rapport/shared";
import { useTranslation } from "react-i18next";
import { LOCALE_NAMES, setLocale } from "../i18n/index.ts";

/** Language switch; `onChange` lets a signed-in agent also save it to their profile. */
export function LanguagePicker({ onChange }: { onChange?: (locale: string) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t("common.language")}
      size="xs"
      value={i18n.language}
      data={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
      onChange={(e) => {
        const v = e.currentTarget.value;
        void setLocale(v);
        onChange?.(v);
      }}
    />
  );
}
