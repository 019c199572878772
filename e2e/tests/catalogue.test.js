// Searching for education on /utbildning as a person does it: live with htmx (the results update
// in place and the URL follows) and with JavaScript switched off (the form is submitted), which
// must give the same results as each other and as GET /api/v1/offerings; sorting by travel, the
// travel limit, pagination, the three exports, typo tolerance; and the regional table agreeing
// with the pathway page it links to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { norm, textOf, useSuite } from '../lib/harness.js';
import {
  C, XLSX_TYPE, apiSearch, exportLinks, minutes, pathwayCards, readHits, resultCount, searchPath,
  searchSnapshot,
} from '../lib/catalogue.js';

const suite = useSuite();
const sv = C.sv;

/** Runs `fn(page, ctx)` in a fresh browser context (own cookies) and closes it afterwards. */
async function inContext(fn, options) {
  const ctx = await suite.newContext(options);
  try {
    return await fn(await ctx.newPage(), ctx);
  } finally {
    await ctx.close();
  }
}

const isSorted = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);
const travelMinutes = (hits, home = 'Sorsele') => hits.map((h) => minutes(h.facts[sv.travel(home)] ?? ''));

/**
 * Waits until the live search shows what `params` should give: the URL's query has `params`, no
 * htmx request is in flight, and #results-count reads `total`. Does not throw: the assertions
 * after it say what the page shows instead.
 */
async function waitForLiveResults(page, params, total) {
  await page
    .waitForFunction(
      ({ want, count }) => {
        const sp = new URLSearchParams(location.search);
        const text = (document.querySelector('#results-count')?.textContent ?? '').replace(/\s+/gu, ' ').trim();
        return Object.entries(want).every(([k, v]) => sp.get(k) === v)
          && !document.querySelector('.htmx-request')
          && text === count;
      },
      { want: params, count: sv.count(total) },
      { timeout: 10_000 },
    )
    .catch(() => {});
}

/**
 * Opens /utbildning with JavaScript, marks `window`, records full page loads, fills the form
 * field by field (text with `fill`, selects with `selectOption`) and waits for the live update.
 * Resolves to the snapshot plus `marker` (the mark survived: no page load) and `documentLoads`.
 */
async function liveSearch(page, fields, total) {
  const res = await page.goto('/utbildning');
  assert.equal(res.status(), 200);
  await page.waitForFunction(() => !!window.htmx, null, { timeout: 10_000 });
  await page.evaluate(() => { window.__e2eNoReload = 'still here'; });
  const documentLoads = [];
  page.on('request', (r) => { if (r.isNavigationRequest()) documentLoads.push(r.url()); });
  const htmxRequests = [];
  page.on('request', (r) => { if (r.headers()['hx-request'] === 'true') htmxRequests.push(r.url()); });
  for (const [id, value] of Object.entries(fields)) {
    if (id === 'q') await page.fill('#q', value);
    else await page.selectOption(`#${id}`, value);
  }
  await waitForLiveResults(page, fields, total);
  return {
    ...(await searchSnapshot(page)),
    marker: await page.evaluate(() => window.__e2eNoReload ?? null),
    documentLoads,
    htmxRequests,
  };
}

/** The same search with JavaScript off: fill the form, press the submit button, a normal GET. */
async function submittedSearch(page, fields) {
  await page.goto('/utbildning');
  for (const [id, value] of Object.entries(fields)) {
    if (id === 'q') await page.fill('#q', value);
    else await page.selectOption(`#${id}`, value);
  }
  const [res] = await Promise.all([
    page.waitForNavigation(),
    page.locator('main form[role="search"] button[type="submit"]').click(),
  ]);
  assert.equal(res.status(), 200, `GET ${res.url()}`);
  return searchSnapshot(page);
}

const NURSES = { q: 'sjuksköterskor', home: '2422' };

