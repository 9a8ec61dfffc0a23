/** @jsxImportSource preact */
/**
 * The widget's button icons, inline SVG (issue 14): emoji glyphs render differently on every
 * system (or as empty boxes), and inherit neither the accent color nor the text color.
 */
const icon = (d: string, size = 20) =>
  function Icon() {
    return (
      <svg
        width={size}
        height={size}
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
        stroke-linejoin="round"
        aria-hidden="true"
        focusable="false"
      >
        <path d={d} />
      </svg>
    );
  };

export const IconClose = icon("M6 6l12 12M18 6L6 18");
export const IconSmile = icon(
  "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8 14s1.5 2 4 2 4-2 4-2M9 9.5h.01M15 9.5h.01",
);
export const IconClip = icon(
  "M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9",
);
export const IconFile = icon("M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8zM14 3v5h5", 14);
export const IconCheck = icon("M5 12.5l4.5 4.5L19 7.5", 14);
export const IconChecks = icon("M2 12.5l4.5 4.5L16 7.5M9.5 16.5l.5.5L22 7.5", 14);
export const IconRetry = icon("M4 12a8 8 0 1 0 2.3-5.6M4 4v4.5h4.5", 14);
export const IconClock = icon("M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2", 14);
export const IconAlert = icon(
  "M12 8v5M12 16.5h.01M10.3 3.9L2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z",
  14,
);
