// Accounts in a real browser: every role chooses its password through the one-time link, signs
// in, sees what its role may see (header, menu, /konto, admin pages, editing Sorsele's learning
// centre) and signs out; an API token is created, used and revoked on /konto; a municipality
// saves its learning centre's services and sees them on its public page; signing in works with
// JavaScript switched off.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textOf, useSuite } from '../lib/harness.js';
import {
  ACCOUNTS, T, ensurePassword, factValue, resetLink, signIn, submit, submitLogin,
  waitForH1, waitForPath,
} from '../lib/accounts.js';

const suite = useSuite();
const sv = T.sv;

/** Runs `fn(page, ctx)` in a fresh browser context (own cookies) and closes it afterwards. */
async function inContext(fn, options) {
  const ctx = await suite.newContext(options);
  try {
    return await fn(await ctx.newPage(), ctx);
  } finally {
    await ctx.close();
  }
}

const pathOf = (page) => new URL(page.url()).pathname;

/** Asserts the 403 page: status, h1, and that the visitor is still signed in. */
async function assertForbidden(page, res, url, account) {
  assert.equal(res.status(), 403, `${account.key}: GET ${url} should be 403`);
  assert.equal(pathOf(page), url, `${account.key}: GET ${url} should not redirect`);
  assert.equal(await textOf(page.locator('h1')), sv.forbiddenH1, `${account.key}: h1 of the 403 page at ${url}`);
  assert.equal(await textOf(page.locator('header .signed-in')), sv.signedInAs(account.name));
}

/** The header of a signed-in page: name, sign-out button, no sign-in link, menu by role. */
async function assertSignedInHeader(page, account) {
  assert.equal(await textOf(page.locator('header .signed-in')), sv.signedInAs(account.name), 'header name');
  const logout = page.locator('header form[action="/logga-ut"][method="post"] button[type="submit"]');
  assert.equal(await logout.count(), 1, 'one sign-out button (POST /logga-ut) in the header');
  assert.equal(await textOf(logout), sv.logout);
  assert.equal(await page.locator('header a[href="/logga-in"]').count(), 0, 'no sign-in link when signed in');

  const nav = page.locator('header nav');
  const link = (href) => nav.locator(`a[href="${href}"]`);
  assert.equal(await link('/konto').count(), 1, 'menu: link to /konto');
  assert.equal(await textOf(link('/konto')), sv.navAccount);
  const adminLinks = [['/admin/anvandare', sv.navUsers], ['/admin/logg', sv.navAudit], ['/admin/synk', sv.navSync]];
  for (const [href, text] of adminLinks) {
    if (account.admin) {
      assert.equal(await link(href).count(), 1, `${account.key}: menu should link to ${href}`);
      assert.equal(await textOf(link(href)), text);
    } else {
      assert.equal(await link(href).count(), 0, `${account.key}: menu must not link to ${href}`);
    }
  }
}

/** /konto: h1, name, e-mail, role (and scope), and the API token form. */
async function assertAccountPage(page, account) {
  assert.equal(await textOf(page.locator('h1')), sv.accountH1);
  assert.equal(await factValue(page, sv.facts.name), account.name, '/konto: name');
  assert.equal(await factValue(page, sv.facts.email), account.email, '/konto: e-mail');
  assert.equal(await factValue(page, sv.facts.role), account.roleLabel.sv, '/konto: role');
  assert.equal(await factValue(page, sv.facts.scope), account.scope ?? null, '/konto: scope');
  for (const sel of ['#token-name', '#token-days']) {
    assert.equal(await page.locator(`main form ${sel}`).count(), 1, `/konto: ${sel} in a form`);
  }
  const create = page.locator('main form[action="/konto/nycklar"] button[type="submit"]');
  assert.equal(await textOf(create), sv.createToken);
  assert.equal(await page.locator('#new-token').count(), 0, '#new-token only right after creating a token');
}

