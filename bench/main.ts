// The bench page: runs each job in a fresh worker (everything measured happens inside a worker).
import {
  CONFIGS,
  enginesFor,
  type BenchJob,
  type BenchJobResult,
  type EngineName,
} from './configs.ts';

type Reply = { ok: true; result: BenchJobResult } | { ok: false; error: string };

function runJob(job: BenchJob): Promise<BenchJobResult> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<BenchJobResult>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<Reply>) => {
      worker.terminate();
      if (e.data.ok) resolve(e.data.result);
      else reject(new Error(e.data.error));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`worker error: ${e.message}`));
    };
    worker.postMessage(job);
  });
}

declare global {
  interface Window {
    runBench: (job: BenchJob) => Promise<BenchJobResult>;
    benchPlan: Array<{ name: string; kind: 'train' | 'matmul'; engines: EngineName[] }>;
    benchReady: boolean;
  }
}

window.runBench = async (job) => {
  const status = document.getElementById('status');
  if (status) status.textContent = `${job.config} ${job.engine}`;
  return runJob(job);
};
window.benchPlan = CONFIGS.map((c) => ({ name: c.name, kind: c.kind, engines: enginesFor(c) }));
window.benchReady = crossOriginIsolated;
