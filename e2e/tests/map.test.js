// The region's maps drawn from municipal borders (the start page and the forecast's need per
// 1,000 inhabitants), in Swedish and English, on a 320 px phone and a 1280 px screen:
//
// - zero axe violations (WCAG 2.1 A/AA);
// - the page does not scroll sideways (WCAG 1.4.10 reflow): the document is no wider than the
//   window; when it is, the test names the elements that stick out (outside the tables that
//   scroll in their own region);
// - the map is an SVG with a viewBox and width 100% (no fixed size), a title and a description,
//   a legend, and a link to the table with the same figures;
// - the labels as the browser draws them overlap neither each other nor the edge of the map;
// - a screenshot of each (in KKIG_SCREENSHOTS, default /tmp/kkig-map-shots) for a person to look at.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LANGS, assertNoAxeViolations, textOf, useSuite, withLang } from '../lib/harness.js';

const suite = useSuite();

const MAPS = [
  { path: '/', name: 'start', table: '#municipalities' },
  { path: '/prognos/karta', name: 'forecast', table: '#forecast-map-table' },
];
const WIDTHS = [320, 1280];
const SHOTS = process.env.KKIG_SCREENSHOTS || '/tmp/kkig-map-shots';

/** What sticks out of the window, innermost first, leaving out what scrolls in its own region. */
function overflowing() {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.table-scroll') && !el.classList.contains('table-scroll')) continue;
    const r = el.getBoundingClientRect();
    if (r.right > width + 0.5 || r.left < -0.5) {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(/\s+/u).join('.')}` : '';
      out.push(`${el.tagName.toLowerCase()}${id}${cls} (${Math.round(r.left)}–${Math.round(r.right)} px)`);
    }
  }
  return out.slice(-8);
}

/** The labels' boxes as the browser draws them, in the map's own units, with the viewBox. */
function labelBoxes() {
  const svg = document.querySelector('main svg.map');
  const vb = svg.viewBox.baseVal;
  const boxes = [...svg.querySelectorAll('.map-labels text')].map((t) => {
    const b = t.getBBox();
    return { text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height };
  });
  return { view: { w: vb.width, h: vb.height }, boxes };
}

describe('the maps drawn from municipal borders', () => {
  for (const map of MAPS) {
    for (const lang of LANGS) {
      for (const width of WIDTHS) {
        it(`${map.path} (${lang}) at ${width} px`, async () => {
          const ctx = await suite.newContext({ viewport: { width, height: 900 } });
          try {
            const page = await ctx.newPage();
            const res = await page.goto(withLang(map.path, lang));
            assert.equal(res.status(), 200, `GET ${map.path}`);

            const svg = page.locator('main svg.map[role="img"]');
            assert.equal(await svg.count(), 1, 'one map');
            assert.equal(await svg.getAttribute('width'), '100%');
            assert.equal(await svg.getAttribute('height'), null, 'no fixed height');
            assert.match(await svg.getAttribute('viewBox'), /^0 0 \d+(\.\d)? \d+(\.\d)?$/u);
            const title = await textOf(page.locator(`[id="${await svg.getAttribute('aria-labelledby')}"]`));
            const desc = await textOf(page.locator(`[id="${await svg.getAttribute('aria-describedby')}"]`));
            assert.ok(title.length > 0 && desc.length > 0, `title "${title}", desc "${desc}"`);
            assert.equal(await textOf(svg.locator(':scope > title')), title);
            assert.ok((await page.locator('main figure.map-figure ul.legend li').count()) >= 4, 'a legend');
            const link = page.locator(`main figure.map-figure a[href="${map.table}"]`);
            assert.equal(await link.count(), 1, 'a link to the table');
            assert.equal(await page.locator(`table${map.table}`).count(), 1, 'the table it links to');
            assert.ok((await svg.locator('.map-areas path').count()) >= 17, 'the municipalities drawn');

            const scroll = await page.evaluate(() => ({
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: window.innerWidth,
            }));
            const sticking = scroll.scrollWidth > scroll.innerWidth ? await page.evaluate(overflowing) : [];
            assert.ok(
              scroll.scrollWidth <= scroll.innerWidth,
              `the page scrolls sideways: ${scroll.scrollWidth} px in a ${scroll.innerWidth} px window; ` +
                `sticking out: ${sticking.join(', ')}`,
            );
            const box = await svg.boundingBox();
            assert.ok(box.x >= 0 && box.x + box.width <= width, `the map fits: ${JSON.stringify(box)}`);

            const { view, boxes } = await page.evaluate(labelBoxes);
            assert.ok(boxes.length >= 17, `labels: ${boxes.length}`);
            for (const [i, a] of boxes.entries()) {
              assert.ok(
                a.x >= -0.5 && a.y >= -0.5 && a.x + a.w <= view.w + 0.5 && a.y + a.h <= view.h + 0.5,
                `"${a.text}" sticks out of the map: ${JSON.stringify(a)}`,
              );
              for (const b of boxes.slice(i + 1)) {
                const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
                assert.ok(!overlap, `"${a.text}" and "${b.text}" overlap: ${JSON.stringify([a, b])}`);
              }
            }

            await assertNoAxeViolations(page, `${map.path} (${lang}, ${width} px)`);
            await mkdir(SHOTS, { recursive: true });
            await page.screenshot({ path: join(SHOTS, `${map.name}-${lang}-${width}.png`), fullPage: true });
          } finally {
            await ctx.close();
          }
        });
      }
    }
  }
});