describe('every role: set password, sign in, see what the role may see, sign out', () => {
  for (const key of ACCOUNTS.map((a) => a.key)) {
    it(key, () =>
      inContext(async (page) => {
        const account = suite.accounts[key];

        // The one-time link from `kkig user add`.
        const res = await page.goto(account.link);
        assert.equal(res.status(), 200, `GET ${account.linkPath}`);
        assert.equal(await textOf(page.locator('h1')), sv.setPasswordH1);
        assert.ok((await textOf(page.locator('main'))).includes(account.email), 'the link page names the account');
        assert.equal(await page.locator('#password[type="password"]').count(), 1);
        assert.equal(await page.locator('#repeat[type="password"]').count(), 1);
        await page.fill('#password', account.password);
        await page.fill('#repeat', account.password);
        const set = await submit(page, page.locator('main form button[type="submit"]'), () =>
          waitForPath(page, '/logga-in', { klart: '1' }));
        assert.equal(set.status(), 303, 'POST /losenord/… answers 303');
        account.passwordSet = true;
        await waitForH1(page, sv.loginH1);
        assert.equal(await textOf(page.locator('main .success')), sv.passwordSet);

        // The link is used up.
        const again = await page.goto(account.link);
        assert.equal(again.status(), 404, `a used link should be refused (GET ${account.linkPath})`);

        // Sign in through the form (without `next` each role lands on its own home page).
        await page.goto('/logga-in?next=/konto');
        const login = await submitLogin(page, account.email, account.password, async () => {
          await waitForPath(page, '/konto');
          await waitForH1(page, sv.accountH1);
        });
        assert.equal(login.status(), 303, 'POST /logga-in answers 303');
        await assertSignedInHeader(page, account);
        await assertAccountPage(page, account);

        // A fresh page load of /konto shows the same.
        const konto = await page.goto('/konto');
        assert.equal(konto.status(), 200);
        await assertSignedInHeader(page, account);
        await assertAccountPage(page, account);

        // The admin pages.
        for (const [url, h1] of [['/admin/anvandare', sv.usersH1], ['/admin/logg', sv.auditH1]]) {
          const r = await page.goto(url);
          if (!account.admin) {
            await assertForbidden(page, r, url, account);
            continue;
          }
          assert.equal(r.status(), 200, `admin: GET ${url}`);
          assert.equal(await textOf(page.locator('h1')), h1);
          assert.ok((await page.locator('main table tbody tr').count()) >= 1, `${url}: a table with rows`);
          await assertSignedInHeader(page, account);
          if (url === '/admin/anvandare') {
            const rows = page.locator('main table tbody tr');
            assert.equal(await rows.count(), ACCOUNTS.length, '/admin/anvandare: one row per account');
            const table = await textOf(page.locator('main table'));
            for (const a of ACCOUNTS) assert.ok(table.includes(a.email), `/admin/anvandare lists ${a.email}`);
            for (const text of [sv.disable, sv.resetLink]) {
              assert.equal(
                await page.locator('main table button', { hasText: text }).count(), ACCOUNTS.length,
                `/admin/anvandare: a "${text}" button per account`,
              );
            }
          } else {
            assert.equal(await page.locator('main form[method="get"] #since').count(), 1, '/admin/logg: #since');
            assert.match((await page.locator('#since').inputValue()), /^\d{4}-\d{2}-\d{2}$/);
            // Creating the accounts with the CLI is audited, the person's e-mail in the change.
            const table = await textOf(page.locator('main table'));
            for (const a of ACCOUNTS) {
              assert.ok(table.includes(a.email), `/admin/logg should show the creation of ${a.email}`);
            }
          }
        }

        // Editing Sorsele's learning centre.
        const lcUrl = '/larcentrum/lc-2422/andra';
        const lc = await page.goto(lcUrl);
        if (account.editsSorsele) {
          assert.equal(lc.status(), 200, `${key}: GET ${lcUrl}`);
          assert.match(await textOf(page.locator('h1')), sv.lcEditH1);
          for (const sel of ['#study_places', '#video_rooms', '#exam_sittings[type="checkbox"]', '#study_guidance[type="checkbox"]']) {
            assert.equal(await page.locator(`main form[method="post"] ${sel}`).count(), 1, `${lcUrl}: ${sel}`);
          }
          assert.equal(await textOf(page.locator('main form button[type="submit"]')), sv.lcSubmit);
        } else {
          await assertForbidden(page, lc, lcUrl, account);
        }

        // Sign out: back to anonymous, /konto sends to the login page.
        await page.goto('/konto');
        await page.locator('header form[action="/logga-ut"] button').click();
        await waitForPath(page, '/');
        await page.waitForLoadState('load');
        assert.equal(await page.locator('header .signed-in').count(), 0, 'signed out: no name in the header');
        assert.equal(await textOf(page.locator('header a[href="/logga-in"]')), sv.login);
        assert.equal(await page.locator('header nav a[href="/konto"]').count(), 0, 'signed out: no /konto link');
        const after = await page.goto('/konto');
        assert.equal(pathOf(page), '/logga-in', `after signing out, /konto should lead to /logga-in, is at ${page.url()}`);
        assert.equal(new URL(page.url()).searchParams.get('next'), '/konto');
        assert.equal(after.status(), 200);
        assert.equal(after.request().redirectedFrom()?.url(), `${suite.baseURL}/konto`);
        assert.equal(await textOf(page.locator('h1')), sv.loginH1);
      }));
  }
});

