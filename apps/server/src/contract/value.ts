/** Customer value (modules/value, modules/orders): orders, the RFM matrix, value, loyalty. */
import type { z } from "zod";
import type { ZContactOrders, ZOrder, ZOrderList } from "../modules/orders/orders.schema.ts";
import type {
  ZContactValue,
  ZCreateTier,
  ZCustomerList,
  ZLedgerView,
  ZMatrix,
  ZRemindersRun,
  ZSetRelationship,
  ZTier,
  ZTierList,
  ZUpdateValueSettings,
  ZValueCustomer,
  ZValueSettings,
} from "../modules/value/value.schema.ts";

export type Order = z.output<typeof ZOrder>;
export type OrderList = z.output<typeof ZOrderList>;
export type ContactOrders = z.output<typeof ZContactOrders>;
export type Matrix = z.output<typeof ZMatrix>;
export type ValueCustomer = z.output<typeof ZValueCustomer>;
export type ValueCustomerList = z.output<typeof ZCustomerList>;
export type ContactValue = z.output<typeof ZContactValue>;
export type Tier = z.output<typeof ZTier>;
export type TierList = z.output<typeof ZTierList>;
export type LedgerView = z.output<typeof ZLedgerView>;
export type ValueSettings = z.output<typeof ZValueSettings>;
export type CreateTier = z.input<typeof ZCreateTier>;
export type UpdateValueSettings = z.input<typeof ZUpdateValueSettings>;
export type SetRelationshipBody = z.input<typeof ZSetRelationship>;
export type RemindersRun = z.output<typeof ZRemindersRun>;
