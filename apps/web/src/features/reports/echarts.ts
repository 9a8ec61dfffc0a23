/**
 * ECharts, only the parts the dashboard draws, in a chunk of its own: the reports page loads it
 * on demand (EChart.tsx imports this file dynamically), so the inbox bundle does not carry it.
 */
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  MarkAreaComponent,
  CanvasRenderer,
]);

export { echarts };
