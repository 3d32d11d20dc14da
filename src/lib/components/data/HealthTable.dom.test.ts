// The health table in German: its headers and type names come from the German catalogue and its
// statistics are written with a decimal comma, from a report the data worker's code computes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { dataApi } from '../../../../workers/data/api.ts';
import type { HealthReport, RecipeSettings } from '../../../../workers/data/types.ts';
import { DEFAULT_RECIPE_SETTINGS } from '../../../../workers/data/types.ts';
import type { DatasetSession } from '../../state/dataset.svelte.ts';
import { i18n } from '../../i18n/i18n.svelte.ts';
import HealthTable from './HealthTable.svelte';

const CSV = 'höhe,farbe\n1.5,rot\n2.25,blau\n3.125,rot\n4,blau\n';

async function report(csv = CSV): Promise<HealthReport> {
  const res = await dataApi.loadFile(new Blob([csv]), 'maße.csv');
  if (!res.ok) throw new Error(res.problem.message);
  return res.report;
}

/** The parts of the data session the table reads. */
function session(r: HealthReport, target = 'farbe'): DatasetSession {
  const settings: RecipeSettings = { ...DEFAULT_RECIPE_SETTINGS, target };
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

  it("shows a wide file's first 12 columns and the target, and all of them on request", async () => {
    // 30 columns x0..x28 and the target y, the last one.
    const names = [...Array.from({ length: 29 }, (_, i) => `x${i}`), 'y'];
    const lines = [names.join(',')];
    for (let r = 0; r < 6; r++) lines.push(names.map((_, c) => String((r * 7 + c) % 5)).join(','));
    render(HealthTable, { session: session(await report(lines.join('\n') + '\n'), 'y') });
    const region = screen.getByRole('region', { name: 'Gesundheitsbericht der Spalten' });
    const rowNames = () =>
      within(region)
        .getAllByRole('rowheader')
        .map((h) => h.querySelector('.name')?.textContent);
    expect(rowNames()).toEqual([...names.slice(0, 12), 'y']);
    expect(screen.getByText('17 weitere Spalten nicht gezeigt')).toBeTruthy();
    const more = screen.getByRole('button', { name: 'Alle 30 Spalten zeigen' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(more.getAttribute('aria-controls')).toBe(region.querySelector('table')!.id);
    await fireEvent.click(more);
    expect(rowNames()).toEqual(names);
    const fewer = screen.getByRole('button', { name: 'Nur die ersten 12 Spalten zeigen' });
    expect(fewer.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.click(fewer);
    expect(rowNames()).toHaveLength(13);
  });
});
