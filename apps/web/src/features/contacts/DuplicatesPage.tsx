import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Checkbox,
  Group,
  Loader,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import type { ContactDuplicate, ContactDuplicates } from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, get, post } from "../../lib/api.ts";
import { formatDate } from "../../lib/format.ts";
import type { Contact } from "../../lib/types.ts";

function ContactCard({
  contact,
  reasons,
  survivor,
  merge,
  onMerge,
  isThis,
}: {
  contact: Contact;
  reasons: string[];
  survivor: boolean;
  merge: boolean;
  onMerge: (on: boolean) => void;
  isThis: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="duplicate-card"
      data-name={contact.name}
      style={survivor ? { borderColor: "var(--mantine-color-indigo-7)", borderWidth: 2 } : undefined}
    >
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Anchor component={Link} to={`/contacts/${contact.id}`} fw={700}>
            {contact.name || "—"}
          </Anchor>
          {isThis && (
            <Badge size="xs" variant="light">
              {t("duplicates.thisContact")}
            </Badge>
          )}
        </Group>
        <Group gap={4}>
          {reasons.map((r) => (
            <Badge key={r} size="xs" color="orange" variant="light">
              {t(`duplicates.reason.${r}`, { defaultValue: r })}
            </Badge>
          ))}
        </Group>
        <dl style={{ margin: 0 }}>
          <Text component="dt" size="xs" c="dimmed">
            {t("duplicates.emails")}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {contact.emails.map((e) => e.email).join(", ") || "—"}
          </Text>
          <Text component="dt" size="xs" c="dimmed">
            {t("duplicates.phones")}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {contact.phones.map((p) => p.phone).join(", ") || "—"}
          </Text>
          <Text component="dt" size="xs" c="dimmed">
            {t("contact.organization")}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {contact.organization?.name ?? "—"}
          </Text>
          <Text component="dt" size="xs" c="dimmed">
            {t("common.language")}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {contact.language ?? "—"}
          </Text>
          <Text component="dt" size="xs" c="dimmed">
            {t("duplicates.tags")}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {contact.tags.join(", ") || "—"}
          </Text>
          <Text component="dt" size="xs" c="dimmed">
            {t("duplicates.created")}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {formatDate(contact.createdAt)}
          </Text>
        </dl>
        <Radio value={contact.id} label={t("duplicates.keepThis")} />
        {!survivor && (
          <Checkbox
            checked={merge}
            onChange={(e) => onMerge(e.currentTarget.checked)}
            label={t("duplicates.mergeThis", { name: contact.name || "—" })}
          />
        )}
      </Stack>
    </Paper>
  );
}

/**
 * Possible duplicates of a customer, side by side: choose the contact that survives and the
 * ones merged into it. The merge moves everything to the survivor and shows on its timeline.
 */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const base = useQuery({ queryKey: ["contact", id], queryFn: () => get<Contact>(`/contacts/${id}`) });
  const dups = useQuery({
    queryKey: ["contact", id, "duplicates"],
    queryFn: () => get<ContactDuplicates>(`/contacts/${id}/duplicates`),
  });
  const [survivor, setSurvivor] = useState<string>(id);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const merge = useMutation({
    mutationFn: (v: { survivor: string; sources: string[] }) =>
      post<Contact>(`/contacts/${v.survivor}/merge`, { sourceIds: v.sources }),
    onSuccess: async (c) => {
      await qc.invalidateQueries({ queryKey: ["contact"] });
      await qc.invalidateQueries({ queryKey: ["dossier"] });
      navigate(`/contacts/${c.id}`);
    },
  });

  if (base.isPending || dups.isPending)
    return (
      <Center p="xl">
        <Loader aria-label={t("common.loading")} />
      </Center>
    );
  if (base.isError || dups.isError) {
    const err = base.error ?? dups.error;
    return (
      <Alert m="md" color="red" role="alert" title={t("common.error")}>
        {err instanceof ApiError && err.status === 404 ? t("common.notFound") : t("duplicates.loadError")}
      </Alert>
    );
  }
  const all: ContactDuplicate[] = [{ contact: base.data, reasons: [], score: 1 }, ...dups.data.items];
  const sources = all.map((d) => d.contact.id).filter((cid) => cid !== survivor && chosen.has(cid));
  const survivorName = all.find((d) => d.contact.id === survivor)?.contact.name ?? "";

  return (
    <Stack p="md" gap="md">
      <Anchor component={Link} to={`/contacts/${id}`} size="sm">
        ← {t("duplicates.back", { name: base.data.name || "—" })}
      </Anchor>
      <Title order={1} size="h2">
        {t("duplicates.title", { name: base.data.name || "—" })}
      </Title>
      {dups.data.items.length === 0 ? (
        <Alert color="green" variant="light" data-testid="no-duplicates">
          {t("duplicates.none")}
        </Alert>
      ) : (
        <>
          <Text size="sm">{t("duplicates.explain")}</Text>
          <Radio.Group
            value={survivor}
            onChange={(v) => {
              setSurvivor(v);
              setChosen((prev) => {
                const next = new Set(prev);
                next.delete(v);
                return next;
              });
            }}
            label={t("duplicates.survivor")}
          >
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} mt="xs">
              {all.map((d) => (
                <ContactCard
                  key={d.contact.id}
                  contact={d.contact}
                  reasons={d.reasons}
                  isThis={d.contact.id === id}
                  survivor={d.contact.id === survivor}
                  merge={chosen.has(d.contact.id)}
                  onMerge={(on) =>
                    setChosen((prev) => {
                      const next = new Set(prev);
                      if (on) next.add(d.contact.id);
                      else next.delete(d.contact.id);
                      return next;
                    })
                  }
                />
              ))}
            </SimpleGrid>
          </Radio.Group>
          {merge.isError && (
            <Alert color="red" role="alert">
              {merge.error instanceof ApiError && merge.error.status === 409
                ? t("duplicates.conflict")
                : t("common.error")}
            </Alert>
          )}
          <Group>
            <Button
              color="red.9"
              disabled={sources.length === 0}
              loading={merge.isPending}
              onClick={() => merge.mutate({ survivor, sources })}
            >
              {t("duplicates.merge", { count: sources.length, name: survivorName || "—" })}
            </Button>
            <Text size="xs" c="dimmed">
              {t("duplicates.keeps")}
            </Text>
          </Group>
        </>
      )}
    </Stack>
  );
}