describe('search with JavaScript (htmx)', () => {
  it('typing "sjuksköterskor" and choosing Sorsele updates #results in place, as the API answers', () =>
    inContext(async (page) => {
      const api = await apiSearch(suite.baseURL, NURSES);
      const all = await apiSearch(suite.baseURL, { ...NURSES, per_page: '1000' });
      const live = await liveSearch(page, NURSES, api.total);

      assert.equal(live.marker, 'still here', 'a mark set on window should survive: no full page load');
      assert.deepEqual(live.documentLoads, [], 'no document request after the page was opened');
      assert.ok(live.htmxRequests.length > 0, 'the form should have sent htmx requests (HX-Request: true)');
      assert.ok(live.count > 0, `#results-count should be > 0, reads ${live.count}`);
      assert.equal(live.count, api.total, `count as GET /api/v1/offerings?${new URLSearchParams(NURSES)}`);
      assert.deepEqual(live.hits.map((h) => h.id), api.hits.map((h) => h.id), 'page 1: the API\'s hits in its order');
      const byId = new Map(all.hits.map((h) => [h.id, h]));
      for (const h of live.hits) {
        // Relevant: the title has the word, or the offering leads to a nursing occupation (SSYK 222x).
        const nursing = (byId.get(h.id)?.occupations ?? []).some((o) => o.startsWith('222'));
        assert.ok(/sjukskötersk/i.test(h.title) || nursing, `hit ${h.id} "${h.title}" is not about nursing`);
        assert.ok(h.facts[sv.travel('Sorsele')], `hit ${h.id}: no "${sv.travel('Sorsele')}" after choosing Sorsele`);
      }
      assert.equal(live.params.q, NURSES.q, 'the URL should now carry q=');
      assert.equal(live.params.home, NURSES.home, 'the URL should now carry home=');
      assert.ok((await textOf(page.locator('#results p.centre'))).startsWith(sv.centre('Sorsele', 'Lärcentrum Sorsele', 'Sorsele', 0)));

      // The pushed URL, opened directly, shows the same.
      const res = await page.reload();
      assert.equal(res.status(), 200);
      const reloaded = await searchSnapshot(page);
      assert.equal(reloaded.count, live.count, 'reloading the pushed URL: same count');
      assert.deepEqual(reloaded.hits, live.hits, 'reloading the pushed URL: same hits');
    }));

  it('choosing home Sorsele and "Inga resor" (max_travel=0): every hit shows 0 min', () =>
    inContext(async (page) => {
      const fields = { home: '2422', max_travel: '0' };
      const api = await apiSearch(suite.baseURL, fields);
      const live = await liveSearch(page, fields, api.total);
      assert.equal(live.marker, 'still here', 'no full page load');
      assert.ok(live.count > 0, `distance offerings without travel from Sorsele exist (API total ${api.total})`);
      assert.equal(live.count, api.total, `count as GET /api/v1/offerings?${new URLSearchParams(fields)}`);
      assert.ok(live.hits.length > 0);
      const mins = travelMinutes(live.hits);
      assert.deepEqual(mins, mins.map(() => 0), `every hit should show 0 min: ${JSON.stringify(live.hits.map((h) => [h.id, h.facts[sv.travel('Sorsele')]]))}`);
    }));
});

describe('search without JavaScript', () => {
  it('submitting the form gives the same count and hits as the live search', async () => {
    const api = await apiSearch(suite.baseURL, NURSES);
    const live = await inContext((page) => liveSearch(page, NURSES, api.total));
    const plain = await inContext((page) => submittedSearch(page, NURSES), { javaScriptEnabled: false });
    assert.equal(plain.params.q, NURSES.q, 'the submitted URL carries q=');
    assert.equal(plain.params.home, NURSES.home, 'the submitted URL carries home=');
    assert.equal(plain.count, api.total, 'count as the API');
    assert.equal(plain.count, live.count, 'count as with JavaScript');
    assert.deepEqual(plain.hits.map((h) => h.title), live.hits.map((h) => h.title), 'titles of the hits on page 1');
    assert.deepEqual(plain.hits, live.hits, 'hits on page 1 (ids, titles, facts)');
    assert.equal(plain.pageText, live.pageText, 'page line');
  });
});

