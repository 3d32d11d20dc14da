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
 *  page shows). These tasks run no code of the page. The reclaim took 43-147 ms of CPU under a 4x
 *  throttle, and a walk that trains about 10 s after opening its page meets it: it is the browser's
 *  work, not the page's. */
const BROWSER_UPKEEP = 'base/allocator/';

/** The main thread's tasks: the page's, and the browser's allocator upkeep (BROWSER_UPKEEP). */
export interface Tasks {
  page: MainThreadTask[];
  upkeep: MainThreadTask[];
}

function eventsOf(trace: Buffer | string): TraceEvent[] {
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** Top-level tasks of every renderer main thread (one page: its main thread). A task traced twice
 *  (Chrome's `RunTask` around its `ThreadControllerImpl::RunTask`) counts once. */
function tasksIn(events: TraceEvent[]): Tasks {
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
  const out: Tasks = { page: [], upkeep: [] };
  const lastOn = new Map<string, TraceEvent>();
  for (const e of runs) {
    const last = lastOn.get(`${e.pid}:${e.tid}`);
    if (last && within(e, last)) continue;
    lastOn.set(`${e.pid}:${e.tid}`, e);
    const task = {
      at: (e.ts ?? 0) / 1000,
      wallMs: (e.dur ?? 0) / 1000,
      cpuMs: (e.tdur ?? e.dur ?? 0) / 1000,
    };
    (upkept.some((u) => within(u, e)) ? out.upkeep : out.page).push(task);
  }
  return out;
}

/** The page's main-thread tasks in the trace (the browser's allocator upkeep left out). */
export function mainThreadTasks(trace: Buffer | string): MainThreadTask[] {
  return tasksIn(eventsOf(trace)).page;
}

/** The main thread's tasks between the page's `console.timeStamp(from)` and
 *  `console.timeStamp(to)` (trace categories 'toplevel' and 'devtools.timeline'), leaving out the
 *  test's own tasks: those where Playwright's injected script runs (its `__playwright_*` events). */
export function tasksBetween(trace: Buffer | string, from: string, to: string): Tasks {
  const events = eventsOf(trace);
  const stamp = (m: string) => {
    const e = events.find((x) => x.name === 'TimeStamp' && x.args?.data?.message === m);
    if (!e) throw new Error(`No console.timeStamp('${m}') in the trace.`);
    return (e.ts ?? 0) / 1000;
  };
  const [start, end] = [stamp(from), stamp(to)];
  const harness = events
    .filter((e) => e.name === 'EventDispatch' && e.args?.data?.type?.startsWith('__playwright'))
    .map((e) => (e.ts ?? 0) / 1000);
  const inSpan = (t: MainThreadTask) =>
    t.at >= start &&
    t.at + t.wallMs <= end &&
    !harness.some((h) => h >= t.at && h <= t.at + t.wallMs);
  const all = tasksIn(events);
  return { page: all.page.filter(inSpan), upkeep: all.upkeep.filter(inSpan) };
}
