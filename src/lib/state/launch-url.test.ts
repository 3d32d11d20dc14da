import { describe, expect, it } from 'vitest';
import { asksLauncher, bringsData, repeatsStart, withoutLaunchParams } from './launch-url.ts';

const u = (s: string) => new URL(s, 'https://school.example/lab/');

describe('launch addresses', () => {
  it('tell which addresses bring data and which ask the launcher', () => {
    expect(bringsData(u('./?sample=iris'))).toBe(true);
    expect(bringsData(u('./?sample=nonsense'))).toBe(false);
    expect(bringsData(u('./?share-target=abc'))).toBe(true);
    expect(bringsData(u('./#v=1&seed=3&lesson=AbC'))).toBe(true);
    expect(bringsData(u('./#v=1&seed=3'))).toBe(false);
    expect(bringsData(u('./?open=library'))).toBe(false);
    expect(asksLauncher(u('./?open=library'))).toBe(true);
    expect(asksLauncher(u('./#main'))).toBe(false);
  });

  it('remove the launch parameters and keep the rest of the address', () => {
    expect(withoutLaunchParams(u('./?sample=iris&testhooks#v=1&seed=3'))).toBe(
      '/lab/?testhooks#v=1&seed=3',
    );
    expect(withoutLaunchParams(u('./?open=data'))).toBe('/lab/');
  });

  it('recognize the first launch, which repeats the start address', () => {
    const opened = u('./?sample=iris');
    expect(repeatsStart({ targetURL: opened.href, files: [] }, opened)).toBe(true);
    expect(repeatsStart({ targetURL: u('./?open=library').href }, opened)).toBe(false);
    expect(repeatsStart({ targetURL: opened.href, files: [{ kind: 'file' }] }, opened)).toBe(false);
  });
});
