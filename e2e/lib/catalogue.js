// The education catalogue (issue 4): /utbildning (search), /utbildning/bli/{occupation}/{code}
// (pathway pages) and /utbildning/regionen (regional table). Their texts per language, helpers to
// read the search results in one round trip, the API they must agree with, and the content checks
// that lib/pages.js runs on them.
import assert from 'node:assert/strict';
import { norm, textOf } from './harness.js';

/** Texts of the catalogue pages, per language. */
export const C = {
  sv: {
    nav: 'Hitta utbildning',
    searchH1: 'Hitta utbildning',
    submit: 'Sök',
    count: (n) => `${n} utbildningar`,
    facts: ['Anordnare', 'Studieform', 'Omfattning', 'Period', 'Studieort', 'Obligatoriska träffar'],
    travel: (home) => `Resor per termin från ${home}`,
    centreFrom: (home) => `Närmaste lärcentrum från ${home}:`,
    centre: (home, centre, town) => `Närmaste lärcentrum från ${home}: ${centre} i ${town}, i din kommun.`,
    pageOf: (n, of) => `Sida ${n} av ${of}`,
    pathwayH1: { sjukskoterska: 'Bli sjuksköterska från', larare: 'Bli lärare från', socionom: 'Bli socionom från' },
    pathwayCols: { travel: 'Resor per termin', days: 'Resdagar per termin', closes: 'Sista ansökningsdag' },
    vfuHeading: 'VFU på hemmaplan',
    vfu: /(tar .+ VFU-plats.* emot .+ med utbildad handledare|har ännu ingen VFU-plats)/,
    entryHeading: 'Utbildningar som leder till yrket',
    regionalH1: 'Utbildning inom räckhåll i regionen',
    regionalCols: ['Kommun', 'Lärare', 'Sjuksköterska', 'Socialt arbete'],
    notFoundH1: 'Sidan finns inte',
  },
  en: {
    nav: 'Find education',
    searchH1: 'Find education',
    submit: 'Search',
    count: (n) => `${n} offerings`,
    facts: ['Provider', 'Form of study', 'Credits', 'Period', 'Study site', 'Mandatory meetings'],
    travel: (home) => `Travel per term from ${home}`,
    centreFrom: (home) => `Nearest learning centre from ${home}:`,
    centre: (home, centre, town) => `Nearest learning centre from ${home}: ${centre} in ${town}, in your municipality.`,
    pageOf: (n, of) => `Page ${n} of ${of}`,
    pathwayH1: { sjukskoterska: 'Become a nurse from', larare: 'Become a teacher from', socionom: 'Become a social worker from' },
    pathwayCols: { travel: 'Travel per term', days: 'Travel days per term', closes: 'Application closes' },
    vfuHeading: 'Placements (VFU) close to home',
    vfu: /(placement sites? takes? .+ with a trained supervisor|has no placement site)/,
    entryHeading: 'Programmes that lead to the occupation',
    regionalH1: 'Education within reach in the region',
    regionalCols: ['Municipality', 'Teacher', 'Nurse', 'Social work'],
    notFoundH1: 'Page not found',
  },
};

export const OCCUPATIONS = ['larare', 'sjukskoterska', 'socionom'];

/** The search form's fields: id (= name) and option values that must be offered. */
export const SEARCH_FIELDS = {
  q: null,
  home: ['', '2422', '2521'],
  max_travel: ['', '0', '240'],
  area: ['', 'teacher', 'nurse', 'social_work'],
  school_type: ['', 'hs', 'yh', 'komvux', 'fhsk'],
  licence: ['', 'leads', 'requires'],
  level: ['', 'first_cycle', 'second_cycle'],
  pace: ['', 'full', 'part'],
  form: ['', 'distance', 'campus', 'blended'],
  // Terms in which some offering has not started yet (they depend on today's date).
  term: [''],
  sort: ['relevance', 'travel'],
};

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A hit's travel per term in minutes, from its text in whole hours: "cirka 11 timmars resor per
 *  termin" / "about 11 hours of travel a term" → 660, "cirka en timmes …" → 60, "inga resor" /
 *  "no travel" → 0; null when the text says none of these. */
