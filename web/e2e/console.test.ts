import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakePdd } from '../../src/modules/sources/connectors/fake/pdd';
import zh from '../src/i18n/zh.json';
import { ARTIFACTS, DEMO, TEST_TIMEOUT, baseUrl, futureDate, htmlLang, navKeys, newPage, pageErrors, setUpConsole, settled, signIn, signOut } from './harness';

/** The console against the real server (see harness.ts): menus, sign-in and -up, languages, organisations, sources. */

const UNBOUND_CREATOR = { email: 'wang@demo.vitrine.dev', handle: 'wang_yi' };

const NAV = {
  operator: ['home', 'pool', 'sources', 'plans', 'users', 'organisations', 'orders', 'settlement', 'payouts'],
  creator: ['home', 'pool', 'plans', 'showcase', 'links', 'orders', 'earnings', 'organisation'],
  org: ['home', 'pool', 'plans', 'creators', 'invitations', 'orders', 'earnings'],
  merchant: ['home', 'sources', 'products', 'plans', 'orders'],
} as const;

setUpConsole();

describe('the web console', () => {
  for (const role of ['operator', 'org', 'creator', 'merchant'] as const) {
    it(
      `shows the ${role} exactly the ${role}'s menu, then signs out`,
      async () => {
        const page = await newPage();
        await signIn(page, DEMO[role]);

        expect(await navKeys(page)).toEqual(NAV[role]);
        await expect.poll(() => page.getByTestId('user-role').getAttribute('data-role')).toBe(role);
        await settled(page);
        await page.screenshot({ path: join(ARTIFACTS, `console-${role}.png`), fullPage: true });

        await signOut(page);
        expect(await page.getByTestId('nav').count()).toBe(0);
        await page.goto(`${baseUrl()}/#/home`);
        await page.getByTestId('login-email').waitFor();
        expect(page.url()).toContain('#/login');
        expect(pageErrors).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }

  it(
    'says in the reader’s language why sign-in was refused',
    async () => {
      const page = await newPage();
      await page.goto(`${baseUrl()}/#/login`);
      await page.getByTestId('login-email').fill(DEMO.creator);
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      const error = page.getByTestId('error');
      await error.waitFor();
      // The server's own message is English ("Wrong email or password"); the console says it in Chinese.
      expect(await error.locator('.alert-body').innerText()).toBe('邮箱或密码错误。');
      expect(await error.getAttribute('data-code')).toBe('unauthorized');
      expect(await page.getByTestId('nav').count()).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'switches between Chinese and English on the sign-in page and inside the console, and remembers the choice',
    async () => {
      const page = await newPage();
      await page.goto(`${baseUrl()}/#/login`);
      const submit = page.getByTestId('login-submit');
      await expect.poll(() => submit.innerText()).toBe('登录');
      expect(await htmlLang(page)).toBe('zh-CN');

      await page.getByTestId('lang-toggle').click();
      await expect.poll(() => submit.innerText()).toBe('Sign in');
      expect(await htmlLang(page)).toBe('en');
      await page.reload();
      await expect.poll(() => page.getByTestId('login-submit').innerText()).toBe('Sign in');
      expect(await page.evaluate(() => localStorage.getItem('vitrine.lang'))).toBe('en');

      await page.getByTestId('lang-toggle').click();
      await expect.poll(() => page.getByTestId('login-submit').innerText()).toBe('登录');

      await signIn(page, DEMO.creator);
      const homeLink = page.locator('[data-nav="home"]');
      await expect.poll(() => homeLink.innerText()).toBe('首页');
      await page.getByTestId('lang-toggle').click();
      await expect.poll(() => homeLink.innerText()).toBe('Home');
      await expect.poll(() => page.locator('[data-nav="organisation"]').innerText()).toBe('My organisation');
      expect(await htmlLang(page)).toBe('en');
      await page.getByTestId('lang-toggle').click();
      await expect.poll(() => homeLink.innerText()).toBe('首页');
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'signs up a new creator through the form and lands in the creator console',
    async () => {
      const page = await newPage();
      await page.goto(`${baseUrl()}/#/login`);
      await page.getByTestId('to-signup').click();
      await page.getByTestId('signup-role-creator').click();
      await page.getByTestId('signup-name').fill('新达人 E2E');
      await page.getByTestId('signup-handle').fill('e2e_newcomer');
      await page.getByTestId('signup-email').fill('e2e.newcomer@example.com');
      await page.getByTestId('signup-password').fill('a-long-password');
      await page.getByTestId('signup-submit').click();

      await page.getByTestId('nav').waitFor();
      expect(await navKeys(page)).toEqual(NAV.creator);
      expect(await page.getByTestId('user-role').getAttribute('data-role')).toBe('creator');
      await expect.poll(() => page.getByTestId('home-handle').innerText()).toBe('@e2e_newcomer');
      await expect.poll(() => page.getByTestId('home-organisation').innerText()).toBe('暂未加入机构');

      await signOut(page);
      await page.goto(`${baseUrl()}/#/signup`);
      await page.getByTestId('signup-name').fill('Someone else');
      await page.getByTestId('signup-handle').fill('e2e_second');
      await page.getByTestId('signup-email').fill('e2e.newcomer@example.com');
      await page.getByTestId('signup-password').fill('a-long-password');
      await page.getByTestId('signup-submit').click();
      await page.getByTestId('error').waitFor();
      // Refused in the reader's language, by the code the server sent (its own message is English).
      const code = (await page.getByTestId('error').getAttribute('data-code')) as keyof typeof zh.apiErrors;
      expect(['email_taken', 'email_or_handle_taken']).toContain(code);
      expect(await page.getByTestId('error').locator('.alert-body').innerText()).toBe(zh.apiErrors[code]);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'lets an organisation invite an unbound creator, who accepts, and then lists them among its creators',
    async () => {
      const org = await newPage();
      await signIn(org, DEMO.org);
      const organisationName = (await org.getByTestId('home-organisation').innerText()).trim();
      expect(organisationName).not.toBe('…');

      await org.locator('[data-nav="invitations"]').click();
      await org.getByTestId('invite-handle').fill(UNBOUND_CREATOR.handle);
      await org.getByTestId('invite-share').fill('12.5');
      await org.getByTestId('invite-submit').click();
      await org.getByTestId('notice').waitFor();
      const sent = org.getByTestId('org-invitations-table').locator('tr', { hasText: `@${UNBOUND_CREATOR.handle}` }).first();
      await expect.poll(() => sent.innerText()).toContain('12.50%');
      expect(await sent.locator('[data-status]').getAttribute('data-status')).toBe('pending');
      await signOut(org);

      const creator = await newPage();
      await signIn(creator, UNBOUND_CREATOR.email);
      await expect.poll(() => creator.getByTestId('home-organisation').innerText()).toBe('暂未加入机构');
      await creator.locator('[data-nav="organisation"]').click();
      const invitation = creator.getByTestId('invitations-table').locator('tr', { hasText: organisationName });
      await expect.poll(() => invitation.innerText()).toContain('12.50%');
      await invitation.getByTestId('invitation-accept').click();
      await creator.getByTestId('notice').waitFor();
      await expect.poll(() => creator.getByTestId('current-organisation').innerText()).toContain(organisationName);
      const membership = creator.getByTestId('memberships-table').locator('tr', { hasText: organisationName });
      await expect.poll(() => membership.locator('[data-status]').getAttribute('data-status')).toBe('active');
      await settled(creator);
      await creator.screenshot({ path: join(ARTIFACTS, 'console-creator-organisation.png'), fullPage: true });
      await signOut(creator);

      await signIn(org, DEMO.org);
      await org.locator('[data-nav="creators"]').click();
      const handles = org.getByTestId('creators-table').getByTestId('creator-handle');
      await expect.poll(() => handles.allInnerTexts()).toContain(`@${UNBOUND_CREATOR.handle}`);
      await settled(org);
      await org.screenshot({ path: join(ARTIFACTS, 'console-org-creators.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses an invitation share that is not a percentage with at most two decimals, without calling the server',
    async () => {
      const page = await newPage();
      await signIn(page, DEMO.org);
      await page.locator('[data-nav="invitations"]').click();
      await page.getByTestId('invite-handle').fill(UNBOUND_CREATOR.handle);
      await page.getByTestId('invite-share').fill('12.345');
      await page.getByTestId('invite-submit').click();
      await page.locator('.field-error').waitFor();
      expect(await page.getByTestId('invite-share').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByTestId('notice').count()).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'lets an organisation end a membership on a chosen date',
    async () => {
      const page = await newPage();
      await signIn(page, DEMO.org);
      await page.locator('[data-nav="creators"]').click();
      const table = page.getByTestId('creators-table');
      const endable = table.locator('tbody tr').filter({ has: page.getByTestId('end-membership') }).first();
      const handle = await endable.getByTestId('creator-handle').innerText();
      const row = table.locator('tbody tr').filter({ has: page.getByTestId('creator-handle').getByText(handle, { exact: true }) });
      await row.getByTestId('end-membership').click();
      const endsOn = futureDate(30);
      await row.getByTestId('end-date').fill(endsOn);
      await row.getByTestId('end-confirm').click();
      await page.getByTestId('notice').waitFor();
      expect(await page.getByTestId('notice').innerText()).toContain(endsOn);
      await expect.poll(() => row.innerText()).toContain(endsOn);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'shows the operator its users and organisations, and a new source’s webhook secret once',
    async () => {
      const page = await newPage();
      await signIn(page, DEMO.operator);

      await page.locator('[data-nav="users"]').click();
      await expect.poll(() => page.getByTestId('users-table').innerText()).toContain(UNBOUND_CREATOR.email);
      expect(await page.getByTestId('users-table').innerText()).toContain(DEMO.merchant);
      // Found by @handle, kept on reload (the hash), then one role only, then everyone again.
      await page.getByTestId('users-search').fill(`@${UNBOUND_CREATOR.handle}`);
      await page.getByTestId('users-search-go').click();
      await expect.poll(() => page.getByTestId('users-table').locator('tbody tr').count()).toBe(1);
      expect(await page.getByTestId('users-table').innerText()).toContain(UNBOUND_CREATOR.email);
      await page.reload();
      await expect.poll(() => page.getByTestId('users-search').inputValue()).toBe(`@${UNBOUND_CREATOR.handle}`);
      await page.getByTestId('users-search').fill('');
      await page.getByTestId('users-role').selectOption('merchant');
      await expect.poll(async () => (await page.getByTestId('users-table').locator('tbody tr').allInnerTexts()).join('\n')).toContain(DEMO.merchant);
      expect(await page.getByTestId('users-table').innerText()).not.toContain(DEMO.creator);
      await page.getByTestId('users-role').selectOption('');
      await expect.poll(() => page.getByTestId('users-table').innerText()).toContain(DEMO.creator);

      await page.locator('[data-nav="organisations"]').click();
      await expect.poll(() => page.getByTestId('organisations-table').innerText()).toContain(DEMO.org);

      await page.locator('[data-nav="sources"]').click();
      await page.getByTestId('source-kind').selectOption('platform');
      await page.getByTestId('source-name').fill('E2E 京东联盟');
      await page.getByTestId('source-platform').selectOption('jd');
      await page.getByTestId('source-submit').click();
      await expect.poll(() => page.getByTestId('webhook-secret').innerText()).toMatch(/^whsec_/);
      await expect.poll(() => page.getByTestId('sources-table').innerText()).toContain('E2E 京东联盟');
      await page.screenshot({ path: join(ARTIFACTS, 'console-operator-sources.png'), fullPage: true });

      await page.locator('[data-nav="home"]').click();
      await page.locator('[data-nav="sources"]').click();
      await page.getByTestId('sources-table').waitFor();
      expect(await page.getByTestId('webhook-secret').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'lets the operator connect the PDD source to its API (a fake of PDD’s router here), sync it now, and see how the sync went',
    async () => {
      const pdd = await startFakePdd({ appKey: 'e2e-client-id', appSecret: 'e2e-client-secret', items: 3 });
      try {
        const page = await newPage();
        await signIn(page, DEMO.operator);
        await page.locator('[data-nav="sources"]').click();
        await page.getByTestId('sources-table').locator('[data-testid="source-link"]', { hasText: '拼多多 多多进宝' }).click();
        const panel = page.getByTestId('connection-panel');
        await panel.getByTestId('connection-form').waitFor();
        expect(await panel.getByTestId('connection-status').count()).toBe(0); // not connected yet
        await panel.getByTestId('connection-app-key').fill('e2e-client-id');
        await panel.getByTestId('connection-app-secret').fill('wrong-secret');
        await panel.getByTestId('connection-position').fill('1000001_2000001');
        await panel.getByTestId('connection-base-url').fill(pdd.url);
        await panel.getByTestId('connection-save').click();
        await panel.getByTestId('connection-status').waitFor();
        expect(await panel.getByTestId('connection-status').innerText()).toContain('尚未进行');

        // A wrong secret: the sync is refused, and the panel says why, in PDD's words.
        await panel.getByTestId('connection-sync').click();
        await expect.poll(() => panel.getByTestId('connection-sync-error').innerText()).toContain('20004');
        // The right one; the rest of the settings stay as they were.
        await panel.getByTestId('connection-app-secret').fill('e2e-client-secret');
        await panel.getByTestId('connection-save').click();
        await panel.getByTestId('connection-saved').waitFor();
        await panel.getByTestId('connection-sync').click();
        await expect.poll(() => panel.getByTestId('connection-sync-report').innerText()).toBe('导入 3 · 更新 0 · 拒收 0');
        await expect.poll(() => panel.getByTestId('connection-sync-error').count()).toBe(0);
        expect(await panel.getByTestId('connection-position').inputValue()).toBe('1000001_2000001');
        expect(await panel.getByTestId('connection-app-secret').inputValue()).toBe(''); // never shown
        await page.screenshot({ path: join(ARTIFACTS, 'console-operator-connection.png'), fullPage: true });
        expect(pageErrors).toEqual([]);
      } finally {
        await pdd.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'lets a merchant connect its own source and see only its own',
    async () => {
      const page = await newPage();
      await signIn(page, DEMO.merchant);
      await page.locator('[data-nav="sources"]').click();
      await page.getByTestId('source-name').fill('E2E 商家小店');
      await page.getByTestId('source-submit').click();
      await expect.poll(() => page.getByTestId('webhook-secret').innerText()).toMatch(/^whsec_/);
      await expect.poll(() => page.getByTestId('sources-table').innerText()).toContain('E2E 商家小店');
      expect(await page.getByTestId('sources-table').innerText()).not.toContain('E2E 京东联盟');
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'keeps the menu usable on a 390×844 phone',
    async () => {
      const page = await newPage({ width: 390, height: 844 });
      await signIn(page, DEMO.creator);

      const nav = page.getByTestId('nav');
      expect(await nav.isVisible()).toBe(false);
      await page.getByTestId('nav-toggle').click();
      await nav.waitFor({ state: 'visible' });
      for (const key of NAV.creator) {
        const link = page.locator(`[data-nav="${key}"]`);
        expect(await link.isVisible()).toBe(true);
        const box = await link.boundingBox();
        expect(box && box.width <= 390 && box.height >= 40).toBe(true);
      }
      await page.screenshot({ path: join(ARTIFACTS, 'console-phone.png'), fullPage: true });

      await page.locator('[data-nav="organisation"]').click();
      await nav.waitFor({ state: 'hidden' });
      expect(page.url()).toContain('#/organisation');
      await page.getByTestId('current-organisation').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(ARTIFACTS, 'console-phone-organisation.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

