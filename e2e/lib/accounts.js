// Accounts for the browser suite: one per role, created with the CLI (`kkig user add`) against
// the test server's database once it is healthy, and the helpers to use them in a browser:
// choose the password through the one-time link, sign in, sign out.
//
// ACCOUNTS is the single list of accounts and of what each may do; tests read their
// expectations from it (admin pages, editing Sorsele's learning centre).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { norm, withLang } from './harness.js';

const run = promisify(execFile);

/** Texts of the account pages, per language. */
export const T = {
  sv: {
    signedInAs: (name) => `Inloggad som ${name}`,
    logout: 'Logga ut',
    login: 'Logga in',
    navAccount: 'Mitt konto',
    navUsers: 'Användare',
    navAudit: 'Granskningslogg',
    loginH1: 'Logga in',
    loginFailed: 'Fel e-postadress eller lösenord.',
    passwordSet: 'Lösenordet är sparat. Logga in med det nya lösenordet.',
    setPasswordH1: 'Välj lösenord',
    accountH1: 'Mitt konto',
    usersH1: 'Användare',
    auditH1: 'Granskningslogg',
    syncH1: 'Synk från källorna',
    navSync: 'Synk',
    forbiddenH1: 'Åtkomst nekas',
    privacyH1: 'Personuppgifter i kkig',
    lcEditH1: /^Ändra tjänster: .*Sorsele/,
    lcSaved: 'Tjänsterna är sparade.',
    lcSubmit: 'Spara',
    createToken: 'Skapa nyckel',
    revoke: 'Återkalla',
    revoked: 'Återkallad',
    revokedDone: 'Nyckeln är återkallad.',
    disable: 'Stäng av',
    resetLink: 'Skapa lösenordslänk',
    facts: { name: 'Namn', email: 'E-post', role: 'Roll', scope: 'Omfattning' },
    studyPlaces: 'Studieplatser',
    passwordMismatch: 'Lösenorden är inte lika.',
  },
  en: {
    signedInAs: (name) => `Signed in as ${name}`,
    logout: 'Sign out',
    login: 'Sign in',
    navAccount: 'My account',
    navUsers: 'Users',
    navAudit: 'Audit log',
    loginH1: 'Sign in',
    loginFailed: 'Wrong e-mail address or password.',
    passwordSet: 'The password is saved. Sign in with the new password.',
    setPasswordH1: 'Choose a password',
    accountH1: 'My account',
    usersH1: 'Users',
    auditH1: 'Audit log',
    syncH1: 'Sync from the sources',
    navSync: 'Sync',
    forbiddenH1: 'Access denied',
    privacyH1: 'Personal data in kkig',
    lcEditH1: /^Change services: .*Sorsele/,
    lcSaved: 'The services are saved.',
    lcSubmit: 'Save',
    createToken: 'Create token',
    revoke: 'Revoke',
    revoked: 'Revoked',
    revokedDone: 'The token is revoked.',
    disable: 'Disable',
    resetLink: 'Create password link',
    facts: { name: 'Name', email: 'E-mail', role: 'Role', scope: 'Scope' },
    studyPlaces: 'Study places',
    passwordMismatch: 'The passwords differ.',
  },
};

/**
 * One account per role. `admin`: sees the admin pages and links; `editsSorsele`: may change the
 * learning centre of Sorsele (2422), /larcentrum/lc-2422/andra.
 */
export const ACCOUNTS = [
  { key: 'admin', role: 'admin', name: 'Agnes Admin', admin: true, editsSorsele: true,
    roleLabel: { sv: 'Administratör', en: 'Administrator' } },
  { key: 'regional', role: 'regional', name: 'Rune Regional', admin: false, editsSorsele: true,
    roleLabel: { sv: 'Regional samordnare', en: 'Regional coordinator' } },
  { key: 'muni_a', role: 'municipality', scope: '2422', name: 'Maja Sorsele', admin: false, editsSorsele: true,
    roleLabel: { sv: 'Kommun', en: 'Municipality' } },
  { key: 'muni_b', role: 'municipality', scope: '2521', name: 'Mats Pajala', admin: false, editsSorsele: false,
    roleLabel: { sv: 'Kommun', en: 'Municipality' } },
  { key: 'university', role: 'university', scope: 'LTU', name: 'Ulla Lärosäte', admin: false, editsSorsele: false,
    roleLabel: { sv: 'Lärosäte', en: 'University' } },
  { key: 'provider', role: 'provider', scope: 'yh-norr', name: 'Pelle Anordnare', admin: false, editsSorsele: false,
    roleLabel: { sv: 'Utbildningsanordnare', en: 'Education provider' } },
  { key: 'supervisor', role: 'supervisor', name: 'Siv Handledare', admin: false, editsSorsele: false,
    roleLabel: { sv: 'Handledare', en: 'Supervisor' } },
  { key: 'student', role: 'student', name: 'Stina Student', admin: false, editsSorsele: false,
    roleLabel: { sv: 'Student', en: 'Student' } },
].map((a) => ({
  ...a,
  email: `${a.key.replace('_', '-')}@e2e.kkig.example`,
  // 12+ characters, with a non-ASCII letter so that encoding is exercised too.
  password: `e2e-${a.key}-lösenord-1234`,
}));

