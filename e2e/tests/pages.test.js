// Every page of PAGES in every language: HTTP status, html[lang], h1, layout, content, the
// demo-data notice, and zero axe-core violations of the WCAG 2.1 A and AA rules.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANGS, assertNoAxeViolations, textOf, useSuite, withLang } from '../lib/harness.js';
import { DEMO_NOTICE, PAGES, layoutContent } from '../lib/pages.js';

const suite = useSuite();

for (const spec of PAGES) {
  for (const lang of LANGS) {
    const url = withLang(spec.path, lang);
    describe(`${url}`, () => {
      let ctx;
      let page;
      let response;
      before(async () => {
        ctx = await suite.newContext();
        page = await ctx.newPage();
        response = await page.goto(url);
      });
      after(async () => {
        await ctx?.close();
      });

      it(`answers HTTP ${spec.status} with HTML`, () => {
        assert.equal(response.status(), spec.status, `GET ${url}`);
        assert.match(response.headers()['content-type'] ?? '', /^text\/html/, 'content-type');
      });

      it(`has <html lang="${lang}">`, async () => {
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
      });

      it('has the expected h1', async () => {
        const h1s = page.locator('h1');
        assert.equal(await h1s.count(), 1, 'expected exactly one h1');
        const text = await textOf(h1s);
        const want = spec.h1?.[lang];
        if (want instanceof RegExp) assert.match(text, want);
        else if (typeof want === 'string') assert.equal(text, want);
        else assert.ok(text.length > 0, 'h1 is empty');
      });

      it('has the layout: skip link, main landmark, language switch', async () => {
        await layoutContent(page, lang);
      });

      for (const check of spec.checks ?? []) {
        it(`content: ${check.name}`, async () => {
          await check(page, lang, suite);
        });
      }

      if (spec.demo !== false) {
        it(`shows the demo-data notice "${DEMO_NOTICE[lang]}"`, async () => {
          const notice = page.locator('.demo-notice');
          assert.ok((await notice.count()) >= 1, 'no .demo-notice element');
          assert.ok(
            (await textOf(notice.first())).includes(DEMO_NOTICE[lang]),
            `.demo-notice should contain "${DEMO_NOTICE[lang]}", has "${await textOf(notice.first())}"`,
          );
        });
      }

      it('has zero axe violations (WCAG 2.1 A/AA)', async () => {
        await assertNoAxeViolations(page, `${url} (HTTP ${response.status()})`);
      });
    });
  }
}
