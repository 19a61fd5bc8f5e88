import { describe, expect, it, vi } from "vitest";
import { backoffDelays, JobFailedError, JobTimeoutError, pollJob, type JobSnapshot } from "./jobPoller";

/** A fake clock: sleep() advances it and records each wait. */
function fakeClock() {
  let time = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => time,
    sleep: async (ms: number, signal: AbortSignal) => {
      if (signal.aborted) throw new DOMException("aborted", "AbortError");
      waits.push(ms);
      time += ms;
    },
  };
}

function statuses<T extends JobSnapshot>(...items: (T | Error)[]) {
  let index = 0;
  return vi.fn(async (): Promise<T> => {
    const item = items[Math.min(index, items.length - 1)] as T | Error;
    index += 1;
    if (item instanceof Error) throw item;
    return item;
  });
}

describe("pollJob", () => {
  it("backs off exponentially up to the cap and resolves when the job succeeds", async () => {
    const clock = fakeClock();
    const updates: number[] = [];
    const fetchStatus = statuses(
      { status: "queued", progress: 0 },
      { status: "running", progress: 10 },
      { status: "running", progress: 40 },
      { status: "running", progress: 70 },
      { status: "running", progress: 90 },
      { status: "succeeded", progress: 100 },
    );
    const result = await pollJob({
      fetchStatus,
      onUpdate: (s) => updates.push(s.progress),
      initialDelayMs: 500,
      factor: 2,
      maxDelayMs: 3000,
      ...clock,
    });
    expect(result.status).toBe("succeeded");
    expect(updates).toEqual([0, 10, 40, 70, 90, 100]);
    expect(clock.waits).toEqual([500, 1000, 2000, 3000, 3000]);
    expect(fetchStatus).toHaveBeenCalledTimes(6);
  });

  it("rejects with the failed snapshot when the job fails", async () => {
    const clock = fakeClock();
    const failed = { status: "failed" as const, progress: 30, error: { code: "not_enough_data" } };
    const promise = pollJob({
      fetchStatus: statuses<JobSnapshot & { error?: { code: string } }>(
        { status: "running", progress: 30 },
        failed,
      ),
      ...clock,
    });
    await expect(promise).rejects.toBeInstanceOf(JobFailedError);
    await promise.catch((error: JobFailedError<typeof failed>) => {
      expect(error.snapshot.error?.code).toBe("not_enough_data");
    });
  });

  it("times out when the job never ends", async () => {
    const clock = fakeClock();
    const promise = pollJob({
      fetchStatus: statuses({ status: "running", progress: 50 }),
      initialDelayMs: 1000,
      factor: 1,
      timeoutMs: 5000,
      ...clock,
    });
    await expect(promise).rejects.toBeInstanceOf(JobTimeoutError);
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5000);
  });

  it("tolerates a few transient errors but not a client error", async () => {
    const clock = fakeClock();
    const networkDown = new TypeError("Failed to fetch");
    const ok = await pollJob({
      fetchStatus: statuses<JobSnapshot>(networkDown, networkDown, {
        status: "succeeded",
        progress: 100,
      }),
      ...clock,
    });
    expect(ok.status).toBe("succeeded");

    const notFound = Object.assign(new Error("gone"), { status: 404 });
    await expect(pollJob({ fetchStatus: statuses<JobSnapshot>(notFound), ...clock })).rejects.toBe(notFound);
  });

  it("stops at once when the caller aborts (the user leaves)", async () => {
    const controller = new AbortController();
    const fetchStatus = vi.fn(async () => {
      controller.abort();
      return { status: "running" as const, progress: 5 };
    });
    await expect(
      pollJob({ fetchStatus, signal: controller.signal, initialDelayMs: 10 }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(fetchStatus).toHaveBeenCalledTimes(1);
  });
});

describe("backoffDelays", () => {
  it("grows by the factor and is capped", () => {
    expect(backoffDelays(500, 1.6, 5000, 7)).toEqual([500, 800, 1280, 2048, 3276.8, 5000, 5000]);
  });
});
