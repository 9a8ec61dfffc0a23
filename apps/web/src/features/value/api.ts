import type {
  ContactOrders,
  ContactValue,
  Matrix,
  Order,
  Tier,
  ValueCustomer,
  ValueCustomerList,
} from "@rapport/server/contract";
import { RELATIONSHIP_TYPES, type RelationshipType, VALUE_FIELDS } from "@rapport/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { del, get, patch, post, qs } from "../../lib/api.ts";

export type { ContactOrders, ContactValue, Matrix, Order, Tier, ValueCustomer };

export const SEGMENTS = [
  "vip",
  "growing_loyal",
  "newcomer",
  "lost",
  "lapsing",
  "one_off_forgotten",
  "no_purchase",
] as const;
export type Segment = (typeof SEGMENTS)[number];
export const SEGMENT_COLORS: Record<Segment, string> = {
  vip: "grape",
  growing_loyal: "teal",
  newcomer: "blue",
  lost: "red",
  lapsing: "orange",
  one_off_forgotten: "gray",
  no_purchase: "gray",
};

/** The requester's value figures SLA policies and triggers may test. */
export const VALUE_CONDITION_FIELDS = VALUE_FIELDS.map((f) => `value.${f}`);
export { RELATIONSHIP_TYPES, type RelationshipType };
export type CustomerFilter = { segment?: Segment; r?: number; f?: number };

export const useMatrix = () =>
  useQuery({ queryKey: ["rfm", "matrix"], queryFn: () => get<Matrix>("/rfm/matrix") });

export const useValueCustomers = (filter: CustomerFilter, cursor?: string) =>
  useQuery({
    queryKey: ["rfm", "customers", filter, cursor],
    queryFn: () => get<ValueCustomerList>(`/rfm/customers${qs({ ...filter, cursor, limit: 50 })}`),
  });

export const customersCsvUrl = (filter: CustomerFilter) =>
  `/api/v1/rfm/customers${qs({ ...filter, format: "csv" })}`;

export const useContactValue = (contactId: string | undefined) =>
  useQuery({
    queryKey: ["value", contactId],
    queryFn: () => get<ContactValue>(`/contacts/${contactId}/value`),
    enabled: !!contactId,
  });

export const useContactOrders = (contactId: string | undefined, limit = 10) =>
  useQuery({
    queryKey: ["orders", "contact", contactId, limit],
    queryFn: () => get<ContactOrders>(`/contacts/${contactId}/orders${qs({ limit })}`),
    enabled: !!contactId,
  });

export function useSetRelationship(contactId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (relationshipType: RelationshipType | null) =>
      patch<ContactValue>(`/contacts/${contactId}/value`, { relationshipType }),
    onSuccess: (v) => {
      qc.setQueryData(["value", contactId], v);
      void qc.invalidateQueries({ queryKey: ["dossier", contactId] });
    },
  });
}

export function useLinkOrder(ticketId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, linked }: { orderId: string; linked: boolean }) =>
      linked
        ? del<Order>(`/orders/${orderId}/tickets/${ticketId}`)
        : post<Order>(`/orders/${orderId}/tickets`, { ticketId }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["orders"] }),
  });
}

export const ORDER_STATUS_COLORS: Record<Order["status"], string> = {
  placed: "blue",
  paid: "teal",
  shipped: "cyan",
  delivered: "green",
  cancelled: "gray",
  refunded: "orange",
};