export function minutes(text) {
  const t = norm(text);
  if (/^(inga resor|no travel)$/.test(t)) return 0;
  if (/^(cirka en timmes|about one hour)\b/.test(t)) return 60;
  const m = t.match(/^(?:cirka|about) (\d[\d ,]*) (?:timmars|hours)\b/);
  return m ? Number(m[1].replace(/\D/g, '')) * 60 : null;
}

/** The number in #results-count ("34 utbildningar", "302 offerings"); null if there is none. */
export async function resultCount(page) {
  const h2 = page.locator('#results #results-count');
  if ((await h2.count()) === 0) return null;
  const m = (await textOf(h2)).match(/^(\d[\d ,]*) /);
  return m ? Number(m[1].replace(/\D/g, '')) : null;
}

/**
 * The hits shown in #results, read in one evaluation: [{ id, title, facts: { dt: dd } }] with
 * texts whitespace-normalised.
 */
export function readHits(page) {
  return page.evaluate(() => {
    const n = (s) => (s ?? '').replace(/\s+/gu, ' ').trim();
    return [...document.querySelectorAll('#results ol.hits > li.hit')].map((li) => {
      const facts = {};
      for (const dt of li.querySelectorAll('dl > dt')) {
        const dd = dt.nextElementSibling;
        facts[n(dt.textContent)] = dd && dd.tagName === 'DD' ? n(dd.textContent) : null;
      }
      return { id: li.dataset.id ?? null, title: n(li.querySelector('h3')?.textContent), facts };
    });
  });
}

/** What a person sees of a search: URL query, count, hits, page line. */
export async function searchSnapshot(page) {
  const url = new URL(page.url());
  return {
    count: await resultCount(page),
    hits: await readHits(page),
    pageText: norm(await page.locator('#results nav.pagination > p').first().textContent().catch(() => '')),
    params: Object.fromEntries(url.searchParams),
  };
}

/** GET /api/v1/offerings with `params`; resolves to its JSON (total, page, pages, hits). */
export async function apiSearch(baseURL, params) {
  const url = new URL('/api/v1/offerings', baseURL);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url.pathname}${url.search}`);
  return res.json();
}

/** `/utbildning?…` for `params` (what the search form submits, empty fields left out). */
export function searchPath(params) {
  return `/utbildning?${new URLSearchParams(params)}`;
}

/** The rows of the first table in main: { head: [th texts], rows: [[cell texts]], links: [[hrefs per cell]] }. */
export function readTable(page) {
  return page.evaluate(() => {
    const n = (s) => (s ?? '').replace(/\s+/gu, ' ').trim();
    const table = document.querySelector('main table');
    if (!table) return null;
    const cells = (tr) => [...tr.children];
    return {
      caption: n(table.querySelector('caption')?.textContent),
      head: [...table.querySelectorAll('thead th')].map((th) => n(th.textContent)),
      rows: [...table.querySelectorAll('tbody tr')].map((tr) => cells(tr).map((c) => n(c.textContent))),
      links: [...table.querySelectorAll('tbody tr')].map((tr) =>
        cells(tr).map((c) => [...c.querySelectorAll('a')].map((a) => a.getAttribute('href')))),
    };
  });
}

const isSorted = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);

// ---------------------------------------------------------------------------------------------
// Content checks for PAGES (lib/pages.js): functions (page, lang, suite) => Promise<void>.

/** Names a check (its name is the test's title in pages.test.js). */
function named(name, fn) {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/** The header's menu links to /utbildning, "Hitta utbildning" / "Find education" (every page). */
export async function catalogueNavLink(page, lang) {
  const link = page.locator('header nav a[href="/utbildning"]');
  assert.equal(await link.count(), 1, 'the menu (header nav) should have one link to /utbildning');
  assert.equal(await textOf(link), C[lang].nav, 'text of the menu link to /utbildning');
}

/** The search form: GET /utbildning, role=search, every field labelled and offering its values. */
export async function searchForm(page, lang) {
  const form = page.locator('main form[role="search"]');
  assert.equal(await form.count(), 1, 'one form[role=search] in main');
  assert.equal((await form.getAttribute('method'))?.toLowerCase(), 'get', 'search form method');
  assert.equal(await form.getAttribute('action'), '/utbildning', 'search form action');
  const fields = await form.evaluate((f, ids) => ids.map((id) => {
    const el = f.querySelector(`#${id}`);
    const label = el ? f.querySelector(`label[for="${id}"]`) : null;
    return {
      id,
      tag: el?.tagName.toLowerCase() ?? null,
      name: el?.getAttribute('name') ?? null,
      label: (label?.textContent ?? '').trim(),
      options: el?.tagName === 'SELECT' ? [...el.options].map((o) => o.value) : null,
    };
  }), Object.keys(SEARCH_FIELDS));
  for (const f of fields) {
    assert.ok(f.tag, `search form: #${f.id} missing`);
    assert.equal(f.name, f.id, `search form: #${f.id} should be named "${f.id}"`);
    assert.ok(f.label.length > 0, `search form: #${f.id} has no <label for>`);
    const want = SEARCH_FIELDS[f.id];
    if (want) {
      assert.equal(f.tag, 'select', `search form: #${f.id} should be a select`);
      for (const v of want) assert.ok(f.options.includes(v), `#${f.id} should offer value "${v}", offers ${JSON.stringify(f.options)}`);
      if (f.id === 'term') assert.ok(f.options.length >= 2, `#term should offer a term, offers ${JSON.stringify(f.options)}`);
    }
  }
  assert.equal(await textOf(form.locator('button[type="submit"]')), C[lang].submit, 'submit button text');
}

