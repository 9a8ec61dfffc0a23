import { Anchor, Button, Center, Group, Loader, Stack, Text, TextInput, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Column, DataTable } from "../../components/kit/index.ts";
import { get } from "../../lib/api.ts";
import type { Contact, Page } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import {
  displayValue,
  type FieldDefinition,
  type FieldEntity,
  fieldLabel,
  type Organization,
  useFields,
} from "../fields/api.ts";
import { type CfFilter, CfFilterBar, cfParams } from "../fields/CfFilterBar.tsx";

const query = (params: Record<string, string>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) s.set(k, v);
  return s.toString();
};

function useList<T>(path: string, params: Record<string, string>) {
  return useInfiniteQuery({
    queryKey: [path, params],
    queryFn: ({ pageParam }) =>
      get<Page<T>>(`${path}?${query({ ...params, limit: "50", cursor: pageParam ?? "" })}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Search box, custom-field filters, export and (admins) import above a list. */
function ListHeader({
  entity,
  title,
  q,
  setQ,
  filters,
  setFilters,
  params,
  exportPath,
}: {
  entity: FieldEntity;
  title: string;
  q: string;
  setQ: (q: string) => void;
  filters: CfFilter[];
  setFilters: (f: CfFilter[]) => void;
  params: Record<string, string>;
  exportPath: string;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const fields = useFields(entity);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={1} size="h3">
          {title}
        </Title>
        <Group gap="xs">
          <Button component="a" variant="default" href={`/api/v1${exportPath}?${query(params)}`} download>
            {t("fields.list.export")}
          </Button>
          {me.data?.user.role === "admin" && entity !== "ticket" && (
            <Button component={Link} to={`/imports?entity=${entity}`}>
              {t("fields.list.import")}
            </Button>
          )}
        </Group>
      </Group>
      <TextInput
        label={t("fields.list.search")}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        maw={400}
      />
      <CfFilterBar fields={fields.data ?? []} filters={filters} onChange={setFilters} />
    </Stack>
  );
}

function MoreButton({
  q,
}: {
  q: { hasNextPage: boolean; fetchNextPage: () => unknown; isFetchingNextPage: boolean };
}) {
  const { t } = useTranslation();
  if (!q.hasNextPage) return null;
  return (
    <Center>
      <Button variant="default" onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
        {t("fields.list.more")}
      </Button>
    </Center>
  );
}

/** The first custom fields as columns, their values shown as text in the UI language. */
function fieldColumns<T extends { customFields?: Record<string, unknown> }>(
  fields: FieldDefinition[],
  lang: string,
  yesNo: [string, string],
): Column<T>[] {
  return fields.map((f) => ({
    key: `cf-${f.id}`,
    header: fieldLabel(f, lang),
    cell: (row) => displayValue(f, row.customFields?.[f.key], lang, yesNo),
  }));
}

/** /contacts: every customer, searchable and filterable by custom fields. */
export function ContactsListPage() {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState("");
  const [filters, setFilters] = useState<CfFilter[]>([]);
  const fields = useFields("contact");
  const cols = (fields.data ?? []).slice(0, 4);
  const params = { q, ...cfParams(filters) };
  const list = useList<Contact>("/contacts", params);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const yesNo: [string, string] = [t("fields.yes"), t("fields.no")];
  return (
    <Stack p="md">
      <ListHeader
        entity="contact"
        title={t("fields.list.contacts")}
        q={q}
        setQ={setQ}
        filters={filters}
        setFilters={setFilters}
        params={params}
        exportPath="/contacts/export.csv"
      />
      {list.isLoading ? (
        <Loader />
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t("fields.list.empty")}</Text>
      ) : (
        <DataTable
          testId="contacts-table"
          highlightOnHover
          rows={rows}
          rowKey={(c) => c.id}
          columns={[
            {
              key: "name",
              header: t("fields.list.name"),
              cell: (c) => (
                <Anchor component={Link} to={`/contacts/${c.id}`}>
                  {c.name || c.emails[0]?.email || c.phones[0]?.phone || "—"}
                </Anchor>
              ),
            },
            { key: "email", header: t("fields.list.email"), cell: (c) => c.emails[0]?.email },
            { key: "phone", header: t("fields.list.phone"), cell: (c) => c.phones[0]?.phone },
            {
              key: "organization",
              header: t("fields.list.organization"),
              cell: (c) =>
                c.organization && (
                  <Anchor component={Link} to={`/organizations/${c.organization.id}`}>
                    {c.organization.name}
                  </Anchor>
                ),
            },
            ...fieldColumns<Contact>(cols, i18n.language, yesNo),
          ]}
        />
      )}
      <MoreButton q={list} />
    </Stack>
  );
}

/** /organizations: companies with domains, owner and contact count. */
export function OrganizationsListPage() {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState("");
  const [filters, setFilters] = useState<CfFilter[]>([]);
  const fields = useFields("organization");
  const cols = (fields.data ?? []).slice(0, 3);
  const params = { q, ...cfParams(filters) };
  const list = useList<Organization>("/organizations", params);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const yesNo: [string, string] = [t("fields.yes"), t("fields.no")];
  return (
    <Stack p="md">
      <ListHeader
        entity="organization"
        title={t("fields.list.organizations")}
        q={q}
        setQ={setQ}
        filters={filters}
        setFilters={setFilters}
        params={params}
        exportPath="/organizations/export.csv"
      />
      {list.isLoading ? (
        <Loader />
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t("fields.list.empty")}</Text>
      ) : (
        <DataTable
          testId="organizations-table"
          highlightOnHover
          rows={rows}
          rowKey={(o) => o.id}
          columns={[
            {
              key: "name",
              header: t("fields.list.name"),
              cell: (o) => (
                <Anchor component={Link} to={`/organizations/${o.id}`}>
                  {o.name}
                </Anchor>
              ),
            },
            { key: "domains", header: t("fields.org.domains"), cell: (o) => o.domains.join(", ") },
            { key: "owner", header: t("fields.org.owner"), cell: (o) => o.accountOwner?.name },
            {
              key: "contacts",
              header: t("fields.org.contacts"),
              cell: (o) => new Intl.NumberFormat(i18n.language).format(o.contactCount),
            },
            ...fieldColumns<Organization>(cols, i18n.language, yesNo),
          ]}
        />
      )}
      <MoreButton q={list} />
    </Stack>
  );
}