/** Runs the kkig CLI against the server's database; resolves to its stdout. */
export async function runCli(server, args) {
  const argv = ['--database-url', server.databaseURL, '--base-url', server.baseURL, ...args];
  try {
    const { stdout } = await run(server.bin, argv, { cwd: server.tmp, env: { ...process.env, RUST_LOG: 'warn' } });
    return stdout;
  } catch (err) {
    throw new Error(
      `kkig ${argv.join(' ')} failed (exit ${err.code}):\n--- stderr ---\n${err.stderr}\n--- stdout ---\n${err.stdout}`,
    );
  }
}

const LINK = /(\S+\/losenord\/([0-9a-f]{64}))\s*$/;

/**
 * Creates every account of ACCOUNTS with `kkig user add` (one after the other: one SQLite file)
 * and returns them by key, each with `link` (the one-time set-password URL printed by the CLI),
 * `linkPath` (/losenord/SECRET) and `passwordSet` (false until a test has used the link).
 */
export async function createAccounts(server) {
  const byKey = {};
  for (const a of ACCOUNTS) {
    const args = ['user', 'add', '--email', a.email, '--name', a.name, '--role', a.role];
    if (a.scope) args.push('--scope', a.scope);
    const out = await runCli(server, args);
    const lines = out.trimEnd().split('\n');
    const m = lines.length === 2 ? lines[1].match(LINK) : null;
    if (!m) {
      throw new Error(
        `kkig ${args.join(' ')}: expected two lines, the second ending with ` +
          `${server.baseURL}/losenord/<64 hex>; got:\n${out}`,
      );
    }
    const link = new URL(m[1]);
    if (link.origin !== server.baseURL) {
      throw new Error(`kkig ${args.join(' ')}: the link ${m[1]} is not on --base-url ${server.baseURL}`);
    }
    byKey[a.key] = { ...a, link: m[1], linkPath: link.pathname, passwordSet: false };
  }
  return byKey;
}

/** A new one-time set-password link for `account`, made with `kkig user reset-link`. */
export async function resetLink(server, account) {
  const out = await runCli(server, ['user', 'reset-link', account.email]);
  const m = out.trimEnd().match(LINK);
  if (!m) throw new Error(`kkig user reset-link ${account.email}: expected a line ending with a /losenord/ link, got:\n${out}`);
  return m[1];
}

/**
 * Clicks a submit button and waits for its POST to be answered and for `ready()` (the caller's
 * sign that the resulting page is shown: a URL, an h1, an element). Works for a full page load
 * (no JavaScript) and for a form boosted by htmx. Resolves to the POST's response.
 */
export async function submit(page, button, ready) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const res = await posted;
  await ready();
  return res;
}

/** Waits until the page's path is `path` (and its query has `params`, if given). */
export function waitForPath(page, path, params = {}) {
  return page.waitForURL((u) =>
    u.pathname === path && Object.entries(params).every(([k, v]) => u.searchParams.get(k) === v));
}

/** Waits until the page's h1 reads `text`. */
export function waitForH1(page, text) {
  return page.waitForFunction(
    (want) => (document.querySelector('h1')?.textContent ?? '').replace(/\s+/gu, ' ').trim() === want,
    text,
    { timeout: 10_000 },
  );
}

/** Opens the account's set-password link, chooses its password, and waits for the login page. */
export async function choosePassword(page, account, lang = 'sv') {
  const res = await page.goto(withLang(account.linkPath, lang));
  assert.equal(res.status(), 200, `GET ${account.linkPath}`);
  await page.fill('#password', account.password);
  await page.fill('#repeat', account.password);
  await submit(page, page.locator('main form button[type="submit"]'), () =>
    waitForPath(page, '/logga-in', { klart: '1' }));
  account.passwordSet = true;
}

/** Chooses the account's password in a throwaway context, unless a test did so already. */
export async function ensurePassword(suite, account) {
  if (account.passwordSet) return;
  const ctx = await suite.newContext();
  try {
    await choosePassword(await ctx.newPage(), account);
  } finally {
    await ctx.close();
  }
}

/** Fills the login form on the current page with `password` and submits it; resolves to the POST's response. */
export async function submitLogin(page, email, password, ready) {
  await page.fill('#email', email);
  await page.fill('#password', password);
  return submit(page, page.locator('main form button[type="submit"]'), ready);
}

/** Signs `account` in on `page` through /logga-in?next=/konto and waits for /konto (without
 *  `next`, kkig sends each role to its own home page). */
export async function signIn(suite, page, account, lang = 'sv') {
  await ensurePassword(suite, account);
  await page.goto(withLang('/logga-in?next=/konto', lang));
  const res = await submitLogin(page, account.email, account.password, async () => {
    await waitForPath(page, '/konto');
    await waitForH1(page, T[lang].accountH1);
  });
  assert.equal(res.status(), 303, 'POST /logga-in with the right password');
}

/** The text of the <dd> after the <dt> reading `term` in main (null if there is none). */
export async function factValue(page, term) {
  const dd = page.locator(`xpath=//main//dt[normalize-space()="${term}"]/following-sibling::dd[1]`);
  return (await dd.count()) === 0 ? null : norm(await dd.first().textContent());
}
