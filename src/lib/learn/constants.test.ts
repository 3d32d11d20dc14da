// The maths panel shows the maths that runs: every constant the panel prints is read back from the
// panel's own text and checked against what the engine computes with it.
import { beforeAll, describe, expect, it } from 'vitest';
import { PlannedTrainer } from '../../../workers/core/train.ts';
import { activate, derivativeFromA, initScale } from '../../../workers/core/activations.ts';
import { defaultConfig, initLabel } from '../state/config.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import { LearnSession, type LabRunner } from '../state/learn.svelte.ts';
import { INIT_LABELS as LAB_INIT_LABELS } from '../../../workers/labs/labs.ts';
import { gradVerdict, gradVerdictText } from './verdicts.ts';
import type { Formula, FormulaPanel } from './formulas.ts';
import type { TrainConfig } from '../../../workers/core/types.ts';

beforeAll(() => i18n.use('en', false));

const noRunner = (): LabRunner => {
  throw new Error('no lab runs here');
};

/** The panel exactly as the maths area builds it, for this configuration on the example data. */
function panelFor(config: TrainConfig): FormulaPanel {
  const learn = new LearnSession({ config: () => config }, noRunner);
  const { panel, error } = learn.formulas;
  if (!panel) throw new Error(error);
  return panel;
}

function formula(panel: FormulaPanel, id: string): Formula {
  const f = panel.sections.flatMap((s) => s.formulas).find((x) => x.id === id);
  if (!f) throw new Error(`no formula ${id}`);
  return f;
}

/** A number as texNumber writes it: "0.01" or "1 \times 10^{-7}". */
function texValue(tex: string): number {
  const m = /^\s*(-?[\d.]+)(?:\s*\\times\s*10\^\{(-?\d+)\})?/.exec(tex);
  if (!m) throw new Error(`not a number: ${tex}`);
  return Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1);
}

describe('constants shown in the maths panel equal the engine', () => {
  it("Adam's epsilon: the update the panel writes is the update the trainer makes", () => {
    const cfg: TrainConfig = {
      ...defaultConfig(),
      optimizer: 'adam',
      learningRate: 1,
      lambda: 0,
      hidden: [{ units: 1, activation: 'linear', keepProb: 1 }],
    };
    const tex = formula(panelFor(cfg), 'update-w').tex;
    const m = /\\varepsilon = ([^`]+)$/.exec(tex);
    expect(m, tex).not.toBeNull();
    const shownEpsilon = texValue(m![1]);

    // One Adam step on W = 0 with the gradient g = -1e-7: v_hat = g, s_hat = g^2, so the panel's rule gives
    // W = -alpha g / (|g| + epsilon). At |g| = 1e-7 the epsilon decides the step (0.5 with 1e-7, 0.91 with 1e-8).
    const g = -1e-7;
    const expected = (-cfg.learningRate * g) / (Math.abs(g) + shownEpsilon);
    // Linear regression without hidden layers: dW = 1/m dZ X^T = -(y) x with W = 0, x = 1, y = 1e-7.
    const trainer = new PlannedTrainer({
      spec: { inputs: 1, hidden: [], outputs: 1, output: 'linear' },
      config: { ...cfg, hidden: [], optimizer: 'adam', batchSize: 1, epochs: 1 },
      task: 'regression',
      params: [{ W: [0], b: [0] }],
      data: { train: { m: 1, x: new Float32Array([1]), y: new Float32Array([-g]) } },
    });
    trainer.trainBatch();
    const W = trainer.params()[0].W[0];
    expect(W).toBeCloseTo(expected, 4);
    // The check can fail: the wrong epsilon (1e-8) predicts a clearly different step.
    expect(Math.abs(W - (-cfg.learningRate * g) / (Math.abs(g) + 1e-8))).toBeGreaterThan(0.1);
  });

  it('leaky ReLU slope: the forward and backward formulas use the slope the engine applies', () => {
    const cfg: TrainConfig = {
      ...defaultConfig(),
      hidden: [{ units: 3, activation: 'leaky_relu', keepProb: 1 }],
    };
    const panel = panelFor(cfg);
    const fwd = formula(panel, 'forward-a-1').tex;
    const slopeFwd = texValue(/\\max\(([^\\]+)\\,/.exec(fwd)![1]);
    expect(slopeFwd).toBe(-activate('leaky_relu', -1));
    const back = panel.sections
      .flatMap((s) => s.formulas)
      .map((f) => f.tex)
      .find((t) => t.includes('\\mathbb{1}[') && t.includes('\\le 0'));
    expect(back).toBeDefined();
    const slopeBack = texValue(/\+ ([^\\]+)\\,\\mathbb\{1\}/.exec(back!)![1]);
    expect(slopeBack).toBe(derivativeFromA('leaky_relu', -1));
  });

  it("momentum and Adam's betas: the panel shows the configuration's values, whose defaults the form uses", () => {
    const cfg: TrainConfig = { ...defaultConfig(), optimizer: 'adam' };
    const tex = formula(panelFor(cfg), 'update-v').tex;
    expect(tex).toContain(`${cfg.beta1}\\, v_{`);
    expect(tex).toContain(`${cfg.beta2}\\, s_{`);
  });

  it('random initialization scale: the labels name the scale the initializer uses', () => {
    const scale = initScale('random', 10);
    expect(initLabel('random')).toContain(String(scale));
    expect(i18n.msg(LAB_INIT_LABELS.random)).toContain(String(scale));
  });

  it('gradient check thresholds: the verdict texts name the thresholds the verdicts use', () => {
    const right = Number(/below (\S+?)\)/.exec(gradVerdictText('right'))![1]);
    const wrong = Number(/above (\S+?),/.exec(gradVerdictText('wrong'))![1]);
    expect(gradVerdict(right * 0.99)).toBe('right');
    expect(gradVerdict(right * 1.01)).toBe('suspicious');
    expect(gradVerdict(wrong * 1.01)).toBe('wrong');
    expect(gradVerdict(wrong * 0.99)).toBe('suspicious');
  });
});
