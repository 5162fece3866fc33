/** What the test runner prints: a banner per step, its outcome and time, and a summary. */
import process from 'node:process';

/** @typedef {{ name: string, code: number | 'skipped', ms: number }} StepResult */

export function log(/** @type {string} */ line) {
  process.stdout.write(`  ${line}\n`);
}

/** @param {string} name @param {string} what */
export function banner(name, what) {
  process.stdout.write(`\n━━━ ${name} ━━━ ${what}\n`);
}

/** @param {StepResult} result */
export function outcome(result) {
  const time = formatDuration(result.ms);
  const line =
    result.code === 0
      ? `✔ ${result.name} passed in ${time}`
      : `✘ ${result.name} FAILED (exit ${result.code}) after ${time}`;
  process.stdout.write(`${line}\n`);
}

/** @param {readonly StepResult[]} results @param {number} totalMs */
export function summary(results, totalMs) {
  const width = Math.max(...results.map((r) => r.name.length));
  process.stdout.write('\n━━━ summary ━━━\n');
  for (const r of results) {
    const status = r.code === 'skipped' ? 'skipped' : r.code === 0 ? 'ok' : `FAILED (exit ${r.code})`;
    const time = r.code === 'skipped' ? '' : formatDuration(r.ms).padStart(8);
    process.stdout.write(`  ${r.name.padEnd(width)}  ${time}  ${status}\n`);
  }
  process.stdout.write(`  ${'total'.padEnd(width)}  ${formatDuration(totalMs).padStart(8)}\n`);
}

export function formatDuration(/** @type {number} */ ms) {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
