// The competence-supply forecast's pages in a real browser:
//
// - every forecast page in Swedish and English: status, h1, the demo-data label, and zero axe
//   violations (WCAG 2.1 A/AA);
// - the municipality page's chart has a text alternative (role="img", title and desc) and the
//   same numbers as a table with a caption; the map has a legend and a table alternative;
// - the scenario view: "+N local VFU students a year" recomputed side by side;
// - the HR planner of Sorsele saves the inputs: first an error that names the field (without
//   JavaScript), then a valid save (with htmx); the page in its error state passes axe;
// - the regional coordinator creates a cluster (an error first) and sees its summed view.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LANGS, assertNoAxeViolations, norm, textOf, useSuite, withLang } from '../lib/harness.js';
import { runCli, signIn, submit, waitForH1 } from '../lib/accounts.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_NOTICE } from '../lib/pages.js';

const suite = useSuite();

const PAGES = [
  { path: '/prognos', h1: { sv: 'Kompetensförsörjning – prognos', en: 'Competence supply – forecast' } },
  { path: '/prognos/karta', h1: { sv: 'Rekryteringsbehov per 1 000 invånare', en: 'Recruitment need per 1,000 inhabitants' } },
  { path: '/prognos/kommun/2422/2343', h1: { sv: 'Förskollärare i Sorsele', en: 'Förskollärare in Sorsele' } },
  { path: '/prognos/kommun/2523/2221', h1: { sv: 'Grundutbildade sjuksköterskor i Gällivare', en: 'Grundutbildade sjuksköterskor in Gällivare' } },
  { path: '/prognos/kluster/sodra-lappland', h1: { sv: 'Kluster: Södra Lappland', en: 'Cluster: Södra Lappland' } },
];

const FORECAST_DEMO = { sv: 'genererade demouppgifter', en: 'generated demo data' };

async function open(page, path, lang = 'sv', status = 200) {
  const res = await page.goto(withLang(path, lang));
  assert.equal(res.status(), status, `GET ${path}`);
  return res;
}

async function signedIn(key, { js = true, lang = 'sv' } = {}) {
  const ctx = await suite.newContext({ javaScriptEnabled: js });
  const page = await ctx.newPage();
  await signIn(suite, page, suite.accounts[key], lang);
  return page;
}

/** The text an aria-labelledby attribute points at. */
async function labelledBy(page, selector) {
  const ids = (await page.locator(selector).getAttribute('aria-labelledby')).split(/\s+/u);
  const parts = [];
  for (const id of ids) parts.push(await textOf(page.locator(`[id="${id}"]`)));
  return parts;
}

describe('forecast pages in both languages', () => {
  for (const spec of PAGES) {
    for (const lang of LANGS) {
      it(`${spec.path} (${lang}): h1, demo label, zero axe violations`, async () => {
        const ctx = await suite.newContext();
        try {
          const page = await ctx.newPage();
          await open(page, spec.path, lang);
          assert.equal(await page.locator('html').getAttribute('lang'), lang);
          assert.equal(await textOf(page.locator('h1')), spec.h1[lang]);
          assert.ok((await textOf(page.locator('.demo-notice').first())).includes(DEMO_NOTICE[lang]), 'site-wide demo notice');
          assert.ok(norm(await page.locator('main').innerText()).includes(FORECAST_DEMO[lang]), 'the forecast says its inputs are demo data');
          await assertNoAxeViolations(page, `${spec.path} (${lang})`);
        } finally {
          await ctx.close();
        }
      });
    }
  }
});