describe('anonymous visitors', () => {
  for (const url of ['/konto', '/admin/anvandare', '/admin/logg', '/larcentrum/lc-2422/andra']) {
    it(`${url} leads to /logga-in?next=${url}`, () =>
      inContext(async (page) => {
        const res = await page.goto(url);
        const redirect = res.request().redirectedFrom()?.response();
        assert.ok(redirect, `GET ${url} should redirect`);
        assert.ok([302, 303, 307].includes((await redirect).status()), `GET ${url}: status of the redirect`);
        assert.equal(pathOf(page), '/logga-in');
        assert.equal(new URL(page.url()).searchParams.get('next'), url);
        assert.equal(res.status(), 200);
        assert.equal(await page.locator('main form input[name="next"]').inputValue(), url);
      }));
  }

  it('signing in from /logga-in?next=… lands on that page', () =>
    inContext(async (page) => {
      const admin = suite.accounts.admin;
      await ensurePassword(suite, admin);
      await page.goto('/admin/logg');
      assert.equal(pathOf(page), '/logga-in');
      await submitLogin(page, admin.email, admin.password, async () => {
        await waitForPath(page, '/admin/logg');
        await waitForH1(page, sv.auditH1);
      });
      assert.equal(await textOf(page.locator('h1')), sv.auditH1);
    }));
});

