/** Custom views (modules/views): saved ticket lists with filters, columns and sort. */
import type { z } from "zod";
import type {
  ZCreateView,
  ZCustomView,
  ZUpdateView,
  ZViewFilters,
} from "../modules/views/custom-views.schema.ts";

export type CustomView = z.output<typeof ZCustomView>;
export type ViewFilters = z.output<typeof ZViewFilters>;
export type CreateViewBody = z.input<typeof ZCreateView>;
export type UpdateViewBody = z.input<typeof ZUpdateView>;
