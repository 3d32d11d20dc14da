// Pure builders of the formulas panel: forward, cost, backward, dropout and update rule in the seed
// notes' notation, each symbol labelled with its shape for the current network and batch size m.
// Output is TeX for KaTeX plus plain-text shape labels (for screen readers and tests). No user text
// goes into the TeX except through texText().
import {
  DEFAULT_BETA1,
  DEFAULT_BETA2,
  LEAKY_RELU_SLOPE,
  layerSizes,
} from '../../../workers/core/types.ts';
import type {
  Activation,
  NetworkSpec,
  OptimizerName,
  OutputActivation,
} from '../../../workers/core/types.ts';
import { updateSection } from './formulas-update.ts';
import { t } from '../i18n/i18n.svelte.ts';
import { shaped, sup, texNumber, texText } from './tex.ts';

export interface FormulaConfig {
  lambda: number;
  optimizer: OptimizerName;
  learningRate: number;
  beta1: number;
  beta2: number;
}

export interface FormulaInput {
  spec: NetworkSpec;
  /** Examples per batch: the mini-batch size, or the whole training set for batch GD. */
  m: number;
  config: FormulaConfig;
  /** The user's target column name (shown escaped, never as raw TeX). */
  targetName?: string;
}

export interface Formula {
  id: string;
  /** TeX for KaTeX (display mode). */
  tex: string;
  /** One plain sentence saying what the line does. */
  caption: string;
  /** Plain-text shape labels of the symbols in this line, e.g. "W[1]: 8 x 4", "A[0] = X: 4 x m". */
  shapes: string[];
}

export type SectionId = 'forward' | 'dropout' | 'cost' | 'backward' | 'update';

export interface FormulaSection {
  id: SectionId;
  title: string;
  intro: string;
  formulas: Formula[];
}

export interface FormulaPanel {
  /** "m = 32 examples per mini-batch" and the layer sizes, as plain text. */
  summary: string;
  /** Layer sizes n[0..L]. */
  sizes: number[];
  sections: FormulaSection[];
}

export const DEFAULT_FORMULA_CONFIG: FormulaConfig = {
  lambda: 0,
  optimizer: 'gd',
  learningRate: 0.01,
  beta1: DEFAULT_BETA1,
  beta2: DEFAULT_BETA2,
};

export { layerSizes };

/** Plain-text name of A[l]: A[0] is X. */
function aName(l: number): string {
  return l === 0 ? 'A[0] = X' : `A[${l}]`;
}

function aTex(l: number): string {
  return l === 0 ? 'X' : sup('A', l);
}

function shapeText(name: string, rows: number, cols: number | 'm'): string {
  return `${name}: ${rows} x ${cols}`;
}

/** TeX of g(Z) for an activation. */
function activationTex(act: Activation | OutputActivation, z: string): string {
  switch (act) {
    case 'sigmoid':
      return `\\sigma(${z}) = \\frac{1}{1 + e^{-${z}}}`;
    case 'tanh':
      return `\\tanh(${z})`;
    case 'relu':
      return `\\max(0, ${z})`;
    case 'leaky_relu':
      return `\\max(${texNumber(LEAKY_RELU_SLOPE)}\\,${z}, ${z})`;
    case 'linear':
      return z;
    case 'softmax':
      return `\\mathrm{softmax}(${z}),\\quad a_k = \\frac{e^{z_k}}{\\sum_j e^{z_j}}`;
  }
}

export function activationLabel(act: Activation | OutputActivation | string): string {
  switch (act) {
    case 'sigmoid':
      return 'sigmoid';
    case 'tanh':
      return 'tanh';
    case 'relu':
      return 'ReLU';
    case 'leaky_relu':
      return 'leaky ReLU';
    case 'linear':
      return t('learn.formula.act.linear');
    case 'softmax':
      return 'softmax';
    default:
      return act;
  }
}

/** TeX of g'(Z[l]) for a hidden activation, written with the cached Z[l] or A[l]. */
function derivativeTex(act: Activation, l: number): string {
  const z = sup('Z', l);
  const a = sup('A', l);
  switch (act) {
    case 'sigmoid':
      return `${a} * (1 - ${a})`;
    case 'tanh':
      return `1 - (${a})^2`;
    case 'relu':
      return `\\mathbb{1}[${z} > 0]`;
    case 'leaky_relu':
      return `\\mathbb{1}[${z} > 0] + ${texNumber(LEAKY_RELU_SLOPE)}\\,\\mathbb{1}[${z} \\le 0]`;
    case 'linear':
      return '1';
  }
}

