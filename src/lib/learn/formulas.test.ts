import { beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import katex from 'katex';
import type { NetworkSpec } from '../../../workers/core/types.ts';
import {
  buildFormulas,
  DEFAULT_FORMULA_CONFIG,
  layerSizes,
  type FormulaInput,
} from './formulas.ts';
import { escapeTexText, texNumber } from './tex.ts';

const spec: NetworkSpec = {
  inputs: 4,
  hidden: [
    { units: 8, activation: 'tanh', keepProb: 1 },
    { units: 5, activation: 'relu', keepProb: 1 },
  ],
  outputs: 3,
  output: 'softmax',
};

function input(
  over: Partial<FormulaInput> = {},
  cfg: Partial<FormulaInput['config']> = {},
): FormulaInput {
  return { spec, m: 32, config: { ...DEFAULT_FORMULA_CONFIG, ...cfg }, ...over };
}

function allShapes(p: ReturnType<typeof buildFormulas>): string[] {
  return p.sections.flatMap((s) => s.formulas.flatMap((f) => f.shapes));
}

function allTex(p: ReturnType<typeof buildFormulas>): string {
  return p.sections.flatMap((s) => s.formulas.map((f) => f.tex)).join('\n');
}

beforeAll(() => i18n.use('en', false));

describe('buildFormulas', () => {
  it('labels every forward symbol with the network shapes', () => {
    const p = buildFormulas(input());
    expect(p.sizes).toEqual([4, 8, 5, 3]);
    const fwd = p.sections.find((s) => s.id === 'forward');
    expect(fwd?.formulas.map((f) => f.id)).toEqual([
      'forward-z-1',
      'forward-a-1',
      'forward-z-2',
      'forward-a-2',
      'forward-z-3',
      'forward-a-3',
    ]);
    expect(fwd?.formulas[0].shapes).toEqual([
      'Z[1]: 8 x m',
      'W[1]: 8 x 4',
      'A[0] = X: 4 x m',
      'b[1]: 8 x 1',
    ]);
    expect(fwd?.formulas[2].shapes).toEqual([
      'Z[2]: 5 x m',
      'W[2]: 5 x 8',
      'A[1]: 8 x m',
      'b[2]: 5 x 1',
    ]);
    expect(fwd?.formulas[0].tex).toContain('\\underset{8 \\times 4}{W^{[1]}}');
    expect(fwd?.formulas[5].tex).toContain('softmax');
    expect(fwd?.formulas[1].tex).toContain('\\tanh');
    expect(fwd?.formulas[3].tex).toContain('\\max(0, Z^{[2]})');
    expect(p.summary).toContain('m = 32');
  });

  it('states m as the whole training set for batch GD', () => {
    const p = buildFormulas(input({ m: 105 }, { optimizer: 'gd' }));
    expect(p.summary).toMatch(/m = 105 examples \(the whole training set\)/);
    const p2 = buildFormulas(input({ m: 32 }, { optimizer: 'sgd' }));
    expect(p2.summary).toMatch(/one mini-batch/);
  });

  it('adds the L2 term to cost and dW only when lambda > 0', () => {
    const off = buildFormulas(input());
    expect(off.sections.find((s) => s.id === 'cost')?.formulas[0].tex).not.toContain('L2');
    expect(allTex(off)).not.toMatch(/\\frac\{[^}]*\}\{m\} W\^/);
    const on = buildFormulas(input({}, { lambda: 0.7 }));
    const cost = on.sections.find((s) => s.id === 'cost');
    expect(cost?.title).toMatch(/L2/);
    expect(cost?.formulas[0].tex).toContain('\\frac{0.7}{2m}');
    const dw1 = on.sections
      .find((s) => s.id === 'backward')
      ?.formulas.find((f) => f.id === 'backward-dw-1');
    expect(dw1?.tex).toContain('+ \\frac{0.7}{m} W^{[1]}');
  });

  it('shows dropout only for hidden layers with keepProb < 1, forward and backward', () => {
    expect(buildFormulas(input()).sections.some((s) => s.id === 'dropout')).toBe(false);
    const s2: NetworkSpec = {
      ...spec,
      hidden: [spec.hidden[0], { ...spec.hidden[1], keepProb: 0.8 }],
    };
    const p = buildFormulas(input({ spec: s2 }));
    const drop = p.sections.find((s) => s.id === 'dropout');
    expect(drop?.formulas.map((f) => f.id)).toEqual(['dropout-d-2', 'dropout-a-2']);
    expect(drop?.formulas[0].shapes).toEqual(['D[2]: 5 x m']);
    expect(drop?.formulas[0].tex).toContain('< 0.8');
    const back = p.sections.find((s) => s.id === 'backward');
    expect(back?.formulas.map((f) => f.id)).toContain('backward-dropout-2');
    expect(back?.formulas.map((f) => f.id)).not.toContain('backward-dropout-1');
  });

  it('walks backward from dZ[L] = A[L] - Y to layer 1 with the right shapes', () => {
    const p = buildFormulas(input());
    const back = p.sections.find((s) => s.id === 'backward');
    expect(back?.formulas.map((f) => f.id)).toEqual([
      'backward-dz-3',
      'backward-dw-3',
      'backward-db-3',
      'backward-da-2',
      'backward-dz-2',
      'backward-dw-2',
      'backward-db-2',
      'backward-da-1',
      'backward-dz-1',
      'backward-dw-1',
      'backward-db-1',
    ]);
    const get = (id: string) => back?.formulas.find((f) => f.id === id);
    expect(get('backward-dz-3')?.tex).toContain('A^{[3]} - Y');
    expect(get('backward-dw-3')?.shapes).toEqual(['dW[3]: 3 x 5', 'dZ[3]: 3 x m', 'A[2]^T: m x 5']);
    expect(get('backward-dw-1')?.shapes).toEqual(['dW[1]: 8 x 4', 'dZ[1]: 8 x m', 'X^T: m x 4']);
    expect(get('backward-db-2')?.tex).toContain('np.sum');
    expect(get('backward-db-2')?.tex).toContain('keepdims');
    expect(get('backward-da-2')?.shapes).toEqual(['dA[2]: 5 x m', 'W[3]^T: 5 x 3', 'dZ[3]: 3 x m']);
    // relu derivative on layer 2, tanh derivative on layer 1
    expect(get('backward-dz-2')?.tex).toContain('\\mathbb{1}[Z^{[2]} > 0]');
    expect(get('backward-dz-1')?.tex).toContain('1 - (A^{[1]})^2');
  });

  it('switches the cost with the output activation', () => {
    const bin = buildFormulas(input({ spec: { ...spec, outputs: 1, output: 'sigmoid' } }));
    expect(bin.sections.find((s) => s.id === 'cost')?.formulas[0].tex).toContain('(1 - y^{(i)})');
    const reg = buildFormulas(input({ spec: { ...spec, outputs: 1, output: 'linear' } }));
    expect(reg.sections.find((s) => s.id === 'cost')?.formulas[0].tex).toContain('\\frac{1}{2m}');
    const multi = buildFormulas(input());
    expect(multi.sections.find((s) => s.id === 'cost')?.formulas[0].tex).toContain(
      '\\sum_{k=1}^{3}',
    );
  });

  it('switches the update rule with the optimizer', () => {
    const ids = (o: FormulaInput['config']['optimizer']) =>
      buildFormulas(input({}, { optimizer: o }))
        .sections.find((s) => s.id === 'update')
        ?.formulas.map((f) => f.id);
    expect(ids('gd')).toEqual(['update-w', 'update-b']);
    expect(ids('sgd')).toEqual(['update-w', 'update-b']);
    expect(ids('momentum')).toEqual(['update-v', 'update-w']);
    expect(ids('adam')).toEqual(['update-v', 'update-correct', 'update-w']);
    const adam = buildFormulas(
      input({}, { optimizer: 'adam', learningRate: 0.003, beta1: 0.9, beta2: 0.999 }),
    );
    const up = adam.sections.find((s) => s.id === 'update');
    expect(up?.formulas[0].shapes).toContain('W[1], dW[1], v_dW[1], s_dW[1]: 8 x 4');
    expect(up?.formulas[0].shapes).toContain('b[3], db[3], v_db[3], s_db[3]: 3 x 1');
    expect(up?.formulas[2].tex).toContain('\\alpha = 0.003');
  });

  it('rejects nonsense sizes with a message naming the layer', () => {
    expect(() =>
      buildFormulas(
        input({ spec: { ...spec, hidden: [{ units: 0, activation: 'tanh', keepProb: 1 }] } }),
      ),
    ).toThrow(/Layer 1 has 0 units/);
    expect(() => buildFormulas(input({ m: 0 }))).toThrow(/batch size m is 0/);
  });

  it('produces TeX that KaTeX renders without error for every combination', () => {
    for (const output of ['sigmoid', 'softmax', 'linear'] as const) {
      for (const optimizer of ['gd', 'sgd', 'momentum', 'adam'] as const) {
        for (const act of ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear'] as const) {
          const s: NetworkSpec = {
            inputs: 2,
            hidden: [{ units: 3, activation: act, keepProb: 0.5 }],
            outputs: output === 'softmax' ? 3 : 1,
            output,
          };
          const p = buildFormulas(
            input({ spec: s, targetName: 'price_$ {\\evil} #1 %' }, { optimizer, lambda: 0.1 }),
          );
          for (const sec of p.sections)
            for (const f of sec.formulas)
              expect(
                () =>
                  katex.renderToString(f.tex, {
                    throwOnError: true,
                    displayMode: true,
                    strict: 'ignore',
                  }),
                f.id,
              ).not.toThrow();
        }
      }
    }
  }, 60_000); // 60 combinations rendered by KaTeX: seconds on a loaded machine

  it('never lets a user string act as TeX', () => {
    const p = buildFormulas(input({ targetName: '\\href{javascript:alert(1)}{x}' }));
    const tex = allTex(p);
    expect(tex).not.toContain('\\href');
    expect(tex).toContain('\\textbackslash{}href\\{javascript:alert(1)\\}\\{x\\}');
    const html = katex.renderToString(
      tex.split('\n').find((t) => t.includes('textbackslash')) ?? '',
      { throwOnError: true },
    );
    expect(html).not.toMatch(/<a[\s>]/);
    expect(html).not.toContain('href=');
    expect(allShapes(p)).toContain('Y (\\href{javascript:alert(1)}{x}): 3 x m');
  });

  it('layerSizes lists n[0]..n[L]', () => {
    expect(layerSizes(spec)).toEqual([4, 8, 5, 3]);
  });
});

describe('tex helpers', () => {
  it('escapes every TeX special character and drops control characters', () => {
    expect(escapeTexText('a_b^c{d}$e&f#g%h~i\\j\u0007')).toBe(
      'a\\_b\\textasciicircum{}c\\{d\\}\\$e\\&f\\#g\\%h\\textasciitilde{}i\\textbackslash{}j',
    );
  });
  it('formats numbers without bare exponents', () => {
    expect(texNumber(0.01)).toBe('0.01');
    expect(texNumber(1e-8)).toBe('1 \\times 10^{-8}');
    expect(texNumber(0.00025)).toBe('2.5 \\times 10^{-4}');
    expect(texNumber(Infinity)).toBe('\\infty');
  });
});
