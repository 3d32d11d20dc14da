import { describe, expect, it } from 'vitest';
import { mainThreadTasks, tasksBetween } from './trace.ts';

const MAIN = { pid: 7, tid: 1 };
const OTHER = { pid: 7, tid: 2 };

const names = [
  { ph: 'M', name: 'thread_name', ...MAIN, args: { name: 'CrRendererMain' } },
  { ph: 'M', name: 'thread_name', ...OTHER, args: { name: 'DedicatedWorker thread' } },
];

/** A task as Chrome traces it: `RunTask` around `ThreadControllerImpl::RunTask`, which names where
 *  the task was posted. ts and durations in ms. */
function task(at: number, cpu: number, src = 'third_party/blink/renderer/foo.cc', thread = MAIN) {
  return [
    { ph: 'X', name: 'RunTask', ...thread, ts: at * 1000, dur: cpu * 1100, tdur: cpu * 1000 },
    {
      ph: 'X',
      name: 'ThreadControllerImpl::RunTask',
      ...thread,
      ts: at * 1000 + 1,
      dur: cpu * 1100 - 2,
      tdur: cpu * 1000 - 2,
      args: { src_file: src },
    },
  ];
}

const stamp = (at: number, message: string) => ({
  ph: 'I',
  name: 'TimeStamp',
  ...MAIN,
  ts: at * 1000,
  args: { data: { message } },
});

describe('mainThreadTasks', () => {
  it('counts each task of the page main thread once, with its CPU and wall-clock time', () => {
    const trace = JSON.stringify({
      traceEvents: [...names, ...task(10, 20), ...task(40, 5), ...task(12, 90, 'x.cc', OTHER)],
    });
    const tasks = mainThreadTasks(trace);
    expect(tasks.map((t) => t.cpuMs)).toEqual([20, 5]);
    expect(tasks[0]).toMatchObject({ at: 10, wallMs: 22 });
  });

  it("leaves out the browser's one-off allocator reclaim, which runs no code of the page", () => {
    const trace = JSON.stringify([
      ...names,
      stamp(0, 'steady'),
      ...task(10, 30),
      ...task(100, 147, 'base/allocator/partition_alloc_support.cc'),
      ...task(300, 60),
      stamp(1000, 'stopping'),
    ]);
    expect(mainThreadTasks(trace).map((t) => t.cpuMs)).toEqual([30, 60]);
    const { page, upkeep } = tasksBetween(trace, 'steady', 'stopping');
    expect(page.map((t) => t.cpuMs)).toEqual([30, 60]);
    expect(upkeep.map((t) => t.cpuMs)).toEqual([147]);
  });
});

describe('tasksBetween', () => {
  it("keeps the tasks between the two stamps, without the test harness's own", () => {
    const harness = {
      ph: 'X',
      name: 'EventDispatch',
      ...MAIN,
      ts: 601_000,
      dur: 100,
      args: { data: { type: '__playwright_evaluate' } },
    };
    const trace = JSON.stringify([
      ...names,
      ...task(10, 99),
      stamp(200, 'steady'),
      ...task(300, 12),
      ...task(600, 70),
      harness,
      ...task(1500, 40),
      stamp(2000, 'stopping'),
      ...task(2100, 99),
    ]);
    expect(tasksBetween(trace, 'steady', 'stopping').page.map((t) => t.cpuMs)).toEqual([12, 40]);
    expect(() => tasksBetween(trace, 'steady', 'nowhere')).toThrow(/nowhere/);
  });
});
