import { useComputedColorScheme } from "@mantine/core";

/**
 * A palette colour in the shade that keeps at least 4.5:1 as text or an outline on the page in
 * the current theme (axe checks both): 9 on the light theme and 3 on the dark one; gray, whose
 * 9 and 3 are near black and near white, takes 7 and 4. `shade("teal")` → "teal.9" or "teal.3".
 */
export function readableShade(color: string, dark: boolean): string {
  if (color === "gray") return dark ? "gray.4" : "gray.7";
  return `${color}.${dark ? 3 : 9}`;
}

/** `readableShade` for the theme the user sees now. */
export function useReadableShade(): (color: string) => string {
  const dark = useComputedColorScheme("light") === "dark";
  return (color) => readableShade(color, dark);
}
