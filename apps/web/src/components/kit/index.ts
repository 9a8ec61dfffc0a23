/**
 * The web kit (decision 0012): the pieces every list and admin screen is made of. Features
 * import from here, never from `components/Layout.tsx`.
 */
export { type Column, DataTable } from "./DataTable.tsx";
export { FormCard } from "./FormCard.tsx";
export { ConfirmModal, FormModal } from "./FormModal.tsx";
export { ListPanel } from "./ListPanel.tsx";
export { Pager, usePager } from "./Pager.tsx";
export { StatCard } from "./StatCard.tsx";
export { readableShade, useReadableShade } from "./shade.ts";