describe('forecast: text alternatives', () => {
  it('the chart is an image with a title and a description, and its numbers are a table', async () => {
    const ctx = await suite.newContext();
    try {
      const page = await ctx.newPage();
      await open(page, '/prognos/kommun/2422/2343');
      const chart = page.locator('svg#forecast-chart');
      assert.equal(await chart.getAttribute('role'), 'img');
      const [title, desc] = await labelledBy(page, 'svg#forecast-chart');
      assert.equal(title, 'Förskollärare i Sorsele');
      assert.match(desc, /^Diagram 2027–2036\. Efterfrågan går från \d+,\d till \d+,\d personer\./u);
      const table = page.locator('table#forecast-flows');
      assert.match(await textOf(table.locator('caption')), /flöden per år/u);
      assert.equal(await table.locator('tbody tr').count(), 10, 'one row per year');
      const first = await textOf(table.locator('tbody tr').first().locator('td').first());
      assert.match(first, /^\d+,\d$/u, 'numbers rounded to one decimal');
      // The description's numbers are the table's.
      assert.ok(desc.includes(first), `${desc} mentions ${first}`);
    } finally {
      await ctx.close();
    }
  });

  it('the map has a legend and the same numbers as a table', async () => {
    const ctx = await suite.newContext();
    try {
      const page = await ctx.newPage();
      await open(page, '/prognos/karta', 'en');
      assert.equal(await page.locator('main svg[role="img"]').count(), 1);
      const [title] = await labelledBy(page, 'main svg[role="img"]');
      assert.equal(title, 'Recruitment need per 1,000 inhabitants');
      const desc = await textOf(page.locator(`[id="${await page.locator('main svg[role="img"]').getAttribute('aria-describedby')}"]`));
      assert.match(desc, /The table has the same figures/u);
      assert.equal(await page.locator('main svg[role="img"] .map-areas path').count(), 17, 'one shaded area per municipality');
      // Four classes of need, then the grey municipalities, seat towns and campus towns.
      assert.equal(await page.locator('ul.legend li').count(), 4 + 3);
      assert.equal(await page.locator('figcaption a[href="#forecast-map-table"]').count(), 1);
      assert.equal(await page.locator('table#forecast-map-table tbody tr').count(), 17);
    } finally {
      await ctx.close();
    }
  });
});

describe('forecast: key figures imported with the CLI', () => {
  it('kkig import kolada: the values are shown with the forecast, and the page passes axe', async () => {
    const file = join(suite.server.tmp, 'kolada.json');
    await writeFile(file, JSON.stringify({ count: 1, values: [
      { kpi: 'N00914', municipality: '2422', period: 2024, values: [{ gender: 'T', value: 12.34 }, { gender: 'K', value: 13 }] },
    ] }));
    const out = await runCli(suite.server, ['import', 'kolada', file]);
    assert.match(out, /2 key-figure values imported/u);
    const ctx = await suite.newContext();
    try {
      const page = await ctx.newPage();
      for (const lang of LANGS) {
        // The running server reads the data version again within 5 s and then shows what the
        // command line imported (docs/operations.md): reload until then, as a person would.
        const deadline = Date.now() + 10_000;
        for (;;) {
          await open(page, '/prognos/kommun/2422/2343', lang);
          if ((await page.locator('table#forecast-kolada tbody tr').count()) > 0 || Date.now() > deadline) break;
          await page.waitForTimeout(500);
        }
        const cells = (await page.locator('table#forecast-kolada tbody tr').first().locator('th, td').allTextContents()).map(norm);
        assert.deepEqual(cells, ['N00914', '2024', lang === 'sv' ? '12,3' : '12.3']);
        await assertNoAxeViolations(page, `key figures (${lang})`);
      }
    } finally {
      await ctx.close();
    }
  });
});

describe('forecast: scenarios side by side', () => {
  it('"+N local VFU students a year" is recomputed next to the baseline and the other scenarios', async () => {
    const ctx = await suite.newContext();
    try {
      const page = await ctx.newPage();
      await open(page, '/prognos/kommun/2523/2221');
      const heads = async () => (await page.locator('table#forecast-scenarios thead th').allTextContents()).map(norm);
      assert.deepEqual(await heads(), ['Summa över tio år', 'Nuläge', '+2 lokala VFU-studenter per år', 'Pensionsålder 67', 'Avgångar −1 procentenhet']);
      await page.fill('#extra', '6');
      await Promise.all([
        page.waitForFunction(() => document.querySelector('table#forecast-scenarios thead')?.textContent.includes('+6 lokala')),
        page.locator('#scenarier form button[type="submit"]').click(),
      ]);
      assert.equal((await heads())[2], '+6 lokala VFU-studenter per år');
      const external = (await page.locator('table#forecast-scenarios tbody tr').nth(2).locator('td').allTextContents()).map((t) => Number(norm(t).replace(',', '.').replace('−', '-')));
      assert.ok(external[1] <= external[0], `more local students never raise the external need: ${external}`);
      await assertNoAxeViolations(page, 'scenario view');
      // A number that is not one: the field says so, and the default 2 is shown meanwhile.
      await open(page, '/prognos/kommun/2523/2221?extra=m%C3%A5nga', 'en');
      assert.equal(await textOf(page.locator('#extra-error')), 'More local VFU students a year: write a number between 0 and 100; the scenario shows 2 until then.');
      assert.equal(await page.locator('#extra').getAttribute('aria-invalid'), 'true');
      assert.equal((await heads())[2], '+2 local VFU students a year');
      await assertNoAxeViolations(page, 'scenario view with an error');
    } finally {
      await ctx.close();
    }
  });
});

