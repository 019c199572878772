// Shared setup of the browser suite: one kkig server and one Chromium per test file, started in
// `before` and stopped in `after`, plus the helpers the tests share.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer } from './server.js';
import { createAccounts } from './accounts.js';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const LANGS = ['sv', 'en'];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * Registers the suite's `before`/`after` hooks and returns an object whose `baseURL`, `browser`,
 * `server` and `accounts` are filled in once `before` has run. `accounts` holds one account per
 * role (lib/accounts.js), created with the CLI once the server is healthy, by key
 * (`suite.accounts.admin`, `suite.accounts.muni_a`, ...), each with its one-time password link.
 */
export function useSuite() {
  const suite = { baseURL: null, browser: null, server: null, accounts: null };
  before(async () => {
    suite.server = await startServer();
    suite.baseURL = suite.server.baseURL;
    try {
      suite.accounts = await createAccounts(suite.server);
      suite.browser = await launchBrowser();
    } catch (err) {
      await suite.server.stop();
      throw err;
    }
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  /** A fresh browser context (own cookies) for one test; close it with `ctx.close()`. */
  suite.newContext = (options = {}) =>
    suite.browser.newContext({ baseURL: suite.baseURL, ...options });
  return suite;
}

/** `path` with `?lang=` (or `&lang=`) set. */
export function withLang(path, lang) {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  return url.pathname + url.search;
}

/** Collapses every run of whitespace (including U+00A0 and U+202F) to one space and trims. */
export function norm(text) {
  return (text ?? '').replace(/\s+/gu, ' ').trim();
}

export async function textOf(locator) {
  return norm(await locator.textContent());
}

/** Readable report of axe violations: rule, impact, help, and each failing node's target. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary || '').split('\n').map((l) => `        ${l}`).join('\n');
          return `    - ${n.target.join(' ')}\n      ${n.html}\n${summary}`;
        })
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/** Runs axe-core with the WCAG 2.1 A/AA rules and fails with a readable list on any violation. */
export async function assertNoAxeViolations(page, label) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const { violations } = results;
  if (violations.length > 0) {
    const report = `${violations.length} axe violation(s) on ${label}:\n${formatViolations(violations)}`;
    assert.fail(report);
  }
}

/** Asserts that the page, laid out `width` CSS pixels wide, does not scroll sideways (WCAG 2.1
 *  1.4.10 Reflow, which axe does not test); names the widest element that overflows. Restores
 *  the viewport it found. */
export async function assertReflows(page, label, width = 320) {
  const before = page.viewportSize();
  await page.setViewportSize({ width, height: 800 });
  try {
    const { scroll, culprit } = await page.evaluate(() => {
      const inner = document.documentElement.clientWidth;
      let culprit = '';
      for (const el of document.body.querySelectorAll('*')) {
        if (el.parentElement?.closest('.table-scroll')) continue;
        const r = el.getBoundingClientRect();
        if (r.right > inner + 1) {
          culprit = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} (right edge ${Math.round(r.right)} px)`;
          break;
        }
      }
      return { scroll: document.documentElement.scrollWidth, culprit };
    });
    assert.ok(scroll <= width, `${label}: ${scroll} px wide at ${width} px; overflowing: ${culprit}`);
  } finally {
    if (before) await page.setViewportSize(before);
  }
}
