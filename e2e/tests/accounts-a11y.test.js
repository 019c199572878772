// The account pages in Swedish and English: h1, html[lang], layout, and zero axe-core
// violations of the WCAG 2.1 A and AA rules, in the states a person sees them in (empty login
// form, after a failed login, the password link, /konto with a new token, the admin pages, the
// learning centre form before and after saving, the 403 page).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANGS, assertNoAxeViolations, assertReflows, textOf, useSuite, withLang } from '../lib/harness.js';
import { layoutContent } from '../lib/pages.js';
import { T, signIn, submit, submitLogin } from '../lib/accounts.js';

const suite = useSuite();

/** Checks h1, html[lang], the layout, and axe on the page as it is now. */
async function checkPage(page, lang, label, h1) {
  assert.equal(await page.locator('html').getAttribute('lang'), lang, `${label}: html[lang]`);
  const h1s = page.locator('h1');
  assert.equal(await h1s.count(), 1, `${label}: exactly one h1`);
  const text = await textOf(h1s);
  if (h1 instanceof RegExp) assert.match(text, h1, `${label}: h1`);
  else assert.equal(text, h1, `${label}: h1`);
  await layoutContent(page, lang);
  await assertNoAxeViolations(page, label);
}

for (const lang of LANGS) {
  const t = T[lang];

  describe(`anonymous pages (${lang})`, () => {
    let ctx;
    let page;
    before(async () => {
      ctx = await suite.newContext();
      page = await ctx.newPage();
    });
    after(async () => ctx?.close());

    it('/logga-in', async () => {
      const url = withLang('/logga-in', lang);
      const res = await page.goto(url);
      assert.equal(res.status(), 200);
      await checkPage(page, lang, url, t.loginH1);
    });

    it('/logga-in after a failed login, showing the error', async () => {
      // htmx does not swap in a 401 answer (see accounts.test.js); without htmx the form is
      // submitted by the browser itself and the 401 page with the error is shown, as it is
      // with JavaScript switched off.
      await page.route('**/static/htmx.min.js', (route) => route.abort());
      try {
        const url = withLang('/logga-in', lang);
        await page.goto(url);
        const res = await submitLogin(page, suite.accounts.admin.email, 'not-the-password-at-all', () =>
          page.waitForLoadState('load'));
        assert.equal(res.status(), 401);
        assert.equal(await textOf(page.locator('main [role="alert"]')), t.loginFailed);
        await checkPage(page, lang, `${url} after a failed login (HTTP 401)`, t.loginH1);
      } finally {
        await page.unroute('**/static/htmx.min.js');
      }
    });

    it('/losenord/<secret>', async () => {
      // Only looked at: the link stays unused.
      const url = withLang(suite.accounts.university.linkPath, lang);
      const res = await page.goto(url);
      assert.equal(res.status(), 200);
      await checkPage(page, lang, '/losenord/<secret>', t.setPasswordH1);
    });

    it('/logga-in?klart=1 (password saved)', async () => {
      const url = withLang('/logga-in?klart=1', lang);
      await page.goto(url);
      assert.equal(await textOf(page.locator('main .success')), t.passwordSet);
      await checkPage(page, lang, url, t.loginH1);
    });
  });

  describe(`signed-in pages (${lang})`, () => {
    let ctx;
    let page;
    before(async () => {
      ctx = await suite.newContext();
      page = await ctx.newPage();
      await signIn(suite, page, suite.accounts.admin, lang);
    });
    after(async () => ctx?.close());

    it('/konto', async () => {
      const res = await page.goto('/konto');
      assert.equal(res.status(), 200);
      await checkPage(page, lang, `/konto (${lang})`, t.accountH1);
    });

    it('/konto after creating a token (#new-token shown)', async () => {
      await page.goto('/konto');
      await page.fill('#token-name', `a11y-${lang}`);
      await submit(page, page.locator('main form[action="/konto/nycklar"] button[type="submit"]'), () =>
        page.locator('#new-token').waitFor({ state: 'visible' }));
      assert.match(await textOf(page.locator('#new-token')), /^kkig_/);
      await checkPage(page, lang, `/konto with #new-token (${lang})`, t.accountH1);
    });

    it('/konto after revoking the token', async () => {
      await page.goto('/konto');
      const revoke = page.locator('main table tbody tr', { hasText: `a11y-${lang}` }).locator('button');
      await submit(page, revoke, () => page.locator('main .success', { hasText: t.revokedDone }).waitFor());
      await checkPage(page, lang, `/konto after revoking (${lang})`, t.accountH1);
    });

    it('/admin/anvandare', async () => {
      const res = await page.goto('/admin/anvandare');
      assert.equal(res.status(), 200);
      await checkPage(page, lang, `/admin/anvandare (${lang})`, t.usersH1);
    });

    it('/admin/anvandare after creating a password link', async () => {
      await page.goto('/admin/anvandare');
      const button = page.locator('main table tbody tr', { hasText: suite.accounts.supervisor.email })
        .locator('button', { hasText: t.resetLink });
      await submit(page, button, () => page.locator('main .success code').waitFor({ state: 'visible' }));
      assert.match(await textOf(page.locator('main .success code')), /\/losenord\/[0-9a-f]{64}$/);
      await checkPage(page, lang, `/admin/anvandare with a new link (${lang})`, t.usersH1);
    });

    it('/admin/logg', async () => {
      const res = await page.goto('/admin/logg');
      assert.equal(res.status(), 200);
      await checkPage(page, lang, `/admin/logg (${lang})`, t.auditH1);
    });

    it('/admin/logg with an invalid date', async () => {
      const res = await page.goto('/admin/logg?since=igår');
      assert.equal(res.status(), 400);
      assert.equal(await page.locator('#since[aria-invalid="true"]').count(), 1);
      await checkPage(page, lang, `/admin/logg?since=igår (${lang})`, t.auditH1);
    });

    it('/admin/synk, also at 320 px', async () => {
      const res = await page.goto('/admin/synk');
      assert.equal(res.status(), 200);
      await checkPage(page, lang, `/admin/synk (${lang})`, t.syncH1);
      await assertReflows(page, `/admin/synk (${lang})`);
    });

    it('/larcentrum/lc-2422/andra', async () => {
      const res = await page.goto('/larcentrum/lc-2422/andra');
      assert.equal(res.status(), 200);
      await checkPage(page, lang, `/larcentrum/lc-2422/andra (${lang})`, t.lcEditH1);
    });

    it('/larcentrum/lc-2422/andra after saving', async () => {
      await page.goto('/larcentrum/lc-2422/andra');
      await submit(page, page.locator('main form button[type="submit"]'), () =>
        page.locator('main .success', { hasText: t.lcSaved }).waitFor({ state: 'visible' }));
      await checkPage(page, lang, `/larcentrum/lc-2422/andra saved (${lang})`, t.lcEditH1);
    });

    it('/integritet signed in', async () => {
      const res = await page.goto('/integritet');
      assert.equal(res.status(), 200);
      await checkPage(page, lang, `/integritet signed in (${lang})`, t.privacyH1);
    });
  });

  describe(`the 403 page (${lang})`, () => {
    it('/admin/anvandare as a student', async () => {
      const ctx = await suite.newContext();
      try {
        const page = await ctx.newPage();
        await signIn(suite, page, suite.accounts.student, lang);
        const res = await page.goto('/admin/anvandare');
        assert.equal(res.status(), 403);
        await checkPage(page, lang, `403 page at /admin/anvandare (${lang})`, t.forbiddenH1);
      } finally {
        await ctx.close();
      }
    });
  });
}
