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
  args?: { name?: string };
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
