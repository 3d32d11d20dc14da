// The zip of several exports opens with a standard reader and holds every file, byte for byte.
import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { uniqueEntryNames, zipFiles } from './zip.ts';

describe('zipFiles', () => {
  it('holds every file with its bytes and its name in any script', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const bin = new Float32Array([1, -1, 0.5]).buffer;
    const zip = zipFiles([
      { name: '模型.history.csv', data: 'epoch,loss\r\n1,0.5\r\n' },
      { name: 'loss.png', data: png },
      { name: 'weights.bin', data: bin },
    ]);
    // A zip starts with a local file header.
    expect(Array.from(zip.slice(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(['loss.png', 'weights.bin', '模型.history.csv']);
    expect(strFromU8(files['模型.history.csv'])).toBe('epoch,loss\r\n1,0.5\r\n');
    expect(Array.from(files['loss.png'])).toEqual(Array.from(png));
    expect(Array.from(new Float32Array(files['weights.bin'].buffer))).toEqual([1, -1, 0.5]);
  });

  it('never lets two files with one name overwrite each other', () => {
    expect(uniqueEntryNames(['a.csv', 'a.csv', 'b', 'b', 'a.csv'])).toEqual([
      'a.csv',
      'a (2).csv',
      'b',
      'b (2)',
      'a (3).csv',
    ]);
    const files = unzipSync(
      zipFiles([
        { name: 'run.csv', data: 'one' },
        { name: 'run.csv', data: 'two' },
      ]),
    );
    expect(strFromU8(files['run.csv'])).toBe('one');
    expect(strFromU8(files['run (2).csv'])).toBe('two');
  });
});
