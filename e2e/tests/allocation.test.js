// The allocation page ("Kör fördelning", docs/allocation.md "In the product") in a real browser,
// one story in order, by LTU's university coordinator on a demo period (every form is a plain
// POST that htmx only enhances; axe needs JavaScript, so the browser runs it):
//
// - the student account is put on the period, so that a signed-in student can see the result;
// - the page opens from the period page; a bad rule is named next to its field (422);
// - "Kör fördelning" runs the proposal; the student is locked to a site — first without a
//   reason (refused, the field named), then with one; the next run keeps the lock;
// - the publishing step shows what will change, publishes, and shows the report;
// - the student sees the offered placement on /vfu/min;
// - every state in Swedish and English: h1 and zero axe violations (WCAG 2.1 A/AA).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LANGS, assertNoAxeViolations, norm, textOf, useSuite } from '../lib/harness.js';
import { submit } from '../lib/accounts.js';
import { openPage as open, signedInAs, waitForHeading as waitForH1 } from '../lib/flows.js';
import { DEMO_NOTICE } from '../lib/pages.js';

const suite = useSuite();
const signedIn = (key, options) => signedInAs(suite, key, options);

/** What the story found and made, for the later steps. */
const made = {};

/** Submits the form with `action` by its submit button and waits for the h1 of the next page. */
async function post(page, action, h1) {
  return submit(page, page.locator(`main form[action="${action}"] button[type="submit"]`).first(), () => waitForH1(page, h1));
}

const h1 = (page) => textOf(page.locator('h1'));
const mainText = async (page) => norm(await page.locator('main').innerText());

/** Zero axe violations and the demo notice, in the language the page is shown in. */
async function checkState(page, label, lang) {
  await assertNoAxeViolations(page, `${label} (${lang})`);
  assert.match(norm(await page.locator('.demo-notice').innerText()), new RegExp(DEMO_NOTICE[lang]));
}

/** The page's current URL in the other languages too: axe for each. */
async function everyLanguage(page, label) {
  const path = new URL(page.url()).pathname;
  for (const lang of LANGS) {
    await open(page, path, lang);
    await checkState(page, label, lang);
  }
  await open(page, path, 'sv');
}

