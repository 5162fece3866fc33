/** Integration names: "Lohn" beside "lohn" would read as one integration in every list and filter. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/sync/app.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

describe.each(DATABASES)('integration names on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  const add = (name: string) =>
    app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name, entity: 'employee', source: 'file' }),
    );

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    await add('lohn');
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
  });

  it('differ by more than capital letters', async () => {
    await expect(add('lohn')).rejects.toMatchObject({ code: 'already_exists' });
    await expect(add('Lohn')).rejects.toMatchObject({
      code: 'already_exists',
      message: 'An integration named "lohn" exists already; names must differ by more than capital letters.',
      details: { integration: 'lohn' },
    });
    await expect(add('LÖHNE')).resolves.toMatchObject({ name: 'LÖHNE' });
    await expect(add('löhne')).rejects.toMatchObject({ code: 'already_exists' });
  });
});
