import { Center, Loader, useComputedColorScheme } from "@mantine/core";
import type { ECharts, EChartsCoreOption } from "echarts/core";
import { type RefObject, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

export type ChartPoint = { seriesName?: string; dataIndex: number; data: unknown };

/**
 * One ECharts chart. The library is fetched on first use (its own chunk); the chart follows the
 * colour scheme, resizes with its box (phones), and reports a click on a point so the page can
 * drill down to the tickets behind it. `chartRef` exposes the instance for the PNG export.
 */
export function EChart({
  option,
  label,
  height = 300,
  onPoint,
  chartRef,
}: {
  option: EChartsCoreOption;
  label: string;
  height?: number;
  onPoint?: (p: ChartPoint) => void;
  chartRef?: RefObject<ECharts | null>;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const scheme = useComputedColorScheme("light");
  const [ready, setReady] = useState(false);
  const click = useRef(onPoint);
  click.current = onPoint;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import("./echarts.ts").then(({ echarts }) => {
      if (disposed || !box.current) return;
      const c = echarts.init(box.current, scheme === "dark" ? "dark" : undefined, { renderer: "canvas" });
      c.on("click", (p) => {
        const e = p as unknown as ChartPoint;
        click.current?.({ seriesName: e.seriesName, dataIndex: e.dataIndex, data: e.data });
      });
      chart.current = c;
      if (chartRef) chartRef.current = c;
      observer = new ResizeObserver(() => c.resize());
      observer.observe(box.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
      if (chartRef) chartRef.current = null;
      setReady(false);
    };
  }, [scheme, chartRef]);

  useEffect(() => {
    if (ready) chart.current?.setOption({ backgroundColor: "transparent", ...option }, true);
  }, [ready, option]);

  return (
    <div style={{ position: "relative", height }}>
      <div ref={box} role="img" aria-label={label} style={{ width: "100%", height }} data-ready={ready} />
      {!ready && (
        <Center pos="absolute" inset={0}>
          <Loader size="sm" aria-label={t("reports.loadingChart")} />
        </Center>
      )}
    </div>
  );
}
