/** Recognition of the best agents of the month (modules/recognition): boards, trends, awards, settings. */
import type {
  ZRecognitionAwards,
  ZRecognitionBoard,
  ZRecognitionSettings,
  ZRecognitionSettingsPatch,
  ZRecognitionTrend,
} from "@rapport/shared";
import type { z } from "zod";

export type RecognitionBoard = z.output<typeof ZRecognitionBoard>;
export type RecognitionTrend = z.output<typeof ZRecognitionTrend>;
export type RecognitionAwards = z.output<typeof ZRecognitionAwards>;
export type RecognitionSettings = z.output<typeof ZRecognitionSettings>;
export type UpdateRecognitionSettingsBody = z.input<typeof ZRecognitionSettingsPatch>;
