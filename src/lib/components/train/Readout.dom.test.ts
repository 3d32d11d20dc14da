// The readout in German: its labels come from the German catalogue and its numbers have the decimal
// comma, while the English page keeps the bare numbers the tests and the design rely on.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import Readout from './Readout.svelte';
import { i18n } from '../../i18n/i18n.svelte.ts';
import type { TrainingSession } from '../../state/training.svelte.ts';

/** The parts of a session the readout reads: one finished epoch of a classification run. */
function session(): TrainingSession {
  return {
    epoch: 12,
    state: 'paused',
    spec: {},
    runConfig: { epochs: 40 },
    dataset: { task: 'binary' },
    test: null,
    latest: {
      epoch: 12,
      elapsedMs: 2345,
      examplesPerSecond: 12345.6,
      trainLoss: 0.43217,
      devLoss: 0.5,
      trainAccuracy: 0.875,
      devAccuracy: 0.8125,
    },
  } as unknown as TrainingSession;
}

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = '';
});

function render(s: TrainingSession = session()): HTMLElement {
  app = mount(Readout, { target: document.body, props: { session: s } });
  flushSync();
  return document.body;
}

const text = (root: HTMLElement, id: string) =>
  root.querySelector(`[data-testid="${id}"]`)?.textContent?.trim();

describe('the readout', () => {
  it('speaks German with a decimal comma', async () => {
    await i18n.use('de', false);
    const root = render();
    expect(text(root, 'metric-train-loss')).toBe('0,4322');
    expect(text(root, 'metric-elapsed')).toBe('2,3');
    expect(text(root, 'metric-speed')).toBe('12346');
    const labels = [...root.querySelectorAll('dt')].map((d) => d.textContent?.trim());
    expect(labels).toContain('Trainingsverlust');
    expect(labels).toContain('Dev-Genauigkeit');
    expect(root.textContent).toContain('Epoche 12 von 40');
  });

  it('keeps the English names and bare numbers, and follows a language switch', async () => {
    await i18n.use('en', false);
    const root = render();
    expect(text(root, 'metric-train-loss')).toBe('0.4322');
    expect(text(root, 'metric-train-accuracy')).toBe('0.875');
    expect([...root.querySelectorAll('dt')].map((d) => d.textContent?.trim())).toContain(
      'Train loss',
    );
    await i18n.use('es', false);
    flushSync();
    expect(text(root, 'metric-train-accuracy')).toBe('0,875');
    expect([...root.querySelectorAll('dt')].map((d) => d.textContent?.trim())).toContain(
      'Pérdida de entrenamiento',
    );
  });

  it('counts the epochs of the form from 0 before a run, so pressing Train moves nothing', async () => {
    await i18n.use('en', false);
    const idle = {
      ...session(),
      epoch: 0,
      state: 'idle',
      runConfig: null,
      latest: null,
      form: { config: { epochs: 50 } },
    } as unknown as TrainingSession;
    const root = render(idle);
    const bar = root.querySelector('progress')!;
    expect(bar.max).toBe(50);
    expect(bar.value).toBe(0);
    expect(root.textContent).toContain('Epoch 0 of 50');
    expect(text(root, 'run-time-left')).toBe('');
  });
});