describe('forecast: the HR planner of Sorsele edits the inputs', () => {
  it('without JavaScript: an error names the field (and the page passes axe in that state)', { timeout: 60_000 }, async () => {
    const page = await signedIn('muni_a', { js: false });
    try {
      await open(page, '/prognos/kommun/2422/2341');
      await page.fill('#completion_share', '1,5');
      const res = await submit(page, page.locator('#inmatning form button[type="submit"]'), () => waitForH1(page, 'Grundskollärare i Sorsele'));
      assert.equal(res.status(), 422);
      const summary = page.locator('.error-summary');
      assert.equal(await summary.getAttribute('role'), 'alert');
      assert.equal(await textOf(summary.locator('a[href="#completion_share"]')), 'Andel som tar examen: skriv ett tal mellan 0 och 1, t.ex. 0,8.');
      assert.equal(await textOf(page.locator('#completion_share-error')), 'Andel som tar examen: skriv ett tal mellan 0 och 1, t.ex. 0,8.');
      assert.equal(await page.locator('#completion_share').getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#completion_share').getAttribute('aria-describedby'), /\bcompletion_share-error\b/u);
      assert.equal(await page.locator('#completion_share').inputValue(), '1,5', 'what was typed is kept');
    } finally {
      await page.context().close();
    }
    // axe runs scripts in the page, so the same error state is checked with JavaScript on.
    const js = await signedIn('muni_a');
    try {
      await open(js, '/prognos/kommun/2422/2341');
      await js.fill('#completion_share', '1,5');
      await submit(js, js.locator('#inmatning form button[type="submit"]'), () => js.locator('#completion_share-error').waitFor());
      await assertNoAxeViolations(js, 'input form with an error (sv)');
    } finally {
      await js.context().close();
    }
  });

  it('with htmx: a valid save updates the forecast', { timeout: 60_000 }, async () => {
    const page = await signedIn('muni_a', { lang: 'en' });
    try {
      await open(page, '/prognos/kommun/2422/2341', 'en');
      await page.fill('#staff', '35;4\n62;3');
      await page.fill('#vacancies', '2');
      await page.fill('#staff', '35;4\n62;3\n12;1');
      const bad = await submit(page, page.locator('#inmatning form button[type="submit"]'), () => page.locator('#staff-error').waitFor());
      assert.equal(bad.status(), 422);
      assert.match(await textOf(page.locator('#staff-error')), /^Staff by age, line 3: /u);
      await assertNoAxeViolations(page, 'input form with an error (en)');
      await page.fill('#staff', '35;4\n62;3');
      await submit(page, page.locator('#inmatning form button[type="submit"]'), () => page.locator('p.success').waitFor());
      assert.equal(await textOf(page.locator('p.success')), 'The inputs are saved and the forecast updated.');
      const staff = page.locator('xpath=//main//dt[normalize-space()="Staff at the start of the base year"]/following-sibling::dd[1]');
      assert.equal(await textOf(staff), '7.0');
    } finally {
      await page.context().close();
    }
  });

  it('another municipality sees no form', { timeout: 60_000 }, async () => {
    const page = await signedIn('muni_b');
    try {
      await open(page, '/prognos/kommun/2422/2341');
      assert.equal(await page.locator('#inmatning').count(), 0);
    } finally {
      await page.context().close();
    }
  });
});

describe('forecast: the regional coordinator makes a cluster', () => {
  it('an error names the field, then the cluster is shown summed', { timeout: 60_000 }, async () => {
    const page = await signedIn('regional');
    try {
      await open(page, '/prognos');
      await page.fill('#cluster-name', 'Norrbottens inland');
      const bad = await submit(page, page.locator('main form[action="/prognos/kluster"] button[type="submit"]'), () => page.locator('#cluster-members-error').waitFor());
      assert.equal(bad.status(), 422);
      assert.equal(await textOf(page.locator('#cluster-members-error')), 'Kommuner i klustret: välj minst en kommun.');
      await assertNoAxeViolations(page, 'cluster form with an error');
      for (const code of ['2506', '2505', '2510']) await page.check(`#m-${code}`);
      await submit(page, page.locator('main form[action="/prognos/kluster"] button[type="submit"]'), () => waitForH1(page, 'Kluster: Norrbottens inland'));
      const rows = (await page.locator('main table').first().locator('tbody th').allTextContents()).map(norm);
      assert.deepEqual(rows, ['Arjeplog', 'Arvidsjaur', 'Jokkmokk']);
      await assertNoAxeViolations(page, 'new cluster');
    } finally {
      await page.context().close();
    }
  });
});