function forwardSection(spec: NetworkSpec, sizes: number[]): FormulaSection {
  const L = sizes.length - 1;
  const formulas: Formula[] = [];
  for (let l = 1; l <= L; l++) {
    const act: Activation | OutputActivation =
      l === L ? spec.output : spec.hidden[l - 1].activation;
    const n = sizes[l];
    const nPrev = sizes[l - 1];
    formulas.push({
      id: `forward-z-${l}`,
      tex: `${shaped(sup('Z', l), n, 'm')} = ${shaped(sup('W', l), n, nPrev)}\\,${shaped(aTex(l - 1), nPrev, 'm')} + ${shaped(sup('b', l), n, 1)}`,
      caption: t('learn.formula.forward.linear', { l }),
      shapes: [
        shapeText(`Z[${l}]`, n, 'm'),
        shapeText(`W[${l}]`, n, nPrev),
        shapeText(aName(l - 1), nPrev, 'm'),
        shapeText(`b[${l}]`, n, 1),
      ],
    });
    formulas.push({
      id: `forward-a-${l}`,
      tex: `${shaped(sup('A', l), n, 'm')} = g^{[${l}]}(${sup('Z', l)}) = ${activationTex(act, sup('Z', l))}`,
      caption:
        l === L
          ? t('learn.formula.forward.output', { activation: activationLabel(act), L })
          : t('learn.formula.forward.hidden', { l, activation: activationLabel(act) }),
      shapes: [shapeText(`A[${l}]`, n, 'm')],
    });
  }
  return {
    id: 'forward',
    title: t('learn.formula.forward.title'),
    intro: t('learn.formula.forward.intro'),
    formulas,
  };
}

function dropoutSection(spec: NetworkSpec, sizes: number[]): FormulaSection | null {
  const formulas: Formula[] = [];
  spec.hidden.forEach((h, i) => {
    if (!(h.keepProb < 1)) return;
    const l = i + 1;
    const n = sizes[l];
    const kp = texNumber(h.keepProb);
    formulas.push({
      id: `dropout-d-${l}`,
      tex: `${shaped(sup('D', l), n, 'm')} = \\left(\\mathrm{rand}(${n}, m) < ${kp}\\right)`,
      caption: t('learn.formula.dropout.mask', { l, keep: String(h.keepProb) }),
      shapes: [shapeText(`D[${l}]`, n, 'm')],
    });
    formulas.push({
      id: `dropout-a-${l}`,
      tex: `${sup('A', l)} = \\frac{${sup('A', l)} * ${sup('D', l)}}{${kp}}`,
      caption: t('learn.formula.dropout.inverted'),
      shapes: [shapeText(`A[${l}]`, n, 'm')],
    });
  });
  if (formulas.length === 0) return null;
  return {
    id: 'dropout',
    title: t('learn.formula.dropout.title'),
    intro: t('learn.formula.dropout.intro'),
    formulas,
  };
}

function costSection(
  spec: NetworkSpec,
  sizes: number[],
  lambda: number,
  targetName?: string,
): FormulaSection {
  const L = sizes.length - 1;
  const ny = sizes[L];
  let data: string;
  let caption: string;
  switch (spec.output) {
    case 'sigmoid':
      data = `-\\frac{1}{m} \\sum_{i=1}^{m} \\left[ y^{(i)} \\log a^{[${L}](i)} + (1 - y^{(i)}) \\log(1 - a^{[${L}](i)}) \\right]`;
      caption = t('learn.formula.cost.binary');
      break;
    case 'softmax':
      data = `-\\frac{1}{m} \\sum_{i=1}^{m} \\sum_{k=1}^{${ny}} y_k^{(i)} \\log a_k^{[${L}](i)}`;
      caption = t('learn.formula.cost.softmax');
      break;
    case 'linear':
      data = `\\frac{1}{2m} \\sum_{i=1}^{m} \\left\\lVert a^{[${L}](i)} - y^{(i)} \\right\\rVert^2`;
      caption = t('learn.formula.cost.mse');
      break;
  }
  const l2 =
    lambda > 0
      ? ` + \\underbrace{\\frac{${texNumber(lambda)}}{2m} \\sum_{l=1}^{${L}} \\sum_{k}\\sum_{j} \\left(W_{kj}^{[l]}\\right)^2}_{\\text{L2 regularization}}`
      : '';
  const yName = targetName ? `Y (${targetName})` : 'Y';
  const formulas: Formula[] = [
    {
      id: 'cost',
      tex: `J = ${data}${l2}`,
      caption:
        lambda > 0
          ? t('learn.formula.cost.l2', { cost: caption, lambda: String(lambda) })
          : caption,
      shapes: [shapeText(`A[${L}]`, ny, 'm'), shapeText(yName, ny, 'm')],
    },
  ];
  if (targetName) {
    formulas.push({
      id: 'cost-target',
      tex: `${shaped('Y', ny, 'm')} \\leftarrow ${texText(targetName)}`,
      caption: t('learn.formula.cost.target', { target: targetName }),
      shapes: [shapeText('Y', ny, 'm')],
    });
  }
  return {
    id: 'cost',
    title: t('learn.formula.cost.title', { l2: lambda > 0 ? 'yes' : 'no' }),
    intro: t('learn.formula.cost.intro'),
    formulas,
  };
}

