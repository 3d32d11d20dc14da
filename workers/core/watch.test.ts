// The epoch watch: the constant prediction's loss, finite blow-ups, plateaus, the best epoch and
// early stopping, and its state as plain data.
import { describe, expect, it } from 'vitest';
import { EpochWatch, constantLoss } from './watch.ts';
import { BLOWUP_FACTOR, PLATEAU_EPOCHS, patienceFor } from './types.ts';

describe('constantLoss', () => {
  it('binary: the cross-entropy of the training share of positives', () => {
    // 1 positive in 4 on train: p = 0.25; on y = [1, 0]: (-ln 0.25 - ln 0.75) / 2
    const l = constantLoss('sigmoid', 1, [1, 0, 0, 0], 4, [1, 0], 2);
    expect(l).toBeCloseTo((-Math.log(0.25) - Math.log(0.75)) / 2, 12);
  });
  it('multiclass: the cross-entropy of the class shares (ln 3 for three equal classes)', () => {
    // Y is 3 x 3 one-hot (row-major): one example of each class.
    const y = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    expect(constantLoss('softmax', 3, y, 3, y, 3)).toBeCloseTo(Math.log(3), 12);
  });
  it('regression: half the mean squared distance to the training mean', () => {
    // mean 2; on [1, 3]: (0.5 * 1 + 0.5 * 1) / 2
    expect(constantLoss('linear', 1, [1, 3], 2, [1, 3], 2)).toBeCloseTo(0.5, 12);
    expect(constantLoss('linear', 1, [1, 3], 2, [4], 1)).toBeCloseTo(2, 12);
  });
  it('a class absent from training costs a large but finite loss; no examples: NaN', () => {
    const l = constantLoss('sigmoid', 1, [0, 0], 2, [1], 1);
    expect(l).toBeCloseTo(-Math.log(1e-7), 6);
    expect(constantLoss('linear', 1, [1], 1, [], 0)).toBeNaN();
  });
});

const watch = (patience: number, dev = true, baseline = 1) =>
  new EpochWatch({ paramCount: 3, patience, baseline, dev });

describe('EpochWatch', () => {
  it('a target the constant prediction fits exactly (baseline 0) is never a blow-up or a plateau', () => {
    const w = watch(0, false, 0);
    const verdicts = [1e-9, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5].map((loss, i) =>
      w.check(i + 1, loss, NaN),
    );
    expect(verdicts.filter((v) => v === 'blowup' || v === 'plateau')).toEqual([]);
  });

  it('calls a training loss past BLOWUP_FACTOR x min(best, constant) and above the constant a blow-up', () => {
    const w = watch(0);
    expect(w.check(1, 0.5, 0.6)).toBe('best');
    expect(w.check(2, 0.3, 0.4)).toBe('best');
    // 10 x 0.3 = 3 is the bound
    expect(w.check(3, 2.9, 0.4)).toBe('go');
    expect(w.check(4, BLOWUP_FACTOR * 0.3 + 0.01, 0.4)).toBe('blowup');
    // from the first epoch on, against the constant prediction's loss
    expect(watch(0).check(1, 2.4e6, 1.3e6)).toBe('blowup');
    // a small loss that grows tenfold but stays below the constant's is not a blow-up
    const v = watch(0);
    v.check(1, 0.001, 0.001);
    expect(v.check(2, 0.05, 0.05)).not.toBe('blowup');
  });

  it('calls PLATEAU_EPOCHS epochs above the constant without a new lowest training loss a plateau', () => {
    const w = watch(0);
    expect(w.check(1, 1.5, 1.5)).toBe('best');
    for (let e = 2; e <= PLATEAU_EPOCHS; e++) expect(w.check(e, 1.6, 1.6)).toBe('go');
    expect(w.check(PLATEAU_EPOCHS + 1, 1.6, 1.6)).toBe('plateau');
  });

  it('never calls a slow but steady descent above the constant a plateau', () => {
    const w = watch(0);
    for (let e = 1; e <= 50; e++)
      expect(w.check(e, 2 - e * 1e-6, 2 - e * 1e-6)).not.toBe('plateau');
  });

  it('keeps the best dev loss, and stops after `patience` epochs without a better one', () => {
    const w = watch(3);
    expect(w.check(1, 0.9, 0.8)).toBe('best');
    expect(w.check(2, 0.8, 0.7)).toBe('best');
    expect(w.check(3, 0.7, 0.75)).toBe('go');
    // less than EARLY_STOP_MIN_DELTA better is no better
    expect(w.check(4, 0.6, 0.7 * (1 - 1e-5))).toBe('go');
    expect(w.check(5, 0.5, 0.71)).toBe('stop');
    expect(w.bestEpoch).toBe(2);
    expect(w.stopped).toBe(true);
    expect(w.keepsBest).toBe(true);
  });

  it('without a dev split it tracks the training loss but never stops early', () => {
    const w = watch(2, false);
    expect(w.keepsBest).toBe(false);
    expect(w.check(1, 0.5, NaN)).toBe('best');
    for (let e = 2; e < 10; e++) expect(w.check(e, 0.6, NaN)).toBe('go');
    expect(w.bestEpoch).toBe(1);
  });

  it('keeps and restores the best parameters, and its state survives a round trip as plain data', () => {
    const heap = new Float32Array([9, 1, 2, 3, 9]);
    const w = watch(5);
    w.check(1, 0.5, 0.5);
    w.keep(heap, 1);
    heap.set([7, 7, 7], 1);
    w.check(2, 0.4, 0.6);
    const s = JSON.parse(JSON.stringify(w.state(2, 0)));
    expect(s.bestParams).toEqual([1, 2, 3]);
    const back = watch(5);
    back.restore(s, heap, 1);
    expect(back.state(2, 0)).toEqual(w.state(2, 0));
    back.restoreInto(heap, 1);
    expect(Array.from(heap)).toEqual([9, 1, 2, 3, 9]);
    // right after the best epoch, between epochs, the best parameters are the parameters
    expect(w.state(1, 0).bestParams).toBeNull();
    expect(w.state(1, 3).bestParams).toEqual([1, 2, 3]);
  });
});

describe('patienceFor', () => {
  it('waits about 300 optimizer steps, within 5 to 50 epochs', () => {
    expect(patienceFor(309, 16, 'adam')).toBe(15); // diabetes: 20 batches an epoch
    expect(patienceFor(105, 16, 'adam')).toBe(43); // iris: 7 batches
    expect(patienceFor(10, 16, 'sgd')).toBe(50); // one batch: at most 50 epochs
    expect(patienceFor(1_000_000, 64, 'adam')).toBe(5); // at least 5 epochs
    expect(patienceFor(1_000_000, 64, 'gd')).toBe(50); // one step an epoch
  });
});
