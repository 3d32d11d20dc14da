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
  args?: { name?: string; src_file?: string; data?: { type?: string; message?: string } };
}

export interface MainThreadTask {
  /** Start, ms on the trace's clock. */
  at: number;
  wallMs: number;
  /** Time the thread ran on a CPU during the task: what the page itself did. */
  cpuMs: number;
}

/** Where Chrome posts its memory allocator's upkeep (base/allocator/partition_alloc_support.cc):
 *  periodic purges of its caches, of a few ms, and a one-off reclaim of its free memory 10 s after
 *  the renderer process went to the background (`OnBackgrounded`: a process starts there until its
 *  page shows). These tasks run no code of the page. The reclaim took 43-139 ms of CPU under a 4x
 *  throttle, and a walk that trains about 10 s after opening its page meets it: it is the browser's
 *  work, not the page's. */
const BROWSER_UPKEEP = 'base/allocator/';

/** Top-level tasks of every renderer main thread in the trace (one page: its main thread), leaving
 *  out the browser's allocator upkeep (BROWSER_UPKEEP; `upkeep: true` gives those instead). A task
 *  traced twice (Chrome's `RunTask` around its `ThreadControllerImpl::RunTask`) counts once. */
export function mainThreadTasks(trace: Buffer | string, upkeep = false): MainThreadTask[] {
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const runs = events
    .filter(
      (e) =>
        e.ph === 'X' &&
        (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
        mains.has(`${e.pid}:${e.tid}`),
    )
    .sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || (b.dur ?? 0) - (a.dur ?? 0));
  const within = (inner: TraceEvent, outer: TraceEvent) =>
    inner.pid === outer.pid &&
    inner.tid === outer.tid &&
    (inner.ts ?? 0) >= (outer.ts ?? 0) &&
    (inner.ts ?? 0) + (inner.dur ?? 0) <= (outer.ts ?? 0) + (outer.dur ?? 0);
  const upkept = runs.filter((e) => e.args?.src_file?.startsWith(BROWSER_UPKEEP));
  const tasks: TraceEvent[] = [];
  const lastOn = new Map<string, TraceEvent>();
  for (const e of runs) {
    const last = lastOn.get(`${e.pid}:${e.tid}`);
    if (last && within(e, last)) continue;
    lastOn.set(`${e.pid}:${e.tid}`, e);
    tasks.push(e);
  }
  return tasks
    .filter((t) => upkept.some((u) => within(u, t)) === upkeep)
    .map((e) => ({
      at: (e.ts ?? 0) / 1000,
      wallMs: (e.dur ?? 0) / 1000,
      cpuMs: (e.tdur ?? e.dur ?? 0) / 1000,
    }));
}

/** The tasks of the page's main thread between the page's `console.timeStamp(from)` and
 *  `console.timeStamp(to)` (trace categories 'toplevel' and 'devtools.timeline'), leaving out the
 *  test's own tasks: those where Playwright's injected script runs (its `__playwright_*` events).
 *  `upkeep: true` gives the browser's allocator upkeep in that span instead (see mainThreadTasks). */
export function pageTasksBetween(
  trace: Buffer | string,
  from: string,
  to: string,
  upkeep = false,
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
  return mainThreadTasks(trace, upkeep).filter(
    (t) =>
      t.at >= start &&
      t.at + t.wallMs <= end &&
      !harness.some((h) => h >= t.at && h <= t.at + t.wallMs),
  );
}
