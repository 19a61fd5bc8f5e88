/**
 * Follow a background analysis (a `202 Accepted` upload) until it ends: poll its status URL
 * with exponential backoff, report progress, and stop on success, failure, timeout or when the
 * caller aborts (the user leaves the page; the job keeps running on the server and can be
 * opened again from the history).
 */

export type JobState = "queued" | "running" | "succeeded" | "failed";

export interface JobSnapshot {
  status: JobState;
  progress: number;
}

export interface PollOptions<T extends JobSnapshot> {
  /** Read the job once (GET its status URL). */
  fetchStatus: (signal: AbortSignal) => Promise<T>;
  onUpdate?: (snapshot: T) => void;
  signal?: AbortSignal;
  /** First wait between polls (ms). */
  initialDelayMs?: number;
  /** Each wait is the previous one times this factor ... */
  factor?: number;
  /** ... up to this many ms. */
  maxDelayMs?: number;
  /** Give up after this long (ms) without the job ending. */
  timeoutMs?: number;
  /** Transient errors (network, 5xx, 429) tolerated in a row before giving up. */
  maxErrors?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

export class JobFailedError<T> extends Error {
  constructor(readonly snapshot: T) {
    super("The analysis job failed.");
    this.name = "JobFailedError";
  }
}

export class JobTimeoutError extends Error {
  constructor(readonly waitedMs: number) {
    super(`The analysis job did not finish within ${Math.round(waitedMs / 1000)} s.`);
    this.name = "JobTimeoutError";
  }
}

function abortError(): DOMException {
  return new DOMException("Stopped following the job.", "AbortError");
}

export function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The waits between polls: initial, initial·factor, … capped at max. */
export function backoffDelays(initialMs: number, factor: number, maxMs: number, count: number): number[] {
  const delays: number[] = [];
  let delay = initialMs;
  for (let i = 0; i < count; i += 1) {
    delays.push(Math.min(delay, maxMs));
    delay *= factor;
  }
  return delays;
}

function isTransient(error: unknown): boolean {
  if (error instanceof TypeError) return true; // network
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && (status >= 500 || status === 429);
}

/** Poll until the job succeeds (resolves with the last snapshot) or fails, times out, aborts. */
export async function pollJob<T extends JobSnapshot>(options: PollOptions<T>): Promise<T> {
  const {
    fetchStatus,
    onUpdate,
    initialDelayMs = 500,
    factor = 1.6,
    maxDelayMs = 5_000,
    timeoutMs = 15 * 60_000,
    maxErrors = 5,
    sleep = defaultSleep,
    now = () => Date.now(),
  } = options;
  const signal = options.signal ?? new AbortController().signal;
  const started = now();
  let delay = initialDelayMs;
  let errors = 0;
  for (;;) {
    if (signal.aborted) throw abortError();
    try {
      const snapshot = await fetchStatus(signal);
      errors = 0;
      onUpdate?.(snapshot);
      if (snapshot.status === "succeeded") return snapshot;
      if (snapshot.status === "failed") throw new JobFailedError(snapshot);
    } catch (error) {
      if (error instanceof JobFailedError || signal.aborted || !isTransient(error)) throw error;
      errors += 1;
      if (errors > maxErrors) throw error;
    }
    const waited = now() - started;
    if (waited + delay > timeoutMs) throw new JobTimeoutError(waited);
    await sleep(delay, signal);
    delay = Math.min(delay * factor, maxDelayMs);
  }
}
