// The pages of kkig the browser suite visits, each in every language of LANGS.
//
// Adding a page is one line in PAGES:
//   path    the URL path (the suite adds ?lang=sv / ?lang=en)
//   status  the expected HTTP status
//   h1      per language: a string (the h1 must equal it) or a RegExp (the h1 must match it);
//           omit for "an h1 with some text"
//   checks  optional list of content checks, functions (page, lang, suite) => Promise<void>
//   demo    false for pages that need not show the demo-data notice (default: every page does)
import assert from 'node:assert/strict';
import { norm, textOf } from './harness.js';
import {
  C, catalogueNavLink, pathwayContent, regionalContent, regionalErrorContent, searchErrorContent,
  searchPageContent, searchResultsContent,
} from './catalogue.js';

const OTHER_LANG = { sv: 'en', en: 'sv' };

/** The table of municipalities on the start page: the table in main whose rows link to them. */
export const MUNICIPALITY_TABLE = 'main table:has(tbody a[href*="/kommun/"])';

/** The start page shows the 17 municipalities as a table, an accessible SVG map, and the layout. */
async function startPageContent(page) {
  const table = page.locator(MUNICIPALITY_TABLE);
  assert.equal(await table.count(), 1, 'start page: expected one table of municipalities in main');
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), 17, 'start page table: expected 17 municipality rows');
  const codes = new Set();
  for (const row of await rows.all()) {
    const link = row.locator(':scope > :first-child a').first();
    assert.equal(await link.count(), 1, `row without a link in its first cell: ${await textOf(row)}`);
    const href = await link.getAttribute('href');
    const { pathname } = new URL(href, page.url());
    const m = pathname.match(/^\/kommun\/(\d{4})$/);
    assert.ok(m, `first-cell link should go to /kommun/{4-digit code}, got ${href}`);
    assert.ok((await textOf(link)).length > 0, `empty link text for ${href}`);
    codes.add(m[1]);
  }
  assert.equal(codes.size, 17, `expected 17 distinct municipality codes, got ${[...codes]}`);
  for (const code of ['2422', '2506']) {
    assert.ok(codes.has(code), `municipality ${code} missing from the start page table`);
  }

  const svg = page.locator('svg[role="img"]');
  assert.ok((await svg.count()) >= 1, 'start page: expected an inline <svg role="img"> map');
  const map = svg.first();
  const title = await textOf(map.locator(':scope > title'));
  const desc = await textOf(map.locator(':scope > desc'));
  assert.ok(title.length > 0, 'SVG map: <title> missing or empty');
  assert.ok(desc.length > 0, 'SVG map: <desc> missing or empty');
}

/** Sorsele's page shows its population, 2 387 (space or no-break space as thousands separator). */
async function sorseleContent(page, lang) {
  const main = norm(await page.locator('main').innerText());
  const expected = lang === 'en' ? /\b2[ ,]387\b/ : /\b2 387\b/;
  assert.match(main, expected, `Sorsele page (${lang}): population 2 387 not shown`);
}

/**
 * Layout common to every page: skip link, main landmark, switch to the other language, the menu
 * link to /utbildning.
 */
export async function layoutContent(page, lang) {
  const skip = page.locator('a.skip-link');
  assert.equal(await skip.count(), 1, 'expected one a.skip-link');
  assert.equal(await skip.getAttribute('href'), '#main', 'skip link should point to #main');
  assert.equal(await page.locator('main#main').count(), 1, 'expected <main id="main">');
  const other = OTHER_LANG[lang];
  assert.ok(
    (await page.locator(`a[hreflang="${other}"]`).count()) >= 1,
    `expected a language switch a[hreflang="${other}"]`,
  );
  await catalogueNavLink(page, lang);
}

export const H1 = {
  start: { sv: 'Kommunerna i samverkan', en: 'The municipalities in the collaboration' },
  sorsele: { sv: /Sorsele/, en: /Sorsele/ },
  privacy: { sv: 'Personuppgifter i kkig', en: 'Personal data in kkig' },
  search: { sv: C.sv.searchH1, en: C.en.searchH1 },
  nurseSorsele: { sv: 'Bli sjuksköterska från Sorsele', en: 'Become a nurse from Sorsele' },
  teacherPajala: { sv: 'Bli lärare från Pajala', en: 'Become a teacher from Pajala' },
  regional: { sv: C.sv.regionalH1, en: C.en.regionalH1 },
  notFound: { sv: C.sv.notFoundH1, en: C.en.notFoundH1 },
};

export const DEMO_NOTICE = { sv: 'Demodata', en: 'Demo data' };

export const PAGES = [
  { path: '/', status: 200, h1: H1.start, checks: [startPageContent] },
  { path: '/kommun/2422', status: 200, h1: H1.sorsele, checks: [sorseleContent] },
  { path: '/kommun/9999', status: 404 },
  { path: '/kommun/abc', status: 404 },
  { path: '/integritet', status: 200, h1: H1.privacy },
  { path: '/utbildning', status: 200, h1: H1.search, checks: [searchPageContent] },
  { path: '/utbildning?q=sjuksköterska&home=2422&sort=travel', status: 200, h1: H1.search, checks: [searchResultsContent] },
  { path: '/utbildning?home=9999', status: 400, h1: H1.search, checks: [searchErrorContent] },
  { path: '/utbildning/bli/sjukskoterska/2422', status: 200, h1: H1.nurseSorsele,
    checks: [pathwayContent('sjukskoterska', '2422', 'Sorsele')] },
  { path: '/utbildning/bli/larare/2521', status: 200, h1: H1.teacherPajala,
    checks: [pathwayContent('larare', '2521', 'Pajala')] },
  { path: '/utbildning/bli/okänd/2422', status: 404, h1: H1.notFound },
  { path: '/utbildning/regionen', status: 200, h1: H1.regional, checks: [regionalContent] },
  { path: '/utbildning/regionen?days=x', status: 400, h1: H1.regional, checks: [regionalErrorContent] },
];
