// Steps shared by the browser tests that walk a signed-in user's flow (VFU, allocation).
import assert from 'node:assert/strict';
import { withLang } from './harness.js';
import { signIn } from './accounts.js';

/** A signed-in page for the suite's account `key` (JavaScript on unless `js` is false); close with `page.context().close()`. */
export async function signedInAs(suite, key, { js = true, lang = 'sv' } = {}) {
  const ctx = await suite.newContext({ javaScriptEnabled: js });
  const page = await ctx.newPage();
  await signIn(suite, page, suite.accounts[key], lang);
  return page;
}

/** Opens `path` in `lang` and checks the answer's status. */
export async function openPage(page, path, lang = 'sv', status = 200) {
  const res = await page.goto(withLang(path, lang));
  assert.equal(res.status(), status, `GET ${path}`);
  return res;
}

/** Waits until the page's h1 reads `text` (works with JavaScript switched off). */
export function waitForHeading(page, text) {
  return page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor({ timeout: 10_000 });
}