describe('order, pages, exports', () => {
  it('sort=travel from Sorsele: travel per term never decreases, on page 1 and into page 2', () =>
    inContext(async (page) => {
      const params = { home: '2422', sort: 'travel' };
      await page.goto(searchPath(params));
      const first = await readHits(page);
      assert.ok(first.length > 1, 'several hits');
      const m1 = travelMinutes(first);
      assert.ok(m1.every((m) => m !== null), `every hit shows its travel: ${JSON.stringify(first.map((h) => h.facts))}`);
      assert.ok(isSorted(m1), `page 1 travel minutes should be non-decreasing: ${m1}`);
      assert.deepEqual(first.map((h) => h.id), (await apiSearch(suite.baseURL, params)).hits.map((h) => h.id),
        'the API orders the same');

      await page.goto(searchPath({ ...params, page: '2' }));
      const m2 = travelMinutes(await readHits(page));
      assert.ok(isSorted(m2), `page 2 travel minutes should be non-decreasing: ${m2}`);
      assert.ok(m2[0] >= m1.at(-1), `page 2 starts at ${m2[0]} min, page 1 ended at ${m1.at(-1)} min`);
    }));

  it('the rel=next link leads to page 2 with other hits, and rel=prev back', () =>
    inContext(async (page) => {
      await page.goto(searchPath({ home: '2422', sort: 'travel' }));
      const one = await searchSnapshot(page);
      assert.ok(one.count > one.hits.length, `more hits (${one.count}) than on one page (${one.hits.length})`);
      const pages = Math.ceil(one.count / one.hits.length);
      assert.equal(one.pageText, sv.pageOf(1, pages));

      await page.locator('#results a[rel="next"]').click();
      await page.waitForURL((u) => u.searchParams.get('page') === '2');
      await page.waitForFunction((want) =>
        (document.querySelector('#results nav.pagination p')?.textContent ?? '').trim() === want,
      sv.pageOf(2, pages), { timeout: 10_000 }).catch(() => {});
      const two = await searchSnapshot(page);
      assert.equal(two.params.home, '2422', 'page 2 keeps home');
      assert.equal(two.params.sort, 'travel', 'page 2 keeps the order');
      assert.equal(two.pageText, sv.pageOf(2, pages));
      assert.equal(two.count, one.count, 'same total on page 2');
      assert.ok(two.hits.length > 0, 'hits on page 2');
      const ids1 = new Set(one.hits.map((h) => h.id));
      const again = two.hits.filter((h) => ids1.has(h.id)).map((h) => h.id);
      assert.deepEqual(again, [], 'page 2 should show other hits than page 1');

      const prev = page.locator('#results a[rel="prev"]');
      assert.equal(await prev.count(), 1, 'a rel=prev link on page 2');
      const prevURL = new URL(await prev.getAttribute('href'), page.url());
      assert.ok(['1', null].includes(prevURL.searchParams.get('page')), `rel=prev goes to page 1: ${prevURL}`);
    }));

  it('the CSV, Excel and iCalendar links answer 200 with their types and the same offerings', () =>
    inContext(async (page) => {
      const params = { q: 'sjuksköterska', home: '2422', sort: 'travel' };
      await page.goto(searchPath(params));
      const { byKind, hrefs } = await exportLinks(page);
      assert.deepEqual(Object.keys(byKind).sort(), ['csv', 'ics', 'xlsx'], `export links: ${hrefs}`);
      const all = await apiSearch(suite.baseURL, { ...params, per_page: '1000' });
      assert.ok(all.total > 0);

      const types = { csv: /^text\/csv\b/, xlsx: new RegExp(`^${XLSX_TYPE.replace(/\./g, '\\.')}\\b`), ics: /^text\/calendar\b/ };
      const bodies = {};
      for (const [kind, href] of Object.entries(byKind)) {
        const res = await page.request.get(href);
        assert.equal(res.status(), 200, `GET ${href}`);
        assert.match(res.headers()['content-type'] ?? '', types[kind], `content-type of ${href}`);
        bodies[kind] = await res.body();
      }

      const csv = bodies.csv.toString('utf8');
      for (const h of all.hits) assert.ok(csv.includes(`\n${h.id};`), `CSV: no row for ${h.id}`);
      assert.equal(bodies.xlsx.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'the xlsx is a zip file');
      const ics = bodies.ics.toString('utf8').replace(/\r?\n[ \t]/g, ''); // unfold lines
      assert.match(ics, /^BEGIN:VCALENDAR\r?\n/, 'iCalendar starts with BEGIN:VCALENDAR');
      assert.match(ics, /\r?\nEND:VCALENDAR\r?\n?$/, 'iCalendar ends with END:VCALENDAR');
      const events = ics.match(/^BEGIN:VEVENT$/gm) ?? [];
      const deadlines = all.hits.filter((h) => h.application_closes).length;
      assert.equal(events.length, deadlines, 'one event per application deadline of the search');
      assert.ok(ics.includes(`${suite.baseURL}/utbildning?`), `the feed links to the saved search at ${suite.baseURL}`);
    }));
});

describe('typo tolerance', () => {
  it('"sjukskoterska" (ö typed as o) finds the nurse programmes too', () =>
    inContext(async (page) => {
      const params = { q: 'sjukskoterska' };
      const api = await apiSearch(suite.baseURL, params);
      const res = await page.goto(searchPath(params));
      assert.equal(res.status(), 200);
      const count = await resultCount(page);
      const hits = await readHits(page);
      const exact = await apiSearch(suite.baseURL, { q: 'sjuksköterska' });
      assert.equal(count, api.total, `page and GET /api/v1/offerings?q=${params.q} agree`);
      assert.ok(count > 0,
        `GET /utbildning?q=sjukskoterska shows ${count} hits, GET /api/v1/offerings?q=sjukskoterska total ${api.total}; ` +
        `expected > 0 (edit distance 1 from "sjuksköterska", which finds ${exact.total})`);
      assert.ok(hits.some((h) => /sjukskötersk/i.test(h.title)), `a nurse programme among ${hits.map((h) => h.title)}`);
    }));
});

describe('regional table and pathway pages agree', () => {
  it("Sorsele's nurse count within 4 travel days is the number of such programmes on its pathway page", () =>
    inContext(async (page) => {
      await page.goto('/utbildning/regionen?days=4');
      const link = page.locator('main table tbody tr', { has: page.locator('a[href="/kommun/2422"]') })
        .locator('a[href="/utbildning/bli/sjukskoterska/2422"]');
      assert.equal(await link.count(), 1, "Sorsele's nurse count links to its pathway page");
      const count = Number(await textOf(link));
      const [res] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/utbildning/bli/sjukskoterska/2422'),
        link.click(),
      ]);
      assert.equal(res.status(), 200);
      await page.waitForURL((u) => u.pathname === '/utbildning/bli/sjukskoterska/2422');
      await page.waitForFunction(() => !!document.querySelector('main #entry-heading'), null, { timeout: 10_000 });
      assert.equal(await textOf(page.locator('h1')), 'Bli sjuksköterska från Sorsele');
      const within = (await pathwayCards(page)).filter((c) => c.days <= 4).length;
      assert.equal(count, within, 'regional count (days=4) vs programmes with at most 4 travel days on the pathway page');
    }));
});
