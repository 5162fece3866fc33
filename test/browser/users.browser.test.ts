/**
 * Users and the own account in the web app, in German: an administrator adds a supervisor who then
 * signs in, does not see the users page, changes their password and signs in with the new one; an API
 * token is created (shown once), works, and is revoked; a role changed and a user removed after a
 * confirmation, the last administrator offered neither; an unknown address says so. Screenshots in
 * test-artifacts/screens/users-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { de } from '../../web/src/i18n/de.js';
import { en } from '../../web/src/i18n/en.js';
import type { RunningServer } from './support.js';
import { apiCall, launchBrowser, screenshot, seriousViolations, startServer } from './support.js';

const ADMIN = { name: 'Anna Müller', login: 'anna', password: 'correct horse battery' };
const SUPERVISOR = { name: 'Bernd Vogt', login: 'bernd', password: 'erstes Passwort 1' };
const NEW_PASSWORD = 'zweites Passwort 2';

let server: RunningServer;
let browser: Browser;
let adminContext: BrowserContext;
let supervisorContext: BrowserContext;
let admin: Page;
let supervisor: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const options = { locale: 'de-DE', viewport: { width: 1280, height: 800 } };
  adminContext = await browser.newContext(options);
  supervisorContext = await browser.newContext(options);
  admin = await adminContext.newPage();
  supervisor = await supervisorContext.newPage();
  admin.setDefaultTimeout(10_000);
  supervisor.setDefaultTimeout(10_000);
  await admin.goto(`${server.url}/`);
  await apiCall(admin, 'POST', '/api/setup', { ...ADMIN, language: 'de' });
}, 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 50);
    await screenshot(admin, `failed-users-admin-${name}`).catch(() => undefined);
    await screenshot(supervisor, `failed-users-supervisor-${name}`).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const fill = (text: string, vars: Record<string, string>) =>
  Object.entries(vars).reduce((s, [k, v]) => s.replace(`{${k}}`, v), text);

async function signIn(page: Page, login: string, password: string) {
  await page.goto(`${server.url}/`);
  await page.getByLabel(de['auth.login']).fill(login);
  // "Passwort" with the required field's asterisk, not "Passwort wiederholen".
  await page.getByLabel(/^Passwort( \*)?$/).fill(password);
  await page.getByRole('button', { name: de['auth.login.submit'] }).click();
}

describe('users and the own account, in German', () => {
  it('an administrator adds a supervisor, who can then sign in', async () => {
    await admin.goto(`${server.url}/`);
    await admin.getByRole('link', { name: de['nav.users'] }).click();
    await admin.getByRole('heading', { level: 1, name: de['users.title'] }).waitFor();
    // Alone, the administrator is offered neither removal nor another role, and told why.
    await admin.getByText(de['users.lastAdmin']).waitFor();
    expect(await admin.getByRole('button', { name: de['users.remove'] }).count()).toBe(0);

    await admin.getByRole('button', { name: de['users.add'] }).click();
    const dialog = admin.getByRole('dialog', { name: de['users.add'] });
    await dialog.getByLabel(de['field.login']).fill(SUPERVISOR.login);
    await dialog.getByLabel(de['auth.name']).fill(SUPERVISOR.name);
    expect(await dialog.getByLabel(de['users.role']).inputValue()).toBe('supervisor');
    await dialog.getByLabel(de['users.initialPassword']).fill(SUPERVISOR.password);
    await dialog.getByLabel(de['auth.passwordRepeat']).fill(SUPERVISOR.password);
    expect(await seriousViolations(admin)).toEqual([]);
    await screenshot(admin, 'users-add');
    await dialog.getByRole('button', { name: de['users.addSubmit'] }).click();
    await admin
      .getByText(fill(de['users.added'], { name: SUPERVISOR.name, login: SUPERVISOR.login }))
      .waitFor();
    const row = admin.locator('tbody tr').filter({ hasText: SUPERVISOR.login });
    await row.getByText(SUPERVISOR.name).waitFor();
    await row.getByText(de['lang.de']).waitFor();

    // A taken login is said at the field.
    await admin.getByRole('button', { name: de['users.add'] }).click();
    await dialog.getByLabel(de['field.login']).fill(SUPERVISOR.login);
    await dialog.getByLabel(de['auth.name']).fill('Noch ein Bernd');
    await dialog.getByLabel(de['users.initialPassword']).fill(SUPERVISOR.password);
    await dialog.getByLabel(de['auth.passwordRepeat']).fill(SUPERVISOR.password);
    await dialog.getByRole('button', { name: de['users.addSubmit'] }).click();
    await dialog.getByText(fill(de['users.loginTaken'], { login: SUPERVISOR.login })).waitFor();
    await dialog.getByRole('button', { name: de['common.cancel'] }).click();
    await screenshot(admin, 'users-list');
    expect(await seriousViolations(admin)).toEqual([]);

    await signIn(supervisor, SUPERVISOR.login, SUPERVISOR.password);
    await supervisor
      .getByRole('link', { name: fill(de['nav.account'], { name: SUPERVISOR.name }) })
      .waitFor();
  });

  it('a supervisor does not see the users page', async () => {
    await supervisor.goto(`${server.url}/`);
    await supervisor.getByRole('link', { name: de['nav.history'] }).waitFor();
    expect(await supervisor.getByRole('link', { name: de['nav.users'] }).count()).toBe(0);
    await supervisor.goto(`${server.url}/users`);
    await supervisor.getByText(de['users.adminsOnly']).waitFor();
    expect(await supervisor.locator('table').count()).toBe(0);
    expect(await supervisor.getByRole('button', { name: de['users.add'] }).count()).toBe(0);
    await screenshot(supervisor, 'users-supervisor');
    // The import page by its address: a notice, not a form that fails after the upload.
    await supervisor.goto(`${server.url}/import`);
    await supervisor.getByText(de['import.adminsOnly']).waitFor();
    expect(await supervisor.locator('input[type=file]').count()).toBe(0);
    // Nor a new integration's form, which the server would refuse after it was filled in.
    await supervisor.goto(`${server.url}/integrations/new`);
    await supervisor.getByText(de['integrations.adminsOnly']).waitFor();
    expect(await supervisor.getByRole('button', { name: de['common.create'] }).count()).toBe(0);
  });

  it('a user changes their password, stays signed in, and signs in with the new one', async () => {
    await supervisor.goto(`${server.url}/`);
    await supervisor.getByRole('link', { name: fill(de['nav.account'], { name: SUPERVISOR.name }) }).click();
    await supervisor.getByRole('heading', { level: 1, name: de['account.title'] }).waitFor();
    const current = supervisor.getByLabel(de['account.currentPassword']);
    const next = supervisor.getByLabel(de['account.newPassword']);
    const repeat = supervisor.getByLabel(de['auth.passwordRepeat']);
    const submit = supervisor.getByRole('button', { name: de['account.passwordSubmit'] });

    // A wrong current password is said at its field.
    await current.fill('falsches Passwort');
    await next.fill(NEW_PASSWORD);
    await repeat.fill(NEW_PASSWORD);
    await submit.click();
    await supervisor.getByText(de['account.currentWrong']).waitFor();

    await current.fill(SUPERVISOR.password);
    await submit.click();
    await supervisor.getByText(de['account.passwordChanged']).waitFor();
    expect(await seriousViolations(supervisor)).toEqual([]);
    await screenshot(supervisor, 'users-password-changed');

    // Still signed in here: the name saves with the new session.
    await supervisor.getByLabel(de['auth.name']).fill('Bernd Vogt-Lang');
    await supervisor.getByRole('button', { name: de['common.save'] }).click();
    await supervisor.getByText(de['account.saved']).waitFor();
    await supervisor
      .getByRole('link', { name: fill(de['nav.account'], { name: 'Bernd Vogt-Lang' }) })
      .waitFor();

    await supervisor.getByRole('button', { name: de['nav.logout'] }).click();
    await signIn(supervisor, SUPERVISOR.login, SUPERVISOR.password);
    await supervisor.getByText(de['auth.invalid']).waitFor();
    await signIn(supervisor, SUPERVISOR.login, NEW_PASSWORD);
    await supervisor.getByRole('link', { name: de['nav.history'] }).waitFor();
  });

  it('the account form shows the language chosen in the header, and saving the name keeps it', async () => {
    await supervisor.goto(`${server.url}/account`);
    await supervisor.getByRole('heading', { level: 1, name: de['account.title'] }).waitFor();
    await supervisor.getByRole('banner').getByLabel(de['nav.language']).selectOption('en');
    await supervisor.getByRole('heading', { level: 1, name: en['account.title'] }).waitFor();
    expect(await supervisor.getByRole('main').getByLabel(en['users.language']).inputValue()).toBe('en');
    await supervisor.getByLabel(en['auth.name']).fill('Bernd Vogt-Lang');
    await supervisor.getByRole('button', { name: en['common.save'] }).click();
    await supervisor.getByText(en['account.saved']).waitFor();
    expect(await supervisor.getByRole('heading', { level: 1 }).textContent()).toBe(en['account.title']);
    await supervisor.getByRole('banner').getByLabel(en['nav.language']).selectOption('de');
    await supervisor.getByRole('heading', { level: 1, name: de['account.title'] }).waitFor();
  });

  it('an API token is shown once, works, and is revoked', async () => {
    await supervisor.goto(`${server.url}/account`);
    await supervisor.getByText(de['tokens.none']).waitFor();
    await supervisor.getByLabel(de['tokens.name']).fill('Nächtlicher Export');
    await supervisor.getByRole('button', { name: de['tokens.create'] }).click();
    await supervisor.getByText(de['tokens.onlyOnce']).waitFor();
    const secret = await supervisor.getByLabel(de['tokens.secret']).inputValue();
    expect(secret).toMatch(/^abg_/);
    await screenshot(supervisor, 'users-token-created');
    const bearer = () =>
      fetch(`${server.url}/api/tokens`, { headers: { authorization: `Bearer ${secret}` } }).then(
        (r) => r.status,
      );
    expect(await bearer()).toBe(200);

    await supervisor.getByRole('button', { name: de['tokens.done'] }).click();
    await expect.poll(() => supervisor.getByLabel(de['tokens.secret']).count()).toBe(0);
    const row = supervisor.locator('tbody tr').filter({ hasText: 'Nächtlicher Export' });
    await row
      .getByRole('button', { name: fill(de['tokens.revokeOf'], { name: 'Nächtlicher Export' }) })
      .click();
    const confirm = supervisor.getByRole('dialog', { name: de['tokens.revokeTitle'] });
    await confirm.getByRole('button', { name: de['tokens.revoke'] }).click();
    await supervisor.getByText(fill(de['tokens.revoked'], { name: 'Nächtlicher Export' })).waitFor();
    await supervisor.getByText(de['tokens.none']).waitFor();
    expect(await bearer()).toBe(401);
  });

  it('an administrator changes a role and removes a user after a confirmation', async () => {
    await admin.goto(`${server.url}/users`);
    const role = admin.getByLabel(fill(de['users.roleOf'], { name: 'Bernd Vogt-Lang' }));
    await role.selectOption('admin');
    const confirm = admin.getByRole('dialog', { name: de['users.roleTitle'] });
    await confirm.getByRole('button', { name: de['users.roleApply'] }).click();
    await admin
      .getByText(fill(de['users.roleChanged'], { name: 'Bernd Vogt-Lang', role: de['role.admin'] }))
      .waitFor();
    // Two administrators: either may now be given another role or removed.
    await expect.poll(() => admin.getByText(de['users.lastAdmin']).count()).toBe(0);
    await admin.getByLabel(fill(de['users.roleOf'], { name: ADMIN.name })).waitFor();

    await admin
      .getByRole('button', { name: fill(de['users.removeOf'], { name: 'Bernd Vogt-Lang' }) })
      .click();
    const remove = admin.getByRole('dialog', { name: de['users.removeTitle'] });
    await remove.getByText(new RegExp(`Bernd Vogt-Lang \\(${SUPERVISOR.login}\\)`)).waitFor();
    await screenshot(admin, 'users-remove-confirm');
    await remove.getByRole('button', { name: de['users.remove'] }).click();
    await admin.getByText(fill(de['users.removed'], { name: 'Bernd Vogt-Lang' })).waitFor();
    await expect.poll(() => admin.locator('tbody tr').count()).toBe(1);
    await admin.getByText(de['users.lastAdmin']).waitFor();

    // Removed: the supervisor's session is gone.
    await supervisor.goto(`${server.url}/`);
    await supervisor.getByRole('button', { name: de['auth.login.submit'] }).waitFor();
  });

  it('an unknown address says the page does not exist, with a way to the overview', async () => {
    await admin.goto(`${server.url}/benutzerverwaltung`);
    await admin.getByRole('heading', { level: 1, name: de['app.notFound'] }).waitFor();
    await admin.getByRole('link', { name: de['overview.backToOverview'] }).click();
    await admin.getByRole('heading', { level: 1, name: de['overview.title'] }).waitFor();
    await admin.goto(`${server.url}/registry/lieferanten`);
    await admin.getByRole('heading', { level: 1, name: de['app.notFound'] }).waitFor();
    await screenshot(admin, 'users-not-found');
  });
});
