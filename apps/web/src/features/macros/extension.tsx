import { lazy, Suspense } from "react";
import type { Me } from "../../lib/types.ts";
import type { FeatureExtension } from "../extension.ts";
import { MacroPicker } from "./MacroPicker.tsx";

const MacrosAdmin = lazy(() => import("./MacrosAdmin.tsx"));
const MacrosPage = lazy(() => import("./MacrosPage.tsx"));
const Admin = ({ me }: { me: Me }) => (
  <Suspense fallback={null}>
    <MacrosAdmin me={me} />
  </Suspense>
);

export const extension: FeatureExtension = {
  replyTools: [MacroPicker],
  routes: [{ path: "/macros", element: <MacrosPage /> }],
  nav: [{ to: "/macros", labelKey: "macros.title" }],
  adminSections: [{ key: "macros", labelKey: "macros.title", element: Admin, managers: true }],
};
