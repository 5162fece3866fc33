#!/usr/bin/env node
/**
 * Where the time of a `node --cpu-prof` profile goes: the functions with the most self time, and the
 * project functions (dist/, bench/) with the most total time (self plus everything they call).
 *
 *   node bench/profile-summary.mjs FILE.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFlags } from './generate.mjs';

/** @param {string} file @param {number} top */
export function summarize(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  // timeDeltas[i] is the time before sample i; attribute it to that sample's node.
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const label = (n) => {
    const f = n.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*\/(dist|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}`
      : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  const bySelf = new Map();
  const byTotal = new Map();
  for (const [id, us] of self) {
    const node = nodes.get(id);
    bySelf.set(label(node), (bySelf.get(label(node)) ?? 0) + us);
    // Inclusive time: count each label once per sample stack.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(nodes.get(cur));
      if (seen.has(l)) continue;
      seen.add(l);
      if (/ (dist|bench)\//.test(` ${l.split(' ').pop()}`)) byTotal.set(l, (byTotal.get(l) ?? 0) + us);
    }
  }
  const rows = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([l, us]) =>
          `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${l}`,
      );
  return [
    `${file}: ${(total / 1000).toFixed(0)} ms sampled`,
    'self time:',
    ...rows(bySelf),
    'total time, project code:',
    ...rows(byTotal),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, ...rest] = process.argv.slice(2);
  const flags = parseFlags(rest);
  if (!file || file === '--help') {
    process.stdout.write('Usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N]\n');
    process.exit(file ? 0 : 2);
  }
  process.stdout.write(`${summarize(file, Number(flags.top ?? 25))}\n`);
}
