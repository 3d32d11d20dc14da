// A worker's message for the user crosses Comlink as a key with parameters, and the page words it in
// the user's language.
import { describe, expect, it } from 'vitest';
import { trainer } from './bridge.ts';
import { msgOf } from '../../../workers/messages/index.ts';
import { I18n } from '../i18n/i18n.svelte.ts';
import { defaultConfig } from '../state/config.ts';

describe('worker messages', () => {
  it('a MessageError thrown in the trainer worker arrives with its key and is shown in German', async () => {
    const err = await trainer()
      .prepare(defaultConfig())
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(Error);
    const m = msgOf(err);
    expect(m).toEqual({ key: 'trainer.noDataset' });
    const i18n = new I18n();
    await i18n.use('de', false);
    expect(i18n.msg(m!)).toBe(
      'Es sind keine Daten geladen: Lade zuerst einen Datensatz, dann trainiere.',
    );
    await i18n.use('en', false);
    expect(i18n.msg(m!)).toBe('No dataset is loaded: load one before training.');
  });
});
