// Export file names: safe on every system, readable in every script.
import { describe, expect, it } from 'vitest';
import { safeFileName, uniqueName } from './names.ts';

describe('safeFileName', () => {
  it('keeps names in any script readable', () => {
    expect(safeFileName('模型', 'model.json')).toBe('模型.model.json');
    expect(safeFileName('Übung 3: Schwertlilien', 'run.json')).toBe(
      'Übung-3-Schwertlilien.run.json',
    );
    expect(safeFileName('señal', 'csv')).toBe('señal.csv');
    expect(safeFileName('модель ирисов', 'tfjs.zip')).toBe('модель-ирисов.tfjs.zip');
    expect(safeFileName('نموذج', 'png')).toBe('نموذج.png');
  });

  it('keeps the Latin names it always wrote', () => {
    expect(safeFileName('circle model (2)', 'model.json')).toBe('circle-model-2.model.json');
    expect(safeFileName('  iris_v1.2 ', 'run.json')).toBe('iris_v1.2.run.json');
  });

  it('removes what a file system refuses: separators, reserved characters, controls', () => {
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j', 'csv')).toBe('a-b-c-d-e-f-g-h-i-j.csv');
    expect(safeFileName('tab\there\u0000nul', 'csv')).toBe('tab-here-nul.csv');
    expect(safeFileName('../../etc/passwd', 'json')).toBe('etc-passwd.json');
    expect(safeFileName('CON', 'json')).toBe('CON-.json');
  });

  it('composes accents (NFC) and never splits a character when it shortens a long name', () => {
    expect(safeFileName('cafe\u0301', 'csv')).toBe('caf\u00e9.csv');
    const long = '\u{20000}'.repeat(100); // a CJK letter outside the BMP (two UTF-16 units)
    const out = safeFileName(long, 'csv');
    expect(Array.from(out.replace(/\.csv$/, ''))).toHaveLength(80);
    expect(out.isWellFormed()).toBe(true);
  });

  it('falls back to the app name when nothing readable is left', () => {
    expect(safeFileName('', 'json')).toBe('backprop-lab.json');
    expect(safeFileName('!!! ???', 'json')).toBe('backprop-lab.json');
  });
});

describe('uniqueName', () => {
  it('adds or continues a "(n)" suffix', () => {
    expect(uniqueName('模型', ['模型'])).toBe('模型 (2)');
    expect(uniqueName('a (2)', ['a (2)', 'a (3)'])).toBe('a (4)');
  });
});
