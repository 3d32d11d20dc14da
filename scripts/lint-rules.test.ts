// The house's walls are lint rules (eslint.config.js): each test lints a deliberately broken file
// (never written to disk) at a path in the realm it breaks, and expects the rule to fire; a
// well-behaved twin proves the rule does not fire on everything.
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});
// ESLint with the TypeScript project service takes seconds to start on a busy machine.

/** The rule ids that fire on `code` linted as if it lived at `filePath`. */
async function rulesFiring(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const WALL = '@typescript-eslint/no-restricted-imports';

describe('the wall between page and workers', { timeout: 120_000 }, () => {
  it('refuses a value import of the engine from the page', async () => {
    const code = `import { predict } from '../../../workers/core/network.ts';\nexport const f = predict;\n`;
    expect(await rulesFiring(code, 'src/lib/engine/lint-probe.ts')).toContain(WALL);
  });

  it('refuses value imports from workers/data and workers/trainer, in .svelte files too', async () => {
    const data = `import { applyRecipe } from '../../../workers/data/recipe.ts';\nexport const f = applyRecipe;\n`;
    expect(await rulesFiring(data, 'src/lib/engine/lint-probe.ts')).toContain(WALL);
    // An existing file's path: .svelte files are parsed with the TypeScript project service.
    const svelte = `<script lang="ts">\n  import { TrainerView } from '../../../../workers/trainer/control.ts';\n  const v = TrainerView;\n</script>\n<p>{String(v)}</p>\n`;
    expect(await rulesFiring(svelte, 'src/lib/components/train/Readout.svelte')).toContain(WALL);
  });

  it('allows type imports and the plain-data modules', async () => {
    const code = [
      `import type { Network } from '../../../workers/core/network.ts';`,
      `import { ADAM_EPSILON, type TrainConfig } from '../../../workers/core/types.ts';`,
      `import { TABLE_SAMPLES } from '../../../workers/data/samples.ts';`,
      `import type { SessionViews } from '../../../workers/trainer/types.ts';`,
      `export const probe: [Network | null, TrainConfig | null, SessionViews | null, number, unknown] = [null, null, null, ADAM_EPSILON, TABLE_SAMPLES];`,
      '',
    ].join('\n');
    expect(await rulesFiring(code, 'src/lib/engine/lint-probe.ts')).toEqual([]);
  });

  it('refuses an import of the page from a worker', async () => {
    const code = `import { Library } from '../../src/lib/state/library.svelte.ts';\nexport const f = Library;\n`;
    expect(await rulesFiring(code, 'workers/data/lint-probe.ts')).toContain(WALL);
  });

  it('refuses a worker entry under src/', async () => {
    const code = `export const api = { ping: () => 1 };\n`;
    expect(await rulesFiring(code, 'src/lib/learn/lint-probe.worker.ts')).toContain(
      'no-restricted-syntax',
    );
    expect(await rulesFiring(code, 'workers/lint-probe.worker.ts')).not.toContain(
      'no-restricted-syntax',
    );
  });
});

describe('arrows point down inside the page', { timeout: 120_000 }, () => {
  it('refuses an import of a component folder from state', async () => {
    const code = `import { download } from '../components/library/download.ts';\nexport const f = download;\n`;
    expect(await rulesFiring(code, 'src/lib/state/lint-probe.ts')).toContain(WALL);
    // The same import from a component is fine.
    expect(
      await rulesFiring(
        code.replace('../components/library/', './'),
        'src/lib/components/library/lint-probe.ts',
      ),
    ).toEqual([]);
  });
});

describe('no god files', { timeout: 120_000 }, () => {
  const body = (lines: number) =>
    Array.from({ length: lines }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
  it('refuses a source file over 450 lines, in either realm', async () => {
    expect(await rulesFiring(body(451), 'src/lib/state/lint-probe.ts')).toContain('max-lines');
    expect(await rulesFiring(body(451), 'workers/core/lint-probe.ts')).toContain('max-lines');
  });
  it('accepts 450 lines, and long tests', async () => {
    expect(await rulesFiring(body(450), 'workers/core/lint-probe.ts')).toEqual([]);
    expect(await rulesFiring(body(600), 'workers/core/lint-probe.test.ts')).toEqual([]);
  });
});