function backwardSection(spec: NetworkSpec, sizes: number[], lambda: number): FormulaSection {
  const L = sizes.length - 1;
  const formulas: Formula[] = [];
  formulas.push({
    id: `backward-dz-${L}`,
    tex: `${shaped(`d${sup('Z', L)}`, sizes[L], 'm')} = ${sup('A', L)} - Y`,
    caption: t('learn.formula.backward.output'),
    shapes: [
      shapeText(`dZ[${L}]`, sizes[L], 'm'),
      shapeText(`A[${L}]`, sizes[L], 'm'),
      shapeText('Y', sizes[L], 'm'),
    ],
  });
  const reg = lambda > 0;
  for (let l = L; l >= 1; l--) {
    const n = sizes[l];
    const nPrev = sizes[l - 1];
    formulas.push({
      id: `backward-dw-${l}`,
      tex: `${shaped(`d${sup('W', l)}`, n, nPrev)} = \\frac{1}{m}\\, d${sup('Z', l)}\\, ${shaped(`{${aTex(l - 1)}}^{T}`, 'm', nPrev)}${reg ? ` + \\frac{${texNumber(lambda)}}{m} ${sup('W', l)}` : ''}`,
      caption: reg
        ? t('learn.formula.backward.dwL2', { l })
        : t('learn.formula.backward.dw', { l }),
      shapes: [
        shapeText(`dW[${l}]`, n, nPrev),
        shapeText(`dZ[${l}]`, n, 'm'),
        `${l === 1 ? 'X^T' : `A[${l - 1}]^T`}: m x ${nPrev}`,
      ],
    });
    formulas.push({
      id: `backward-db-${l}`,
      tex: `${shaped(`d${sup('b', l)}`, n, 1)} = \\frac{1}{m}\\, \\mathrm{np.sum}(d${sup('Z', l)}, \\mathrm{axis}=1, \\mathrm{keepdims}=\\mathrm{True})`,
      caption: t('learn.formula.backward.db', { l }),
      shapes: [shapeText(`db[${l}]`, n, 1)],
    });
    if (l > 1) {
      const h = spec.hidden[l - 2];
      formulas.push({
        id: `backward-da-${l - 1}`,
        tex: `${shaped(`d${sup('A', l - 1)}`, nPrev, 'm')} = ${shaped(`{${sup('W', l)}}^{T}`, nPrev, n)}\\, ${shaped(`d${sup('Z', l)}`, n, 'm')}`,
        caption: t('learn.formula.backward.da', { l: l - 1 }),
        shapes: [
          shapeText(`dA[${l - 1}]`, nPrev, 'm'),
          shapeText(`W[${l}]^T`, nPrev, n),
          shapeText(`dZ[${l}]`, n, 'm'),
        ],
      });
      if (h.keepProb < 1) {
        const kp = texNumber(h.keepProb);
        formulas.push({
          id: `backward-dropout-${l - 1}`,
          tex: `d${sup('A', l - 1)} = \\frac{d${sup('A', l - 1)} * ${sup('D', l - 1)}}{${kp}}`,
          caption: t('learn.formula.backward.dropout', { l: l - 1 }),
          shapes: [shapeText(`D[${l - 1}]`, nPrev, 'm')],
        });
      }
      formulas.push({
        id: `backward-dz-${l - 1}`,
        tex: `${shaped(`d${sup('Z', l - 1)}`, nPrev, 'm')} = d${sup('A', l - 1)} * g'^{[${l - 1}]}(${sup('Z', l - 1)}) = d${sup('A', l - 1)} * \\left(${derivativeTex(h.activation, l - 1)}\\right)`,
        caption: t('learn.formula.backward.dz', { activation: activationLabel(h.activation) }),
        shapes: [shapeText(`dZ[${l - 1}]`, nPrev, 'm')],
      });
    }
  }
  return {
    id: 'backward',
    title: t('learn.formula.backward.title'),
    intro: t('learn.formula.backward.intro'),
    formulas,
  };
}

/** The whole panel for a network, a batch size m and the training settings. Throws on nonsense input. */
export function buildFormulas(input: FormulaInput): FormulaPanel {
  const { spec, m } = input;
  const cfg = { ...DEFAULT_FORMULA_CONFIG, ...input.config };
  const sizes = layerSizes(spec);
  for (const [i, n] of sizes.entries()) {
    if (!Number.isInteger(n) || n < 1)
      throw new Error(
        `Layer ${i} has ${n} units; every layer needs a whole number of units, at least 1.`,
      );
  }
  if (!Number.isInteger(m) || m < 1)
    throw new Error(`The batch size m is ${m}; it must be a whole number, at least 1.`);
  const sections: FormulaSection[] = [forwardSection(spec, sizes)];
  const drop = dropoutSection(spec, sizes);
  if (drop) sections.push(drop);
  sections.push(costSection(spec, sizes, cfg.lambda, input.targetName));
  sections.push(backwardSection(spec, sizes, cfg.lambda));
  sections.push(updateSection(sizes, cfg));
  const summary = t('learn.formula.summary', {
    m: String(m),
    batch: cfg.optimizer === 'gd' ? 'whole' : 'mini',
    sizes: sizes.map((n, l) => `n[${l}] = ${n}`).join(', '),
  });
  return { summary, sizes, sections };
}