/** The three export links of #results, as absolute URLs by kind (csv, xlsx, ics). */
export async function exportLinks(page) {
  const hrefs = await page.locator('#results a[href^="/utbildning/export/"]').evaluateAll(
    (as) => as.map((a) => a.href));
  const byKind = {};
  for (const href of hrefs) {
    const kind = new URL(href).pathname.match(/\.(csv|xlsx|ics)$/)?.[1];
    if (kind) byKind[kind] = href;
  }
  return { hrefs, byKind };
}

/** Every hit: a title (h3) and the six facts; `home` given: the travel fact in "N min (…)". */
function assertHitFacts(hits, lang, home) {
  for (const h of hits) {
    assert.ok(h.id, 'hit without data-id');
    assert.ok(h.title.length > 0, `hit ${h.id}: empty h3`);
    for (const dt of C[lang].facts) {
      assert.ok(h.facts[dt]?.length > 0, `hit ${h.id} "${h.title}": fact "${dt}" missing or empty; has ${JSON.stringify(h.facts)}`);
    }
    const travel = h.facts[C[lang].travel(home ?? 'Sorsele')];
    if (home) {
      assert.ok(travel, `hit ${h.id}: no "${C[lang].travel(home)}"; facts ${JSON.stringify(h.facts)}`);
      assert.match(travel, /^(cirka .+ resor per termin|inga resor|about .+ of travel a term|no travel)$/, `hit ${h.id}: travel in hours "${travel}"`);
    } else {
      assert.equal(travel, undefined, `hit ${h.id}: travel shown without a home municipality`);
    }
  }
}

/** /utbildning without parameters: the form, every offering counted, 20 hits, next page, exports. */
export const searchPageContent = named('search form and all offerings', async (page, lang, suite) => {
  await searchForm(page, lang);
  const api = await apiSearch(suite.baseURL, {});
  assert.ok(api.total >= 300, `the demo catalogue should hold 300+ offerings, the API says ${api.total}`);
  assert.equal(await textOf(page.locator('#results h2#results-count')), C[lang].count(api.total), '#results-count');
  const hits = await readHits(page);
  assert.equal(hits.length, api.hits.length, 'hits on page 1 (as many as the API gives per page)');
  assert.deepEqual(hits.map((h) => h.id), api.hits.map((h) => h.id), 'hits on page 1: the API\'s, in its order');
  assertHitFacts(hits, lang, null);
  assert.equal(await page.locator('#results .centre').count(), 0, 'no nearest learning centre without a home');
  const next = page.locator('#results a[rel="next"]');
  assert.equal(await next.count(), 1, 'one rel=next link');
  const nextURL = new URL(await next.getAttribute('href'), page.url());
  assert.equal(nextURL.pathname, '/utbildning');
  assert.equal(nextURL.searchParams.get('page'), '2', 'rel=next goes to page=2');
  assert.equal(await page.locator('#results a[rel="prev"]').count(), 0, 'no rel=prev on page 1');
  assert.equal(
    norm(await page.locator('#results nav.pagination p').textContent()),
    C[lang].pageOf(1, api.pages),
  );
  const { byKind, hrefs } = await exportLinks(page);
  assert.deepEqual(Object.keys(byKind).sort(), ['csv', 'ics', 'xlsx'], `export links: ${hrefs}`);
});

