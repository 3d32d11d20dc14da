import { describe, expect, it } from 'vitest';
import { routeFile, routeOf } from './file-route.ts';

const lesson = JSON.stringify({ format: 'backprop-lab/lesson', version: 1, title: 'x' });

describe('routeOf', () => {
  it('sends tables to the data area, whatever their extension says', () => {
    expect(routeOf('iris.csv', 'text/csv', 'a,b\n1,2')).toEqual({ to: 'data' });
    expect(routeOf('iris.tsv', '', 'a\tb\n1\t2')).toEqual({ to: 'data' });
    expect(routeOf('messwerte.txt', 'text/plain', 'a;b\n1,5;2')).toEqual({ to: 'data' });
    expect(routeOf('export', '', 'a,b\n1,2')).toEqual({ to: 'data' });
  });

  it("sends the app's own files to import, even when renamed", () => {
    for (const f of ['model', 'run', 'lesson', 'backup']) {
      const text = `\uFEFF  {"format": "backprop-lab/${f}", "version": 1}`;
      expect(routeOf(`x.${f}.json`, 'application/json', text)).toEqual({ to: 'import' });
    }
    expect(routeOf('lesson.csv', 'text/csv', lesson)).toEqual({ to: 'import' });
  });

  it('refuses other JSON, spreadsheets and binary files, naming the file', () => {
    expect(routeOf('package.json', 'application/json', '{"name":"x"}')).toEqual({
      to: 'refuse',
      why: { key: 'launch.notOurs', params: { name: 'package.json' } },
    });
    expect(routeOf('noten.xlsx', '', 'PK\u0003\u0004')).toEqual({
      to: 'refuse',
      why: { key: 'launch.spreadsheet', params: { name: 'noten.xlsx' } },
    });
    expect(routeOf('bild.png', 'image/png', '\u0089PNG\r\n\u001a\n\u0000\u0000')).toEqual({
      to: 'refuse',
      why: { key: 'launch.unknown', params: { name: 'bild.png' } },
    });
  });
});

describe('routeFile', () => {
  it('reads the start of a File', async () => {
    expect(await routeFile(new File([lesson], 'a.json', { type: 'application/json' }))).toEqual({
      to: 'import',
    });
    expect(await routeFile(new File(['x,y\n1,2'], '模型.csv'))).toEqual({ to: 'data' });
  });
});
