import { Radio, Stack, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../../lib/api.ts";
import type { Contact } from "../../lib/types.ts";

const OTHER = "__other__";

/**
 * The number field of "Log a call" and "Request a call-back": prefilled with the customer's
 * number, a choice of their numbers when they have several (primary first), or another number.
 * Without a known customer, or with no number on file, a plain field.
 */
export function PhoneChoice({
  contactId,
  opened,
  value,
  onChange,
  description,
}: {
  contactId?: string;
  opened: boolean;
  value: string;
  onChange: (phone: string) => void;
  description?: string;
}) {
  const { t } = useTranslation();
  const contact = useQuery({
    queryKey: ["contact", contactId],
    queryFn: () => get<Contact>(`/contacts/${contactId}`),
    enabled: Boolean(contactId) && opened,
    staleTime: 30_000,
  });
  const phones = [...(contact.data?.phones ?? [])].sort((a, b) => Number(b.primary) - Number(a.primary));
  const first = phones[0]?.phone;
  const [choice, setChoice] = useState<string | null>(null);
  // On opening (and once the customer's numbers arrive), start from the primary number.
  useEffect(() => {
    if (!opened) {
      setChoice(null);
      return;
    }
    if (choice === null && first) {
      setChoice(first);
      onChange(first);
    }
  }, [opened, first, choice, onChange]);

  const input = (
    <TextInput
      label={phones.length > 1 ? t("phone.otherNumber") : t("phone.number")}
      description={description}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      maxLength={40}
      required
      type="tel"
      data-autofocus={phones.length > 1 ? undefined : true}
      data-testid="phone-number"
    />
  );
  if (phones.length < 2) return input;
  return (
    <Stack gap={6}>
      <Radio.Group
        label={t("phone.number")}
        value={choice ?? first ?? OTHER}
        onChange={(v) => {
          setChoice(v);
          onChange(v === OTHER ? "" : v);
        }}
        data-testid="phone-choice"
      >
        <Stack gap={4} mt={4}>
          {phones.map((p) => (
            <Radio key={p.phone} value={p.phone} label={p.phone} />
          ))}
          <Radio value={OTHER} label={t("phone.anotherNumber")} />
        </Stack>
      </Radio.Group>
      {choice === OTHER && input}
    </Stack>
  );
}