describe('Allocation: the university coordinator of LTU', () => {
  it('puts the student account on a demo period', async () => {
    const page = await signedIn('university');
    const student = suite.accounts.student;
    try {
      await open(page, '/vfu/larosate/LTU');
      const link = page.locator('main table tbody tr th a[href^="/vfu/larosate/LTU/perioder/"]').first();
      made.periodPath = await link.getAttribute('href');
      const periodH1 = norm(await page.locator('main table tbody tr').first().locator('th').innerText());
      await link.click();
      await page.waitForURL((u) => u.pathname === made.periodPath);
      made.periodH1 = await h1(page);
      assert.match(made.periodH1, new RegExp(periodH1));
      await page.locator('main a', { hasText: 'Lägg till student' }).click();
      await page.waitForURL((u) => u.pathname === `${made.periodPath}/studenter/ny`);
      await page.fill('#f-name', student.name);
      await page.fill('#f-email', student.email);
      await page.selectOption('#f-home_municipality', '2580');
      await post(page, `${made.periodPath}/studenter/ny`, made.periodH1);
      assert.equal(await page.locator('main table tbody tr', { hasText: student.name }).count(), 1);
    } finally {
      await page.context().close();
    }
  });

  it('opens the allocation from the period page; a bad rule is named next to its field', async () => {
    const page = await signedIn('university');
    try {
      await open(page, made.periodPath);
      await page.locator('main a', { hasText: 'Fördelning av studenter till platser' }).click();
      made.base = `${made.periodPath}/fordelning`;
      await page.waitForURL((u) => u.pathname === made.base);
      made.h1 = await h1(page);
      assert.match(made.h1, /^Fördelning – VFU-period /);
      const text = await mainText(page);
      assert.match(text, /Förslaget räknas fram på nytt varje gång sidan visas/);
      assert.match(text, /Placerade i hemkommunen/);
      // The travel distribution is a table with a caption and a row per bucket.
      assert.equal(await page.locator('main table.travel tbody tr').count(), 6);
      await everyLanguage(page, 'allocation page');

      await page.fill('#f-speed_kmh', '-5');
      const bad = await post(page, `${made.base}/regler`, made.h1);
      assert.equal(bad.status(), 422);
      assert.equal(await page.locator('.error-summary').getAttribute('role'), 'alert');
      assert.match(await textOf(page.locator('.error-summary a[href="#f-speed_kmh"]')), /^Medelhastighet \(km\/h\): ange ett tal större än 0/);
      assert.equal(await page.locator('#f-speed_kmh').getAttribute('aria-invalid'), 'true');
      await checkState(page, 'allocation page, rules error', 'sv');
      await open(page, made.base, 'en');
      await page.fill('#f-speed_kmh', 'fast');
      const badEn = await post(page, `${made.base}/regler`, (await h1(page)));
      assert.equal(badEn.status(), 422);
      assert.match(await textOf(page.locator('#f-speed_kmh-error')), /^Average speed \(km\/h\): enter a number above 0/);
      await checkState(page, 'allocation page, rules error', 'en');
    } finally {
      await page.context().close();
    }
  });

  it('runs, locks the student with a reason (refused without one), and runs again', async () => {
    const page = await signedIn('university');
    const student = suite.accounts.student;
    try {
      await open(page, made.base);
      await post(page, made.base, made.h1);
      assert.match(await textOf(page.locator('main p.success')), /^Fördelningen är körd/);

      const row = page.locator('main tr', { hasText: student.name });
      assert.equal(await row.count(), 1, 'the student is in the proposal, placed or not');
      await row.locator('a', { hasText: 'Lås eller lås upp' }).click();
      await waitForH1(page, `Lås – ${student.name}`);
      made.studentPath = new URL(page.url()).pathname;
      await everyLanguage(page, 'student lock page');

      // A site that is not the proposed one, so that the lock visibly decides.
      const options = await page.locator('#lock-site option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent, selected: o.selected })));
      const choice = options.find((o) => o.value && !o.selected);
      assert.ok(choice, 'the site list offers sites');
      made.siteName = choice.label.replace(/ \([^)]*\)$/, '');
      made.siteMunicipality = (choice.label.match(/\(([^)]*)\)$/) ?? [])[1];
      await page.selectOption('#lock-site', choice.value);

      const bad = await post(page, `${made.studentPath}/las`, `Lås – ${student.name}`);
      assert.equal(bad.status(), 422);
      assert.equal(await textOf(page.locator('.error-summary a[href="#lock-reason"]')), 'Skäl till låset måste fyllas i.');
      assert.equal(await page.locator('#lock-reason').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#lock-site').inputValue(), choice.value, 'the chosen site is kept');
      await checkState(page, 'student lock page, reason missing', 'sv');

      await page.fill('#lock-reason', 'Har bil först från mars');
      await post(page, `${made.studentPath}/las`, made.h1);
      assert.match(await textOf(page.locator('main p.success')), /^Låset är sparat/);
      const locks = page.locator('main table', { has: page.locator('caption', { hasText: 'Studenter som är låsta för hand' }) });
      assert.match(norm(await locks.locator('tbody tr').first().innerText()), new RegExp(`${student.name}.*${made.siteName}.*Har bil först från mars.*${suite.accounts.university.name}`));

      // Run again: the lock holds.
      await post(page, made.base, made.h1);
      const placed = page.locator('main tr', { hasText: student.name }).first();
      const rowText = norm(await placed.innerText());
      assert.match(rowText, new RegExp(made.siteName));
      assert.match(rowText, /Låst för hand/);
      await everyLanguage(page, 'allocation page with a lock');
    } finally {
      await page.context().close();
    }
  });

  it('reviews what publishing changes and publishes', async () => {
    const page = await signedIn('university');
    try {
      await open(page, made.base);
      await page.locator('main a', { hasText: 'Granska och publicera' }).click();
      await waitForH1(page, 'Publicera fördelningen');
      const counts = await mainText(page);
      assert.match(counts, /Nya placeringar \d+/);
      assert.match(counts, new RegExp(`${suite.accounts.student.name} Ny placering ${made.siteName}`));
      await everyLanguage(page, 'publish confirmation');

      const res = await post(page, `${made.base}/publicera`, 'Fördelningen är publicerad');
      assert.equal(res.status(), 200);
      const report = await mainText(page);
      assert.match(report, /Vad publiceringen ändrade/);
      assert.doesNotMatch(report, /Nya placeringar 0 /, 'at least the student is new');
      await checkState(page, 'published report', 'sv');

      // Nothing left to publish.
      await open(page, made.base);
      assert.match(await mainText(page), /Det finns inget att publicera/);
      await open(page, made.base, 'en');
      await checkState(page, 'allocation page after publishing', 'en');
    } finally {
      await page.context().close();
    }
  });
});

describe('Allocation: the student sees the published placement', () => {
  it('on /vfu/min, offered, at the locked site', async () => {
    const page = await signedIn('student');
    try {
      await open(page, '/vfu/min');
      assert.equal(await h1(page), 'Min VFU');
      const placement = page.locator('main article.placement').first();
      assert.equal(await textOf(placement.locator('h3')), `${made.siteName}, ${made.siteMunicipality}`);
      assert.equal(await textOf(placement.locator('dd.status')), 'Erbjuden');
      await checkState(page, '/vfu/min after publishing', 'sv');
      await open(page, '/vfu/min', 'en');
      assert.equal(await textOf(page.locator('main article.placement dd.status').first()), 'Offered');
      await checkState(page, '/vfu/min after publishing', 'en');
    } finally {
      await page.context().close();
    }
  });
});

describe('Allocation: without JavaScript', () => {
  it('unlocking needs a reason too, then the lock is gone (plain POSTs)', async () => {
    const page = await signedIn('university', { js: false });
    const student = suite.accounts.student;
    try {
      await open(page, made.studentPath);
      await waitForH1(page, `Lås – ${student.name}`);
      const bad = await post(page, `${made.studentPath}/las-upp`, `Lås – ${student.name}`);
      assert.equal(bad.status(), 422);
      assert.equal(await textOf(page.locator('.error-summary a[href="#unlock-reason"]')), 'Skäl till att låsa upp måste fyllas i.');
      assert.equal(await page.locator('#unlock-reason').getAttribute('aria-invalid'), 'true');
      await page.fill('#unlock-reason', 'Publicerad, låset behövs inte längre');
      await post(page, `${made.studentPath}/las-upp`, made.h1);
      assert.match(await textOf(page.locator('main p.success')), /^Låset är borttaget/);
      assert.match(await mainText(page), /Inga studenter är låsta för hand\./);
    } finally {
      await page.context().close();
    }
  });
});
