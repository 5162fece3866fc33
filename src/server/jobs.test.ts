import { describe, expect, it } from 'vitest';
import type { Job } from '../api/schemas.js';
import type { Progress } from './jobs.js';
import { Jobs, runningFraction } from './jobs.js';

const clock = () => new Date('2026-11-28T10:00:00Z');

/** Start a job that reports `done, total, fraction`, then waits until released; its progress as it runs. */
async function progressWhileRunning(
  done: number,
  total: number | null,
  fraction: number | null,
): Promise<{ running: Job; finished: Job }> {
  const jobs = new Jobs(clock, () => {});
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let reported!: () => void;
  const hasReported = new Promise<void>((resolve) => (reported = resolve));
  const job = jobs.start('import', 'w', 'lohn', 'admin', async (progress: Progress) => {
    progress(done, total, fraction);
    reported();
    await released;
    return { rows: { read: done } };
  });
  await hasReported;
  const running = jobs.find(job.id, 'w')!;
  release();
  await jobs.settle();
  return { running, finished: jobs.find(job.id, 'w')! };
}

describe('the progress of a job', () => {
  it('a running job whose source is read to its end does not claim to be complete', async () => {
    const { running, finished } = await progressWhileRunning(20_000, null, 1);
    expect(running.state).toBe('running');
    expect(running.progress).toMatchObject({ done: 20_000, total: null });
    expect(running.progress.fraction).toBeLessThan(1);
    expect(finished).toMatchObject({ state: 'done', progress: { done: 20_000, fraction: 1 } });
  });

  it('a running job with all items of a known total done is not complete before it finishes', async () => {
    const { running } = await progressWhileRunning(40, 40, 1);
    expect(running.progress).toMatchObject({ done: 40, total: 40 });
    expect(running.progress.fraction).toBeLessThan(1);
  });

  it('a fraction the work does not know stays unknown', async () => {
    const { running } = await progressWhileRunning(20_000, null, null);
    expect(running.progress).toEqual({ done: 20_000, total: null, fraction: null });
  });

  it.each([
    [0.5, 0.5],
    [1, 0.99],
    [1.2, 0.99],
    [-0.1, 0],
    [Number.NaN, null],
    [null, null],
  ])('a running fraction of %s is said as %s', (fraction, said) => {
    expect(runningFraction(fraction)).toBe(said);
  });
});