/** /utbildning?q=sjuksköterska&home=2422&sort=travel: the API's hits, with Sorsele's travel. */
export const searchResultsContent = named('results for sjuksköterska from Sorsele', async (page, lang, suite) => {
  const params = { q: 'sjuksköterska', home: '2422', sort: 'travel' };
  assert.equal(await page.inputValue('#q'), params.q, '#q keeps the query');
  assert.equal(await page.inputValue('#home'), params.home, '#home keeps the home');
  assert.equal(await page.inputValue('#sort'), params.sort, '#sort keeps the order');
  const api = await apiSearch(suite.baseURL, params);
  assert.ok(api.total > 0, 'the API finds sjuksköterska');
  assert.equal(await resultCount(page), api.total, `#results-count, as GET /api/v1/offerings?${new URLSearchParams(params)}`);
  const hits = await readHits(page);
  assert.deepEqual(hits.map((h) => h.id), api.hits.map((h) => h.id), 'hits on page 1: the API\'s, in its order');
  assertHitFacts(hits, lang, 'Sorsele');
  for (const h of hits) assert.match(h.title, /sjukskötersk/i, `hit ${h.id}`);
  const centreText = await textOf(page.locator('#results p.centre'));
  assert.ok(centreText.startsWith(C[lang].centre('Sorsele', 'Lärcentrum Sorsele', 'Sorsele')), `nearest learning centre: ${centreText}`);
  assert.match(centreText, lang === 'en' ? /Study places: \d+/ : /Studieplatser: \d+/, 'the centre\'s services');
  const { byKind } = await exportLinks(page);
  for (const [kind, href] of Object.entries(byKind)) {
    const sp = new URL(href).searchParams;
    for (const [k, v] of Object.entries(params)) assert.equal(sp.get(k), v, `${kind} export link: ${k}`);
  }
});

/** /utbildning?home=9999: an error list (role=alert) naming the field by its label, in the
 * page's language, no hits. */
export const searchErrorContent = named('error naming home', async (page) => {
  const alert = page.locator('main [role="alert"]');
  assert.equal(await alert.count(), 1, 'one role=alert in main');
  const text = await textOf(alert);
  const lang = await page.locator('html').getAttribute('lang');
  const want = lang === 'en' ? /Home municipality: “9999” is not a valid kommunkod/ : /Hemkommun: ”9999” är ingen giltig kommunkod/;
  assert.match(text, want, `the error should name the field "home" by its label: "${text}"`);
  assert.equal(await page.locator('main li.hit').count(), 0, 'no hits with an invalid parameter');
  assert.equal(await page.locator('main form[role="search"]').count(), 1, 'the search form is still shown');
});

/** The programme cards of a pathway page: [{ title, minutes (null when unknown), days, further }]. */
export async function pathwayCards(page) {
  return page.locator('main ol.cards > li.card').evaluateAll((cards) => cards.map((c) => ({
    title: c.querySelector('h3')?.textContent.trim() ?? '',
    minutes: c.dataset.travelMinutes === '' ? null : Number(c.dataset.travelMinutes),
    days: Number(c.dataset.travelDays),
    further: !!c.closest('section')?.querySelector('#further-heading'),
  })));
}

/** A pathway page: the way in first (by travel), then further education; the learning centre,
 *  VFU at home from the registry, links to the other two occupations. */
