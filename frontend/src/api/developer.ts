/** Typed calls of the developer portal: the upgrade, API keys and the analytics API. */

import { api, session } from "./client";
import { ApiError, unwrap } from "./errors";
import type { components, operations } from "./schema";

type Schemas = components["schemas"];

export type ApiKey = Schemas["ApiKeyRead"];
export type ApiKeyCreated = Schemas["ApiKeyCreated"];
export type ApiKeyPage = Schemas["Page_ApiKeyRead_"];
export type UpgradeResult = Schemas["DeveloperUpgradeRead"];
export type AnalysisSummary = Schemas["AnalysisSummary"];
export type AnalysisPage = Schemas["Page_AnalysisSummary_"];
export type AnalysisRead = Schemas["AnalysisRead"];
export type AnalysisAccepted = Schemas["AnalysisAccepted"];
export type AnalysisStatus = Schemas["AnalysisStatus"];
export type AnalysisResult = Schemas["AnalysisResult"];
export type CategoryResult = Schemas["CategoryResult"];
export type CategoryChart = Schemas["CategoryChart"];
export type ForecastResult = Schemas["ForecastResult"];
export type CleaningReport = Schemas["CleaningReport"];
export type CrossCategory = Schemas["CrossCategory"];
/** Query options of `POST /analytics/analyze`, exactly as the API declares them. */
export type AnalyzeOptions = NonNullable<operations["analyzeTimeSeries"]["parameters"]["query"]>;

// --- upgrade and keys -------------------------------------------------------------------------

export async function upgradeToDeveloper(keyName?: string): Promise<UpgradeResult> {
  return unwrap(
    await api.POST("/api/v1/developer/upgrade", { body: keyName ? { key_name: keyName } : undefined }),
  );
}

export async function listApiKeys(query: { limit?: number; offset?: number } = {}): Promise<ApiKeyPage> {
  return unwrap(await api.GET("/api/v1/developer/keys", { params: { query } }));
}

export async function createApiKey(body: {
  name: string;
  expires_in_days?: number | null;
}): Promise<ApiKeyCreated> {
  return unwrap(await api.POST("/api/v1/developer/keys", { body }));
}

export async function rotateApiKey(keyId: string): Promise<ApiKeyCreated> {
  return unwrap(
    await api.POST("/api/v1/developer/keys/{key_id}/rotate", {
      params: { path: { key_id: keyId } },
    }),
  );
}

export async function revokeApiKey(keyId: string): Promise<void> {
  unwrap(
    await api.DELETE("/api/v1/developer/keys/{key_id}", { params: { path: { key_id: keyId } } }),
  );
}

// --- analytics --------------------------------------------------------------------------------

export async function listAnalyses(query: { limit?: number; offset?: number }): Promise<AnalysisPage> {
  return unwrap(await api.GET("/api/v1/analytics/analyses", { params: { query } }));
}

export async function getAnalysis(id: string, signal?: AbortSignal): Promise<AnalysisRead> {
  return unwrap(
    await api.GET("/api/v1/analytics/analyses/{analysis_id}", {
      params: { path: { analysis_id: id } },
      signal,
    }),
  );
}

export async function deleteAnalysis(id: string): Promise<void> {
  unwrap(
    await api.DELETE("/api/v1/analytics/analyses/{analysis_id}", {
      params: { path: { analysis_id: id } },
    }),
  );
}

/** A 200 answer carries the finished analysis; a 202 answer a job to poll. */
export type AnalyzeOutcome =
  | { kind: "done"; analysis: AnalysisRead }
  | { kind: "queued"; job: AnalysisAccepted };

export interface UploadProgress {
  loaded: number;
  total: number;
}

function queryString(options: AnalyzeOptions): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(name, String(value));
  }
  return params.toString();
}

/** One XHR upload (fetch has no upload progress); resolves with the status and parsed body. */
function sendUpload(
  url: string,
  body: FormData,
  token: string | null,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        parsed = null;
      }
      resolve({ status: xhr.status, body: parsed });
    };
    xhr.onerror = () => reject(new TypeError("Network request failed"));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/**
 * Upload a file to `POST /analytics/analyze` with progress. A 401 (expired access token)
 * refreshes the session once and sends the file again, as `session.fetch` does for the client.
 */
export async function analyzeUpload(
  file: File,
  options: AnalyzeOptions,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<AnalyzeOutcome> {
  const url = `${window.location.origin}/api/v1/analytics/analyze?${queryString(options)}`;
  const form = new FormData();
  form.append("file", file, file.name);
  let answer = await sendUpload(url, form, session.getAccessToken(), onProgress, signal);
  if (answer.status === 401 && (await session.refresh())) {
    answer = await sendUpload(url, form, session.getAccessToken(), onProgress, signal);
  }
  if (answer.status === 202) return { kind: "queued", job: answer.body as AnalysisAccepted };
  if (answer.status >= 200 && answer.status < 300) {
    return { kind: "done", analysis: answer.body as AnalysisRead };
  }
  throw new ApiError(answer.status, answer.body);
}

/** Fetch a file of the API with the session's token and hand it to the browser as a download. */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const response = await session.fetch(
    new Request(`${window.location.origin}${path}`, { credentials: "include" }),
  );
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw new ApiError(response.status, body);
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportPath(id: string, format: "csv" | "json"): string {
  return `/api/v1/analytics/analyses/${id}/export?format=${format}`;
}

export function chartPath(id: string, chart: string, format: "svg" | "png"): string {
  return `/api/v1/analytics/analyses/${id}/charts/${encodeURIComponent(chart)}.${format}`;
}

/** The slug the API uses in chart file names (`forecast-minyak-kelapa-sawit.svg`). */
export function chartSlug(category: string): string {
  const slug = category
    .toLowerCase()
    .replace(/[^0-9a-z]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "category";
}
