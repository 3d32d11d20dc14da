// The health table in German: its headers and type names come from the German catalogue and its
// statistics are written with a decimal comma, from a report the data worker's code computes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import { dataApi } from '../../../../workers/data/api.ts';
import type { HealthReport, RecipeSettings } from '../../../../workers/data/types.ts';
import { DEFAULT_RECIPE_SETTINGS } from '../../../../workers/data/types.ts';
import type { DatasetSession } from '../../state/dataset.svelte.ts';
import { i18n } from '../../i18n/i18n.svelte.ts';
import HealthTable from './HealthTable.svelte';

const CSV = 'höhe,farbe\n1.5,rot\n2.25,blau\n3.125,rot\n4,blau\n';

async function report(): Promise<HealthReport> {
  const res = await dataApi.loadFile(new Blob([CSV]), 'maße.csv');
  if (!res.ok) throw new Error(res.problem.message);
  return res.report;
}

/** The parts of the data session the table reads. */
function session(r: HealthReport): DatasetSession {
  const settings: RecipeSettings = { ...DEFAULT_RECIPE_SETTINGS, target: 'farbe' };
  return {
    report: r,
    settings,
    typeOf: () => null,
    setType: async () => undefined,
    setDropped: async () => undefined,
  } as unknown as DatasetSession;
}

describe('HealthTable', () => {
  beforeAll(() => i18n.use('de', false));
  afterAll(() => i18n.use('en', false));

  it('speaks German and writes the statistics with a decimal comma', async () => {
    render(HealthTable, { session: session(await report()) });
    const region = screen.getByRole('region', { name: 'Gesundheitsbericht der Spalten' });
    expect(within(region).getByRole('columnheader', { name: 'Mittelwert' })).toBeTruthy();
    const row = within(region).getByRole('row', { name: /höhe/ });
    const cells = within(row)
      .getAllByRole('cell')
      .map((c) => c.textContent?.trim());
    // min 1.5, max 4, mean 2.71875 and (population) std 0.93697 to 4 significant digits
    expect(cells).toEqual(expect.arrayContaining(['1,5', '4', '2,719', '0,937']));
    const type = within(row).getByRole('combobox', { name: 'Typ von höhe' }) as HTMLSelectElement;
    expect(type.selectedOptions[0].textContent).toBe('Zahl (erkannt)');
    expect(within(region).getByText('Ziel')).toBeTruthy();
  });
});
