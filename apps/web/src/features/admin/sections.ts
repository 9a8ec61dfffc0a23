import type { Me } from "../../lib/types.ts";
import { contributions } from "../extensions.ts";

/** The admin page's own tabs, for administrators only. */
export const CORE_SECTIONS = ["users", "teams", "settings", "tokens"] as const;
const EXTRA = contributions("adminSections");

/** The tabs of /admin this user may open, in order (empty for agents). */
export function adminSectionsFor(me: Me) {
  const role = me.user.role;
  if (role === "admin") return { core: [...CORE_SECTIONS], extra: EXTRA };
  if (role === "manager") return { core: [] as string[], extra: EXTRA.filter((s) => s.managers) };
  return { core: [] as string[], extra: [] as typeof EXTRA };
}

/** Where the navigation's "Administration" link points for this user, or null. */
export function adminHome(me: Me): string | null {
  const { core, extra } = adminSectionsFor(me);
  const first = core[0] ?? extra[0]?.key;
  return first ? `/admin/${first}` : null;
}
