import type { FeatureExtension } from "../extension.ts";

export const extension: FeatureExtension = {};