describe('API token on /konto', () => {
  it('admin creates a token, GET /api/v1/me answers with it, and after revoking it answers 401', () =>
    inContext(async (page) => {
      const admin = suite.accounts.admin;
      const me = (token) =>
        fetch(`${suite.baseURL}/api/v1/me`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

      const anonymous = await me(null);
      assert.equal(anonymous.status, 401, 'GET /api/v1/me without a token');

      await signIn(suite, page, admin);
      const name = 'e2e-token';
      await page.fill('#token-name', name);
      await page.fill('#token-days', '7');
      const created = await submit(page, page.locator('main form[action="/konto/nycklar"] button[type="submit"]'), () =>
        page.locator('#new-token').waitFor({ state: 'visible' }));
      assert.ok(created.status() < 400, `POST /konto/nycklar answered ${created.status()}`);
      const token = await textOf(page.locator('#new-token'));
      assert.match(token, /^kkig_\S+$/, '#new-token should hold the token, starting with kkig_');
      const row = page.locator('main table tbody tr', { hasText: name });
      assert.equal(await row.count(), 1, `the token table should list "${name}"`);

      const res = await me(token);
      assert.equal(res.status, 200, 'GET /api/v1/me with the new token');
      const body = await res.json();
      assert.equal(body.role, 'admin');
      assert.equal(body.email, admin.email);
      assert.equal(body.name, admin.name);

      const revoke = row.locator('button', { hasText: sv.revoke });
      assert.equal(await revoke.count(), 1, `a "${sv.revoke}" button in the token's row`);
      await submit(page, revoke, () =>
        page.locator('main .success', { hasText: sv.revokedDone }).waitFor({ state: 'visible' }));
      assert.equal(await page.locator('#new-token').count(), 0, 'the token is shown only once');
      assert.ok((await textOf(page.locator('main table tbody tr', { hasText: name }))).includes(sv.revoked),
        'the token row should say it is revoked');
      assert.equal(await page.locator('main table tbody tr', { hasText: name }).locator('button').count(), 0,
        'a revoked token has no revoke button');

      const afterRevoke = await me(token);
      assert.equal(afterRevoke.status, 401, 'GET /api/v1/me with the revoked token');
    }));
});

describe("Sorsele's learning centre", () => {
  const lcUrl = '/larcentrum/lc-2422/andra';

  it('municipality 2422 saves its services and its public page shows them', () =>
    inContext(async (page) => {
      const muni = suite.accounts.muni_a;
      await signIn(suite, page, muni);
      await page.goto('/kommun/2422');
      const before = await factValue(page, sv.studyPlaces);

      await page.goto(lcUrl);
      const current = Number(await page.locator('#study_places').inputValue());
      const wanted = String(current === 137 ? 138 : 137);
      assert.notEqual(before, wanted);
      await page.fill('#study_places', wanted);
      await page.fill('#video_rooms', '3');
      await page.check('#exam_sittings');
      await page.check('#study_guidance');
      const saved = await submit(page, page.locator('main form button[type="submit"]'), () =>
        page.locator('main .success', { hasText: sv.lcSaved }).waitFor({ state: 'visible' }));
      assert.equal(saved.status(), 200, `POST ${lcUrl}`);
      assert.equal(await page.locator('#study_places').inputValue(), wanted, 'the form shows the saved value');

      // A signed-in visitor always gets a fresh page (the 5 s page cache is for anonymous ones).
      const res = await page.goto('/kommun/2422');
      assert.equal(res.status(), 200);
      assert.equal(await factValue(page, sv.studyPlaces), wanted, '/kommun/2422 should show the new study places');

      // And the form shows the stored values on a fresh load.
      await page.goto(lcUrl);
      assert.equal(await page.locator('#study_places').inputValue(), wanted);
      assert.equal(await page.locator('#video_rooms').inputValue(), '3');
      assert.ok(await page.locator('#exam_sittings').isChecked());
      assert.ok(await page.locator('#study_guidance').isChecked());
    }));

  it("municipality 2521 cannot save Sorsele's services (403, nothing changed)", () =>
    inContext(async (page) => {
      const other = suite.accounts.muni_b;
      await signIn(suite, page, other);
      const stored = await inContext(async (p) => {
        await signIn(suite, p, suite.accounts.admin);
        await p.goto(lcUrl);
        return p.locator('#study_places').inputValue();
      });
      // A form on kkig's own page, as the real one would be: passes the Origin check.
      const posted = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.evaluate((action) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        for (const [name, value] of [['study_places', '999'], ['video_rooms', '9']]) {
          const input = document.createElement('input');
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      }, lcUrl);
      const res = await posted;
      await page.waitForLoadState('load');
      assert.equal(res.status(), 403, `muni_b: POST ${lcUrl}`);
      assert.equal(await textOf(page.locator('h1')), sv.forbiddenH1);
      const still = await inContext(async (p) => {
        await signIn(suite, p, suite.accounts.admin);
        await p.goto(lcUrl);
        return p.locator('#study_places').inputValue();
      });
      assert.equal(still, stored, 'the refused POST must not change the services');
    }));
});

describe('without JavaScript', () => {
  it('signing in with the form works', () =>
    inContext(async (page) => {
      const account = suite.accounts.supervisor;
      await ensurePassword(suite, account);
      const res = await page.goto('/logga-in?next=/konto');
      assert.equal(res.status(), 200);
      const login = await submitLogin(page, account.email, account.password, () => waitForPath(page, '/konto'));
      assert.equal(login.status(), 303);
      await page.waitForLoadState('load');
      assert.equal(await textOf(page.locator('h1')), sv.accountH1);
      assert.equal(await textOf(page.locator('header .signed-in')), sv.signedInAs(account.name));
      assert.equal(await factValue(page, sv.facts.email), account.email);

      await page.locator('header form[action="/logga-ut"] button').click();
      await waitForPath(page, '/');
      await page.goto('/konto');
      assert.equal(pathOf(page), '/logga-in', 'signed out without JavaScript');
    }, { javaScriptEnabled: false }));

  it('a wrong password shows the error (401)', () =>
    inContext(async (page) => {
      const account = suite.accounts.supervisor;
      await page.goto('/logga-in');
      const res = await submitLogin(page, account.email, 'not-the-password-at-all', () => page.waitForLoadState('load'));
      assert.equal(res.status(), 401);
      assert.equal(await textOf(page.locator('main [role="alert"]')), sv.loginFailed);
      assert.equal(await page.locator('#email').inputValue(), account.email, 'the e-mail address is kept');
      assert.equal(await page.locator('header .signed-in').count(), 0);
    }, { javaScriptEnabled: false }));

  it('choosing a password works', () =>
    inContext(async (page) => {
      // Uses a fresh link made with the CLI, so as not to depend on the role tests' links.
      const link = await resetLink(suite.server, suite.accounts.student);
      await page.goto(link);
      const password = suite.accounts.student.password;
      await page.fill('#password', password);
      await page.fill('#repeat', password);
      const res = await submit(page, page.locator('main form button[type="submit"]'), () =>
        waitForPath(page, '/logga-in', { klart: '1' }));
      assert.equal(res.status(), 303);
      await page.waitForLoadState('load');
      assert.equal(await textOf(page.locator('main .success')), sv.passwordSet);
      suite.accounts.student.passwordSet = true;
    }, { javaScriptEnabled: false }));
});

// The layout boosts every form with htmx (<body hx-boost="true">). htmx by default swaps in only
// 2xx/3xx answers; the layout's htmx-config also swaps 4xx/5xx, so a form answered with 401 or
// 422 (the server's page with the error) is shown. These tests guard that.
describe('with JavaScript (htmx-boosted forms), errors are shown', () => {
  it('a wrong password shows "Fel e-postadress eller lösenord."', () =>
    inContext(async (page) => {
      const account = suite.accounts.regional;
      await page.goto('/logga-in');
      const res = await submitLogin(page, account.email, 'not-the-password-at-all', () => Promise.resolve());
      assert.equal(res.status(), 401);
      const alert = page.locator('main [role="alert"]', { hasText: sv.loginFailed });
      await alert.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => {});
      assert.equal(
        await alert.count(), 1,
        'after a failed login the page should show the error; with htmx boosting the form, the 401 ' +
          'answer is not swapped in and the page stays as it was',
      );
    }));

  it('two different passwords on /losenord/… show "Lösenorden är inte lika."', () =>
    inContext(async (page) => {
      const link = await resetLink(suite.server, suite.accounts.provider);
      await page.goto(link);
      await page.fill('#password', 'first-password-123');
      await page.fill('#repeat', 'second-password-456');
      const res = await submit(page, page.locator('main form button[type="submit"]'), () => Promise.resolve());
      assert.equal(res.status(), 422);
      const alert = page.locator('main [role="alert"]', { hasText: sv.passwordMismatch });
      await alert.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => {});
      assert.equal(
        await alert.count(), 1,
        'after a refused password the page should show why; with htmx boosting the form, the 422 ' +
          'answer is not swapped in and the page stays as it was',
      );
    }));
});
