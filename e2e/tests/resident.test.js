// A resident of Sorsele who wants to become a nurse, on a 375 px phone: from the start page to
// the basic nursing programme on the pathway page in at most three steps (choose, choose,
// show), the page fitting the phone, and its figures — VFU at home and the municipality's
// recruitment need — equal to what the VFU registry and the forecast hold, read from the JSON
// API independently of the page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoAxeViolations, assertReflows, norm, textOf, useSuite } from '../lib/harness.js';
import { signedInAs } from '../lib/flows.js';

const suite = useSuite();

/** The nursing occupations (SSYK) of the forecast's nurse area. */
const NURSE_SSYK = ['2221', '2222', '2224', '2225', '2227'];

describe('a resident finds the way to a programme from home', () => {
  it('"Sorsele, sjuksköterska" in three steps on a phone, with the registry\'s and the forecast\'s figures', async () => {
    // What the registry and the forecast hold, read through the API as Sorsele's coordinator.
    const staff = await signedInAs(suite, 'muni_a');
    let sites;
    let supervisors;
    let need = 0;
    try {
      const get = async (path) => {
        const res = await staff.request.get(`${suite.baseURL}${path}`);
        return res.ok() ? res.json() : null;
      };
      sites = await get('/api/v1/vfu/sites?municipality=2422');
      supervisors = await get('/api/v1/vfu/supervisors?municipality=2422');
      for (const ssyk of NURSE_SSYK) {
        const f = await get(`/api/v1/forecast/2422/${ssyk}`);
        if (f) need += f.totals.need;
      }
    } finally {
      await staff.context().close();
    }
    const isNurse = (f) => f === 'nurse' || f.startsWith('nurse:');
    const nurseSites = sites.filter((s) => s.fields.some(isNurse));
    const trainedAt = new Set(supervisors
      .filter((s) => s.training === 'completed' && s.fields.some(isNurse) && s.site_id)
      .map((s) => s.site_id));
    const trainedSites = nurseSites.filter((s) => trainedAt.has(s.id)).length;

    const ctx = await suite.newContext({ viewport: { width: 375, height: 812 } });
    try {
      const page = await ctx.newPage();
      await page.goto('/');
      // 1 and 2: what and where; 3: show the way.
      await page.selectOption('#become-area', 'sjukskoterska');
      await page.selectOption('#become-home', '2422');
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/utbildning/bli/sjukskoterska/2422'),
        page.locator('form.become-form button[type="submit"]').click(),
      ]);
      assert.equal(await textOf(page.locator('h1')), 'Bli sjuksköterska från Sorsele');
      const first = page.locator('main ol.cards > li.card').first();
      assert.match(await textOf(first.locator('h3')), /^Sjuksköterskeprogrammet$/, 'the basic programme comes first');
      assert.ok(await first.isVisible(), 'the first programme is on the page');

      const vfu = norm(await page.locator('xpath=//main//h2[@id="vfu-heading"]/following-sibling::p[1]').textContent());
      const atHome = nurseSites.length;
      assert.ok(atHome > 0, 'the demo registry has nurse placement sites in Sorsele');
      const sites1 = atHome === 1 ? 'en VFU-plats' : `${atHome} VFU-platser`;
      assert.ok(vfu.includes(`I Sorsele tar ${sites1} emot sjuksköterskestudenter, ${trainedSites} med utbildad handledare.`), vfu);

      const needText = norm(await page.locator('xpath=//main//h2[@id="need-heading"]/following-sibling::p[1]').textContent());
      const n = Math.round(need);
      const want = n === 0 ? 'inga sjuksköterskor' : n === 1 ? 'en sjuksköterska' : `cirka ${n} sjuksköterskor`;
      assert.ok(needText.startsWith(`Enligt prognosen behöver Sorsele rekrytera ${want} fram till `), needText);

      await assertReflows(page, 'the pathway page at 375 px', 375);
      await assertNoAxeViolations(page, 'the pathway page at 375 px');
    } finally {
      await ctx.close();
    }
  });
});
