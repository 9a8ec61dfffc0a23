import type {
  RecognitionAwards,
  RecognitionBoard,
  RecognitionSettings,
  RecognitionTrend,
  UpdateRecognitionSettingsBody,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, qs } from "../../lib/api.ts";

/** The recognition API (apps/server/src/modules/recognition); shapes from @rapport/server/contract. */
export const useBoard = (teamId: string | null, month: string) =>
  useQuery({
    queryKey: ["recognition", "board", teamId, month],
    queryFn: () => get<RecognitionBoard>(`/recognition/teams/${teamId}${qs({ month })}`),
    enabled: !!teamId,
  });

export const useMyTrend = (teamId: string | null) =>
  useQuery({
    queryKey: ["recognition", "me", teamId],
    queryFn: () => get<RecognitionTrend>(`/recognition/me${qs({ teamId, months: 6 })}`).then((r) => r.items),
    enabled: !!teamId,
  });

export const useAwards = (userId: string | undefined) =>
  useQuery({
    queryKey: ["recognition", "awards", userId],
    queryFn: () => get<RecognitionAwards>(`/recognition/users/${userId}/awards`).then((r) => r.items),
    enabled: !!userId,
  });

export const useRecognitionSettings = (teamId: string | null) =>
  useQuery({
    queryKey: ["recognition", "settings", teamId],
    queryFn: () => get<RecognitionSettings>(`/recognition/teams/${teamId}/settings`),
    enabled: !!teamId,
  });

export function useSaveRecognitionSettings(teamId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateRecognitionSettingsBody) =>
      patch<RecognitionSettings>(`/recognition/teams/${teamId}/settings`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["recognition"] }),
  });
}
