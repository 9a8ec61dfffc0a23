import { lazy, Suspense } from "react";
import type { FeatureExtension } from "../extension.ts";
import { emailSendingKey, gettingStartedKey } from "./api.ts";
import { GettingStartedNav } from "./GettingStartedNav.tsx";
import { NoMailboxWarning } from "./NoMailboxWarning.tsx";

const Page = lazy(() => import("./GettingStartedPage.tsx").then((m) => ({ default: m.GettingStartedPage })));

export const extension: FeatureExtension = {
  routes: [
    {
      path: "/getting-started",
      element: (
        <Suspense fallback={null}>
          <Page />
        </Suspense>
      ),
    },
  ],
  navSections: [GettingStartedNav],
  replyNotices: [NoMailboxWarning],
  bootstrap: [
    { part: "gettingStarted", queryKey: gettingStartedKey },
    { part: "emailSending", queryKey: emailSendingKey },
  ],
};
