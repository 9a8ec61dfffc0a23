import { useMe } from "../auth/session.ts";
import { ViewPage } from "./ViewPage.tsx";

/** The custom view pages, for the signed-in agent. */
export function ViewRoute({ mode }: { mode: "show" | "edit" | "new" }) {
  const me = useMe().data;
  return me ? <ViewPage me={me} mode={mode} /> : null;
}
