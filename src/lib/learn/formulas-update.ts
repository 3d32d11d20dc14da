// The update rule of the formulas panel: gradient descent (batch or mini-batch), momentum and Adam,
// with the configuration's learning rate and betas and the engine's Adam epsilon.
import { ADAM_EPSILON } from '../../../workers/core/types.ts';
import type { Formula, FormulaConfig, FormulaSection } from './formulas.ts';
import { sup, texNumber } from './tex.ts';
import { t } from '../i18n/i18n.svelte.ts';

/** The update section for layers n[0..L] and the training settings. */
export function updateSection(sizes: number[], cfg: FormulaConfig): FormulaSection {
  const L = sizes.length - 1;
  const a = texNumber(cfg.learningRate);
  const shapes: string[] = [];
  for (let l = 1; l <= L; l++) {
    const extra =
      cfg.optimizer === 'momentum'
        ? `, v_dW[${l}]`
        : cfg.optimizer === 'adam'
          ? `, v_dW[${l}], s_dW[${l}]`
          : '';
    shapes.push(`W[${l}], dW[${l}]${extra}: ${sizes[l]} x ${sizes[l - 1]}`);
    shapes.push(`b[${l}], db[${l}]${extra.replaceAll('dW', 'db')}: ${sizes[l]} x 1`);
  }
  const formulas: Formula[] = [];
  let intro: string;
  let title: string;
  switch (cfg.optimizer) {
    case 'gd':
    case 'sgd':
      title = t('learn.formula.update.gdTitle', {
        batch: cfg.optimizer === 'gd' ? 'whole' : 'mini',
      });
      intro = t('learn.formula.update.gdIntro', {
        batch: cfg.optimizer === 'gd' ? 'whole' : 'mini',
      });
      formulas.push({
        id: 'update-w',
        tex: `${sup('W', 'l')} = ${sup('W', 'l')} - \\alpha\\, d${sup('W', 'l')}, \\quad \\alpha = ${a}`,
        caption: t('learn.formula.update.gdW'),
        shapes,
      });
      formulas.push({
        id: 'update-b',
        tex: `${sup('b', 'l')} = ${sup('b', 'l')} - \\alpha\\, d${sup('b', 'l')}`,
        caption: t('learn.formula.update.gdB'),
        shapes: [],
      });
      break;
    case 'momentum': {
      title = t('learn.formula.update.momentumTitle');
      intro = t('learn.formula.update.momentumIntro');
      const b = texNumber(cfg.beta1);
      formulas.push({
        id: 'update-v',
        tex: `v_{d${sup('W', 'l')}} = ${b}\\, v_{d${sup('W', 'l')}} + (1 - ${b})\\, d${sup('W', 'l')}, \\quad v_{d${sup('b', 'l')}} = ${b}\\, v_{d${sup('b', 'l')}} + (1 - ${b})\\, d${sup('b', 'l')}`,
        caption: t('learn.formula.update.velocity', { beta: String(cfg.beta1) }),
        shapes,
      });
      formulas.push({
        id: 'update-w',
        tex: `${sup('W', 'l')} = ${sup('W', 'l')} - \\alpha\\, v_{d${sup('W', 'l')}}, \\quad ${sup('b', 'l')} = ${sup('b', 'l')} - \\alpha\\, v_{d${sup('b', 'l')}}, \\quad \\alpha = ${a}`,
        caption: t('learn.formula.update.momentumStep'),
        shapes: [],
      });
      break;
    }
    case 'adam': {
      title = t('learn.formula.update.adamTitle');
      intro = t('learn.formula.update.adamIntro');
      const b1 = texNumber(cfg.beta1);
      const b2 = texNumber(cfg.beta2);
      const dW = `d${sup('W', 'l')}`;
      formulas.push({
        id: 'update-v',
        tex: `v_{${dW}} = ${b1}\\, v_{${dW}} + (1 - ${b1})\\, ${dW}, \\quad s_{${dW}} = ${b2}\\, s_{${dW}} + (1 - ${b2})\\, (${dW})^2`,
        caption: t('learn.formula.update.moments', {
          beta1: String(cfg.beta1),
          beta2: String(cfg.beta2),
        }),
        shapes,
      });
      formulas.push({
        id: 'update-correct',
        tex: `v^{\\text{corrected}}_{${dW}} = \\frac{v_{${dW}}}{1 - ${b1}^{\\,t}}, \\quad s^{\\text{corrected}}_{${dW}} = \\frac{s_{${dW}}}{1 - ${b2}^{\\,t}}`,
        caption: t('learn.formula.update.correction'),
        shapes: [],
      });
      formulas.push({
        id: 'update-w',
        tex: `${sup('W', 'l')} = ${sup('W', 'l')} - \\alpha\\, \\frac{v^{\\text{corrected}}_{${dW}}}{\\sqrt{s^{\\text{corrected}}_{${dW}}} + \\varepsilon}, \\quad \\alpha = ${a},\\ \\varepsilon = ${texNumber(ADAM_EPSILON)}`,
        caption: t('learn.formula.update.adamStep'),
        shapes: [],
      });
      break;
    }
  }
  return { id: 'update', title, intro, formulas };
}
