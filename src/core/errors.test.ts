import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from './errors.js';

describe('the error catalogue', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(.+?)\s*\|$/gm)].map(
    (m) => ({
      code: m[1],
      exit: Number(m[2]),
      http: Number(m[3]),
      title: m[4],
    }),
  );

  it('docs/errors.md lists every code with its exit status, HTTP status and meaning', () => {
    expect(rows).toEqual(
      Object.entries(ERRORS).map(([code, e]) => ({ code, exit: e.exit, http: e.http, title: e.title })),
    );
  });

  it('exit statuses are never 0 and HTTP statuses are errors', () => {
    for (const e of Object.values(ERRORS)) {
      expect(e.exit).toBeGreaterThan(0);
      expect(e.http).toBeGreaterThanOrEqual(400);
    }
  });
});
