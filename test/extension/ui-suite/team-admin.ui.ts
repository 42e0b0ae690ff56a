// UI test of single sign-on and the Team view, as a user does it: "Nyx: Sign In with SSO" from the
// palette, the team name, the browser tab that opens on the identity provider (the runner's real
// OpenID Connect provider on loopback), its login and consent pages, and back in the editor the
// notification and the Team view. Screenshots go to docs/images/ (the guide shows them).
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { OWNER_LOGIN, testIdp } from '../sso-idp.ts';
import { callServer, workbench } from '../ui.ts';

const QUICK_INPUT = '.quick-input-widget';
const IMAGES = path.resolve(import.meta.dirname, '..', '..', '..', 'docs', 'images');

describe('Single sign-on from the palette, then the Team view', function () {
  this.timeout(120_000);
  let teamName: string;
  /** The Nyx views folded to give the Team view room, unfolded again at the end. */
  const folded: string[] = [];

  before(async () => {
    const idp = testIdp();
    teamName = (await callServer<{ tenant: { name: string } }>('GET', '/api/v1/me')).tenant.name;
    await callServer('PUT', '/api/v1/sso/config', { issuerUrl: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, groupRoles: { 'nyx-admins': 'admin' } });
  });

  after(async () => {
    await workbench().unfoldViews(folded);
  });

  it('opens the identity provider in a browser tab and comes back signed in', async () => {
    const page = workbench().page;
    const popup = page.context().waitForEvent('page', { timeout: 30_000 });
    const palette = await workbench().openCommandPalette();
    await palette.fill('>Nyx: Sign In with SSO');
    await page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'Sign In with SSO' }).first().click();
    // The palette turns into the team question (same widget, new title).
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: 'Sign In with SSO' }).waitFor({ state: 'visible', timeout: 10_000 });
    const input = page.locator(`${QUICK_INPUT} input`);
    await input.fill(teamName);
    await input.press('Enter');
    // VS Code asks before an extension opens an external site the user has not trusted yet.
    const openButton = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Open$/ });
    const opened = await Promise.race([popup.then(() => 'tab' as const), openButton.waitFor({ state: 'visible', timeout: 30_000 }).then(() => 'dialog' as const)]);
    if (opened === 'dialog') await openButton.click();
    const idpPage = await popup;
    await signInAtIdp(idpPage);

    const toast = await workbench().waitForNotification(/signed in as/, 30_000);
    assert.match(await toast.innerText(), new RegExp(`owner of ${escapeRegExp(teamName)}`));
    // The tab ends on the editor's callback page; the person closes it and is back in the editor.
    await idpPage.close();
    await workbench().focus();
    await workbench().screenshot('sso-signed-in', IMAGES);
  });

  it('shows the members with their roles, the invitations and recent activity', async () => {
    const page = workbench().page;
    const input = await workbench().openCommandPalette();
    await input.fill('>Nyx: Focus on Team View');
    const row = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'Team' }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
    // Room for the Team view (the Nyx container stacks seven), and no Output panel over the picture.
    folded.push(...(await workbench().foldOtherViews('Team')));
    if (await page.locator('.part.panel').isVisible()) await workbench().runCommand('View: Hide Panel');
    await workbench().runFromPalette('Notifications: Clear All Notifications');
    const members = page.locator('.monaco-list-row', { hasText: /^Members \(\d+\)/ }).first();
    await members.waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.monaco-list-row', { hasText: '(you)' }).first().waitFor({ state: 'visible' });
    await page.locator('.monaco-list-row', { hasText: 'Recent activity' }).first().click();
    await page.locator('.monaco-list-row', { hasText: 'sso.sign_in' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await workbench().screenshot('team-view', IMAGES);
  });
});

/** What the person does on the IdP's pages: the login form, then the consent page. */
async function signInAtIdp(idpPage: Page): Promise<void> {
  await idpPage.waitForLoadState('domcontentloaded');
  const login = idpPage.locator('input[name="login"]');
  await login.waitFor({ state: 'visible', timeout: 15_000 }).catch(async () => {
    throw new Error(`the IdP tab shows no login form at ${idpPage.url()}: ${(await idpPage.locator('body').innerText()).slice(0, 500)}`);
  });
  await login.fill(OWNER_LOGIN);
  await idpPage.locator('input[name="password"]').fill('any password');
  await idpPage.locator('button[type="submit"]').click();
  const consent = idpPage.locator('button[type="submit"]', { hasText: 'Continue' });
  await consent.waitFor({ state: 'visible', timeout: 15_000 });
  await consent.click();
  // The IdP sends the tab to the Nyx server, which sends it to the editor's callback page.
  await idpPage.waitForURL(/\/callback\?/, { timeout: 15_000 }).catch(() => undefined);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