export function pathwayContent(occupation, code, name) {
  return named(`pathway ${occupation} from ${name}`, async (page, lang) => {
    const t = C[lang];
    assert.equal(await textOf(page.locator('h1')), `${t.pathwayH1[occupation]} ${name}`);
    assert.equal(await textOf(page.locator('#entry-heading')), t.entryHeading);
    const cards = await pathwayCards(page);
    const entry = cards.filter((c) => !c.further);
    assert.ok(entry.length > 0, 'at least one programme into the occupation');
    const firstFurther = cards.findIndex((c) => c.further);
    assert.ok(firstFurther === -1 || cards.slice(firstFurther).every((c) => c.further), 'further education after the way in');
    const mins = entry.map((c) => c.minutes ?? Number.MAX_SAFE_INTEGER);
    assert.ok(isSorted(mins), `the way in should be sorted by travel per term: ${mins}`);
    for (const c of cards) assert.ok(Number.isInteger(c.days), `card "${c.title}": travel days`);
    const travel = await page.locator('main li.card .card-travel').allTextContents();
    for (const x of travel) assert.doesNotMatch(x, /\d\s*min\b/, `travel in hours and days, not minutes: "${x}"`);
    const centre = await textOf(page.locator('main p.centre'));
    assert.ok(centre.startsWith(`${t.centreFrom(name)} `), `nearest learning centre line: "${centre}"`);

    const vfu = page.locator(`xpath=//main//h2[normalize-space()="${t.vfuHeading}"]`);
    assert.equal(await vfu.count(), 1, `an h2 "${t.vfuHeading}"`);
    const vfuText = norm(await vfu.evaluate((h) => h.nextElementSibling?.textContent));
    assert.match(vfuText, t.vfu, `the VFU section gives the registry's figures: "${vfuText}"`);

    for (const other of OCCUPATIONS.filter((o) => o !== occupation)) {
      const href = `/utbildning/bli/${other}/${code}`;
      const link = page.locator(`main a[href="${href}"]`);
      assert.ok((await link.count()) >= 1, `a link to ${href}`);
      assert.ok((await textOf(link.first())).length > 0, `the link to ${href} has no text`);
    }
  });
}

/** /utbildning/regionen: 17 municipalities × three counts, each linking to its pathway page. */
export const regionalContent = named('17 municipalities with counts linking to pathways', async (page, lang) => {
  assert.equal(await page.inputValue('#days'), '4', '#days is 4 by default');
  const table = await readTable(page);
  assert.ok(table, 'a table in main');
  assert.deepEqual(table.head, C[lang].regionalCols, 'columns');
  assert.equal(table.rows.length, 17, 'one row per participating municipality');
  const codes = new Set();
  table.links.forEach((cells, i) => {
    const row = table.rows[i];
    const code = cells[0][0]?.match(/^\/kommun\/(\d{4})$/)?.[1];
    assert.ok(code, `row ${JSON.stringify(row)}: first cell should link to /kommun/{code}, links ${JSON.stringify(cells[0])}`);
    codes.add(code);
    OCCUPATIONS.forEach((occ, j) => {
      assert.deepEqual(cells[j + 1], [`/utbildning/bli/${occ}/${code}`], `row ${row[0]}: column ${j + 2} link`);
      assert.match(row[j + 1], /^\d+$/, `row ${row[0]}: column ${j + 2} should be a count`);
    });
  });
  assert.equal(codes.size, 17, 'distinct municipalities');
  for (const code of ['2422', '2521']) assert.ok(codes.has(code), `${code} in the regional table`);
});

/** /utbildning/regionen?days=x: the error next to the field, tied to it. */
export const regionalErrorContent = named('error next to the days field', async (page) => {
  const input = page.locator('#days');
  assert.equal(await input.getAttribute('aria-invalid'), 'true', '#days aria-invalid');
  const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
  assert.ok(describedBy, '#days should have aria-describedby pointing at its error');
  const error = page.locator(`[id="${describedBy.split(/\s+/)[0]}"]`);
  assert.equal(await error.count(), 1, `the error #${describedBy}`);
  assert.match(await textOf(error), /\bdays\b/, 'the error names the field');
  const sameForm = await error.evaluate((e) => {
    const f = document.querySelector('#days').form;
    return !!f && f.contains(e) && !!(document.querySelector('#days').compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(sameForm, 'the error should follow the field in its form');
});
