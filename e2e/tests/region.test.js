// What a person does on the pages: switch language (and have it remembered), follow a
// municipality link, use the skip link, and read the pages with JavaScript switched off.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { norm, textOf, useSuite } from '../lib/harness.js';
import { H1, MUNICIPALITY_TABLE } from '../lib/pages.js';

const suite = useSuite();

/** Runs `fn(page)` in a fresh browser context (own cookies) and closes it afterwards. */
async function inContext(fn, options) {
  const ctx = await suite.newContext(options);
  try {
    return await fn(await ctx.newPage(), ctx);
  } finally {
    await ctx.close();
  }
}

const htmlLang = (page) => page.locator('html').getAttribute('lang');

/**
 * Clicks `link` and waits until the page's h1 reads `expectedH1`. Works for a full page load and
 * for a link boosted by htmx (fetched and swapped in, URL pushed). Resolves to the response for
 * the link's URL.
 */
async function followLink(page, link, expectedH1) {
  const href = new URL(await link.getAttribute('href'), page.url()).href;
  const response = page.waitForResponse((r) => r.url() === href);
  await link.click();
  const res = await response;
  await page
    .waitForFunction(
      (want) => (document.querySelector('h1')?.textContent ?? '').replace(/\s+/gu, ' ').trim() === want,
      expectedH1,
      { timeout: 10_000 },
    )
    .catch(() => {}); // the assertion after this reports what the h1 says instead
  await page.waitForLoadState('load');
  return res;
}

describe('/health', () => {
  it('answers 200 with JSON', async () => {
    const res = await fetch(`${suite.baseURL}/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = await res.json();
    assert.equal(typeof body, 'object');
  });
});

describe('language', () => {
  it('is Swedish by default', () =>
    inContext(async (page) => {
      await page.goto('/');
      assert.equal(await htmlLang(page), 'sv');
      assert.equal(await textOf(page.locator('h1')), H1.start.sv);
    }));

  it('clicking the language switch on / lands on the English page', () =>
    inContext(async (page) => {
      await page.goto('/');
      await followLink(page, page.locator('a[hreflang="en"]').first(), H1.start.en);
      assert.equal(await htmlLang(page), 'en');
      assert.equal(await textOf(page.locator('h1')), H1.start.en);
      assert.equal(new URL(page.url()).pathname, '/');
    }));

  it('is remembered by cookie after ?lang=en, and ?lang=sv switches back', () =>
    inContext(async (page) => {
      await page.goto('/?lang=en');
      assert.equal(await htmlLang(page), 'en');

      let res = await page.goto('/kommun/2422');
      assert.equal(res.status(), 200);
      assert.equal(await htmlLang(page), 'en', '/kommun/2422 after ?lang=en should be English');
      res = await page.goto('/');
      assert.equal(await htmlLang(page), 'en', '/ after ?lang=en should be English');
      assert.equal(await textOf(page.locator('h1')), H1.start.en);
      res = await page.goto('/kommun/9999');
      assert.equal(res.status(), 404);
      assert.equal(await htmlLang(page), 'en', '404 page after ?lang=en should be English');

      await page.goto('/kommun/2422?lang=sv');
      assert.equal(await htmlLang(page), 'sv');
      await page.goto('/');
      assert.equal(await htmlLang(page), 'sv', '/ after ?lang=sv should be Swedish again');
      assert.equal(await textOf(page.locator('h1')), H1.start.sv);
    }));
});

describe('navigation', () => {
  for (const lang of ['sv', 'en']) {
    it(`the first municipality link in the table leads to its page (${lang})`, () =>
      inContext(async (page) => {
        await page.goto(`/?lang=${lang}`);
        const link = page
          .locator(`${MUNICIPALITY_TABLE} tbody tr`)
          .first()
          .locator(':scope > :first-child a')
          .first();
        const name = await textOf(link);
        assert.ok(name.length > 0, 'first municipality link has no text');
        const res = await followLink(page, link, name);
        assert.equal(res.status(), 200, `GET ${res.url()}`);
        assert.match(new URL(page.url()).pathname, /^\/kommun\/\d{4}$/);
        assert.equal(await textOf(page.locator('h1')), name);
        assert.equal(await htmlLang(page), lang);
      }));
  }

  it('the skip link is the first stop for the keyboard and moves focus to main', () =>
    inContext(async (page) => {
      await page.goto('/');
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => {
        const el = document.activeElement;
        return { cls: el?.className ?? '', href: el?.getAttribute('href') };
      });
      assert.ok(
        String(first.cls).split(/\s+/).includes('skip-link'),
        `first Tab should focus a.skip-link, focused ${JSON.stringify(first)}`,
      );
      assert.ok(await page.locator('a.skip-link').isVisible(), 'skip link should be visible when focused');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash === '#main');
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        return {
          inMain: !!el?.closest('main#main'),
          tag: el?.tagName,
          id: el?.id,
        };
      });
      assert.ok(
        focus.inMain,
        `after the skip link, focus should be on main, is on ${JSON.stringify(focus)} ` +
          '(Chromium focuses a fragment target only if it is focusable: <main id="main" tabindex="-1">)',
      );
      // The next Tab continues inside the main content, not back in the header.
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => !!document.activeElement?.closest('main#main'));
      assert.ok(next, 'Tab after the skip link should reach an element inside main');
    }));
});

describe('without JavaScript', () => {
  for (const path of ['/', '/kommun/2422', '/?lang=en', '/kommun/2422?lang=en']) {
    it(`${path} shows the same content`, async () => {
      const snapshot = async (page) => {
        const res = await page.goto(path);
        return {
          status: res.status(),
          lang: await htmlLang(page),
          h1: await textOf(page.locator('h1')),
          rows: await page.locator('main table tbody tr').count(),
          main: norm(await page.locator('main').innerText()),
        };
      };
      const withJs = await inContext(snapshot);
      const withoutJs = await inContext(snapshot, { javaScriptEnabled: false });
      assert.equal(withoutJs.status, 200);
      assert.deepEqual(withoutJs, withJs);
      assert.ok(withoutJs.main.length > 0, 'main is empty');
    });
  }
});
