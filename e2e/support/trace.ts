// Reads a Chrome trace (browser.startTracing / stopTracing with the 'toplevel' category):
// the tasks of the page's main thread with their wall-clock and CPU (thread) time.

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { type?: string; message?: string } };
}

export interface MainThreadTask {
  /** Start, ms on the trace's clock. */
  at: number;
  wallMs: number;
  /** Time the thread ran on a CPU during the task: what the page itself did. */
  cpuMs: number;
}

/** Top-level tasks of every renderer main thread in the trace (one page: its main thread). */
export function mainThreadTasks(trace: Buffer | string): MainThreadTask[] {
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  return events
    .filter(
      (e) =>
        e.ph === 'X' &&
        (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
        mains.has(`${e.pid}:${e.tid}`),
    )
    .map((e) => ({
      at: (e.ts ?? 0) / 1000,
      wallMs: (e.dur ?? 0) / 1000,
      cpuMs: (e.tdur ?? e.dur ?? 0) / 1000,
    }));
}

/** The tasks of the page's main thread between the page's `console.timeStamp(from)` and
 *  `console.timeStamp(to)` (trace categories 'toplevel' and 'devtools.timeline'), leaving out the
 *  test's own tasks: those where Playwright's injected script runs (its `__playwright_*` events). */
export function pageTasksBetween(
  trace: Buffer | string,
  from: string,
  to: string,
): MainThreadTask[] {
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const stamp = (m: string) => {
    const e = events.find((x) => x.name === 'TimeStamp' && x.args?.data?.message === m);
    if (!e) throw new Error(`No console.timeStamp('${m}') in the trace.`);
    return (e.ts ?? 0) / 1000;
  };
  const [start, end] = [stamp(from), stamp(to)];
  const harness = events
    .filter((e) => e.name === 'EventDispatch' && e.args?.data?.type?.startsWith('__playwright'))
    .map((e) => (e.ts ?? 0) / 1000);
  return mainThreadTasks(trace).filter(
    (t) =>
      t.at >= start &&
      t.at + t.wallMs <= end &&
      !harness.some((h) => h >= t.at && h <= t.at + t.wallMs),
  );
}
