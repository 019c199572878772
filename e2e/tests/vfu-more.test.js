// More of the VFU registry in a real browser, one story in order (its own server and database):
//
// - the municipality coordinator of Sorsele (2422), with htmx (axe needs JavaScript): saves a site with its
//   fields ticked (first with an error at the fields' fieldset), answers two terms' hosting
//   interest and deletes one of them with its "Ta bort" button; the contact form says what is
//   public;
// - the university coordinator of LTU puts the student account on a period four months ahead;
// - the student states wishes and needs on /vfu/min: the same site twice is
//   refused with the message at the second wish, then the wishes are saved and shown again;
// - the university offers a placement and the municipality confirms it: the compensation basis
//   shows it per university and term, filtered by term, with CSV and XLSX downloads; the
//   student's wishes are then closed;
// - every page of the story in Swedish and English: h1 and zero axe violations (WCAG 2.1 A/AA),
//   also in the states with errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LANGS, assertNoAxeViolations, norm, textOf, useSuite, withLang } from '../lib/harness.js';
import { submit } from '../lib/accounts.js';
import { openPage as open, signedInAs, waitForHeading as waitForH1 } from '../lib/flows.js';

const suite = useSuite();
const signedIn = (key, options) => signedInAs(suite, key, options);

const SITE = 'Kryssgårdens skola';
const COURSE = 'E2E7';
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const START = day(120);
const END = day(155);

/** What the story made, for the later steps. */
const made = {};

/** Submits `button` and waits for the h1 of the page shown next; resolves to the POST's response. */
function post(page, button, h1) {
  return submit(page, button, () => waitForH1(page, h1));
}

/** `VT 2027` / `HT 2027` for a YYYY-MM-DD date. */
function termLabel(date) {
  const [y, m] = date.split('-').map(Number);
  return `${m <= 7 ? 'VT' : 'HT'} ${y}`;
}
function termCode(date) {
  return termLabel(date).replace(' ', '');
}

/** Checks h1 and axe on the page as it is now. */
async function checked(page, want, label) {
  assert.equal(await page.locator('h1').count(), 1, `${label}: one h1`);
  assert.match(await textOf(page.locator('h1')), want, label);
  await assertNoAxeViolations(page, label);
}

describe('VFU: a site with its fields ticked, and its hosting answers (with htmx; the same forms without JavaScript are in the route tests)', () => {
  it('saves the site with checkboxes (an error first) and deletes a hosting answer', async () => {
    const page = await signedIn('muni_a');
    try {
      await open(page, '/vfu/kommun/2422/platser/ny');
      await page.fill('#f-name', SITE);
      await page.selectOption('#f-kind', 'school');
      // A school cannot take nurses: the error is at the fields' fieldset, the ticks are kept.
      await page.check('#f-field_teacher_f3');
      await page.fill('#f-subjects_teacher_f3', 'svenska, matematik');
      await page.check('#f-field_nurse');
      const bad = await post(page, page.locator('main form[action="/vfu/kommun/2422/platser/ny"] button[type="submit"]'), 'Ny VFU-plats i Sorsele');
      assert.equal(bad.status(), 422);
      assert.match(await textOf(page.locator('.error-summary a[href="#f-fields"]')), /^Områden: /);
      assert.match(await textOf(page.locator('#f-fields-error')), /^Områden: /);
      assert.match(await page.locator('fieldset#f-fields').getAttribute('aria-describedby'), /\bf-fields-error\b/);
      assert.ok(await page.locator('#f-field_nurse').isChecked(), 'the tick is kept');
      assert.equal(await page.locator('#f-subjects_teacher_f3').inputValue(), 'svenska, matematik');
      for (const lang of LANGS) {
        if (lang !== 'sv') {
          // The same form with its errors, in English.
          await page.goto(withLang('/vfu/kommun/2422/platser/ny', lang));
          await page.check('#f-field_nurse');
          await page.fill('#f-name', SITE);
          await submit(page, page.locator('main form[method="post"] button[type="submit"]').first(), () => page.locator('.error-summary').waitFor());
        }
        await checked(page, /Sorsele$/, `new site with errors (${lang})`);
      }

      await open(page, '/vfu/kommun/2422/platser/ny');
      await page.fill('#f-name', SITE);
      await page.selectOption('#f-kind', 'school');
      await page.check('#f-field_teacher_f3');
      await page.fill('#f-subjects_teacher_f3', 'svenska, matematik');
      await page.check('#f-field_teacher_4_6');
      await post(page, page.locator('main form[action="/vfu/kommun/2422/platser/ny"] button[type="submit"]'), `Ändra VFU-plats: ${SITE}`);
      made.sitePath = new URL(page.url()).pathname;
      made.siteId = made.sitePath.split('/').pop();
      assert.ok(await page.locator('#f-field_teacher_f3').isChecked() && await page.locator('#f-field_teacher_4_6').isChecked());
      assert.ok(!(await page.locator('#f-field_teacher_7_9').isChecked()));
      assert.equal(await page.locator('#f-subjects_teacher_f3').inputValue(), 'svenska, matematik');

      // Two terms' answers, then one deleted.
      const terms = await page.locator('#h-term option').evaluateAll((os) => os.map((o) => [o.value, o.textContent.trim()]));
      const rows = page.locator('#intresse table tbody tr');
      for (const [value, label] of terms.slice(1, 3)) {
        await page.selectOption('#h-term', value);
        await page.selectOption('#h-interest', 'maybe');
        await page.fill('#h-capacity', '1');
        await post(page, page.locator(`main form[action="${made.sitePath}/intresse"] button[type="submit"]`), `Ändra VFU-plats: ${SITE}`);
        // The h1 is the same before and after: with htmx the page is swapped after the POST's
        // answer arrives, so wait for the term's row before filling the form again.
        await rows.locator('th', { hasText: label }).waitFor();
      }
      assert.equal(await rows.count(), 2);
      const [gone, gonelabel] = terms[1];
      const kept = terms[2][1];
      made.deleteAction = `${made.sitePath}/intresse/${gone}/ta-bort`;
      const button = page.locator(`#intresse form[action="${made.deleteAction}"] button`);
      assert.equal(await textOf(button), `Ta bort – ${gonelabel}`, 'its accessible name names the term');
      const del = await post(page, button, `Ändra VFU-plats: ${SITE}`);
      assert.equal(del.status(), 303);
      await rows.nth(1).waitFor({ state: 'detached' });
      assert.equal(await rows.count(), 1, 'one answer left');
      assert.equal(await textOf(rows.first().locator('th')), kept);
      assert.equal(await textOf(page.locator('main .success')), 'Ändringarna är sparade.');
      for (const lang of LANGS) {
        await open(page, made.sitePath, lang);
        await checked(page, new RegExp(`${SITE}$`), `site page (${lang})`);
      }
    } finally {
      await page.context().close();
    }
  });

  it('the contact form says what is public', async () => {
    const page = await signedIn('muni_a');
    try {
      await open(page, '/vfu/kommun/2422');
      assert.equal(await textOf(page.locator('#contact-public-notice')),
        'Namn, titel, e-post och telefon visas på kommunens offentliga sida Vem gör vad.');
      assert.equal(await page.locator('main a[href="/vfu/kommun/2422/ersattning"]').count(), 1, 'the compensation basis is linked');
      await open(page, '/vfu/kommun/2422', 'en');
      assert.equal(await textOf(page.locator('#contact-public-notice')),
        "Name, title, e-mail and phone are shown on the municipality's public page Who does what.");
    } finally {
      await page.context().close();
    }
  });
});

describe('VFU: the student states wishes and needs (with htmx; the same forms without JavaScript are in the route tests)', () => {
  it('the university puts the student on a period', async () => {
    const page = await signedIn('university');
    const student = suite.accounts.student;
    try {
      await open(page, '/vfu/larosate/LTU/perioder/ny');
      await page.fill('#f-programme', 'Grundlärarprogrammet F-3');
      await page.fill('#f-course_code', COURSE);
      await page.selectOption('#f-field', 'teacher_f3');
      await page.fill('#f-start', START);
      await page.fill('#f-end', END);
      await page.fill('#f-students', '8');
      await post(page, page.locator('main form[action="/vfu/larosate/LTU/perioder/ny"] button[type="submit"]'), `VFU-period ${COURSE}, ${termLabel(START)}`);
      made.periodPath = new URL(page.url()).pathname;
      await open(page, `${made.periodPath}/studenter/ny`);
      await page.fill('#f-name', student.name);
      await page.fill('#f-email', student.email);
      await page.selectOption('#f-home_municipality', '2422');
      await post(page, page.locator(`main form[action="${made.periodPath}/studenter/ny"] button[type="submit"]`), `VFU-period ${COURSE}, ${termLabel(START)}`);
      const row = page.locator('main table tbody tr', { hasText: student.name });
      made.studentPath = await row.locator('th a').getAttribute('href');
    } finally {
      await page.context().close();
    }
  });

  it('the same site twice is refused at the second wish; then the wishes are saved', async () => {
    const page = await signedIn('student');
    try {
      await open(page, '/vfu/min');
      const article = page.locator('main article.wishes');
      assert.equal(await article.count(), 1);
      assert.match(await textOf(article.locator('p.note')), /^Du kan ändra dina önskemål och behov till och med \d{4}-\d{2}-\d{2}\.$/);
      const form = article.locator('form');
      made.wishAction = await form.getAttribute('action');
      const wish = (n) => form.locator(`select[name="wish${n}"]`);
      const site = wish(1).locator(`optgroup[label="Platser i Sorsele"] option[value="${made.siteId}"]`);
      assert.equal(await textOf(site), SITE, 'the site is offered under its municipality');
      assert.equal(await wish(2).locator('optgroup[label="Hela kommuner"] option[value="2521"]').textContent(), 'Hela Pajala');
      await wish(1).selectOption(made.siteId);
      await wish(2).selectOption(made.siteId);
      await form.locator('input[name="needs_public_transport"]').check();
      const bad = await post(page, form.locator('button[type="submit"]'), 'Min VFU');
      assert.equal(bad.status(), 422);
      const summary = page.locator('main article.wishes .error-summary');
      assert.equal(await summary.getAttribute('role'), 'alert');
      const error = 'Önskemål 2: samma plats eller kommun är redan vald som ett tidigare önskemål.';
      assert.equal(await textOf(summary.locator('a')), error);
      const second = page.locator('main article.wishes select[name="wish2"]');
      assert.equal(await second.getAttribute('aria-invalid'), 'true');
      const errorId = (await second.getAttribute('aria-describedby')).split(' ').find((id) => id.endsWith('-error'));
      assert.equal(await textOf(page.locator(`#${errorId}`)), error);
      assert.equal(await summary.locator('a').getAttribute('href'), `#${await second.getAttribute('id')}`);
      assert.ok(await page.locator('main article.wishes input[name="needs_public_transport"]').isChecked(), 'the ticked need is kept');
      await checked(page, /^Min VFU$/, '/vfu/min with an error (sv)');

      const again = page.locator('main article.wishes form');
      await again.locator('select[name="wish2"]').selectOption('2521');
      await again.locator('select[name="priority"]').selectOption('medical');
      await again.locator('textarea[name="note"]').fill('Kan inte resa före klockan 8.');
      const ok = await post(page, again.locator('button[type="submit"]'), 'Min VFU');
      assert.equal(ok.status(), 303);
      const saved = page.locator('main article.wishes');
      assert.equal(await textOf(saved.locator('.success')), 'Ändringarna är sparade.');
      assert.equal(await saved.locator('select[name="wish1"]').inputValue(), made.siteId);
      assert.equal(await saved.locator('select[name="wish2"]').inputValue(), '2521');
      assert.equal(await saved.locator('select[name="priority"]').inputValue(), 'medical');
      assert.equal(await saved.locator('textarea[name="note"]').inputValue(), 'Kan inte resa före klockan 8.');
      for (const lang of LANGS) {
        await open(page, '/vfu/min', lang);
        await checked(page, /^(Min VFU|My VFU)$/, `/vfu/min with the wishes form (${lang})`);
      }
      assert.equal(await textOf(page.locator('main article.wishes legend').first()), 'Wishes (at most three, the most important first)');
    } finally {
      await page.context().close();
    }
  });
});

describe('VFU: the compensation basis', () => {
  it('a confirmed placement is counted per university and term, filtered, and downloadable', async () => {
    const uni = await signedIn('university');
    const muni = await signedIn('muni_a');
    const student = suite.accounts.student;
    try {
      await open(uni, `${made.studentPath}/placera`);
      await uni.selectOption('#f-site_id', made.siteId);
      await uni.selectOption('#f-status', 'offered');
      await post(uni, uni.locator(`main form[action="${made.studentPath}/placera"] button[type="submit"]`), `VFU-period ${COURSE}, ${termLabel(START)}`);

      // The demo data has placements too: the LTU line of the period's term, before and after.
      const term = termCode(START);
      const ltu = (page) => page.locator('main table tbody tr', { has: page.locator('th', { hasText: 'Luleå tekniska universitet (LTU)' }) });
      const numbers = async (page) => {
        if ((await ltu(page).count()) === 0) return [0, 0];
        const cells = await ltu(page).locator('td').allTextContents();
        return [Number(cells[1]), Number(cells[3])];
      };
      await open(muni, `/vfu/kommun/2422/ersattning?termin=${term}`);
      assert.equal(await textOf(muni.locator('h1')), 'Ersättningsunderlag – Sorsele');
      const [before, beforeWeeks] = await numbers(muni);
      await open(muni, '/vfu/kommun/2422/placeringar');
      const row = muni.locator('main table tbody tr', { hasText: student.name });
      await post(muni, row.locator('button[value="confirmed"]'), 'Placeringar – Sorsele');

      await open(muni, '/vfu/kommun/2422');
      await muni.locator('main a[href="/vfu/kommun/2422/ersattning"]').click();
      await waitForH1(muni, 'Ersättningsunderlag – Sorsele');
      const table = muni.locator('main table');
      assert.match(await textOf(table.locator('caption')), /^Ersättningsunderlag för Sorsele: Alla terminer$/);
      assert.equal(await textOf(table.locator('tfoot th')), 'Summa');

      // Filter by the term: the confirmed placement is counted with its weeks; the downloads keep the filter.
      await muni.selectOption('#comp-termin', term);
      await muni.locator('main form.filter-form button').click();
      await muni.waitForURL(new RegExp(`termin=${term}`));
      const weeks = Math.ceil((Date.parse(END) - Date.parse(START) + 86_400_000) / (7 * 86_400_000));
      assert.deepEqual(await numbers(muni), [before + 1, beforeWeeks + weeks], 'one more placement, its weeks');
      assert.equal(await textOf(ltu(muni).locator('td').first()), termLabel(START));
      const csvHref = await muni.locator('main a', { hasText: 'CSV' }).getAttribute('href');
      assert.equal(csvHref, `/vfu/kommun/2422/ersattning.csv?termin=${term}`);
      const csv = await muni.context().request.get(new URL(csvHref, muni.url()).href);
      assert.equal(csv.status(), 200);
      assert.equal(csv.headers()['content-type'], 'text/csv; charset=utf-8');
      const lines = (await csv.text()).replace(/^\uFEFF/u, '').split('\r\n');
      assert.equal(lines[0], 'kommunkod;lärosäte;termin;placeringar;studentveckor');
      assert.ok(lines.includes(`2422;LTU;${term};${before + 1};${beforeWeeks + weeks}`), lines.join('\n'));
      const xlsx = await muni.context().request.get(new URL(await muni.locator('main a', { hasText: 'XLSX' }).getAttribute('href'), muni.url()).href);
      assert.equal(xlsx.status(), 200);
      assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
      for (const lang of LANGS) {
        await open(muni, `/vfu/kommun/2422/ersattning?termin=${termCode(START)}`, lang);
        await checked(muni, /Sorsele$/, `compensation basis (${lang})`);
        await open(muni, '/vfu/kommun/2422/ersattning?termin=2001', lang);
        await checked(muni, /Sorsele$/, `compensation basis, empty (${lang})`);
      }
    } finally {
      await uni.context().close();
      await muni.context().close();
    }
  });

  it('the student placed, the wishes are closed and shown', async () => {
    const page = await signedIn('student');
    try {
      await open(page, '/vfu/min');
      const article = page.locator('main article.wishes');
      assert.equal(await article.locator('form').count(), 0, 'no form once placed');
      assert.match(await textOf(article.locator('p.note')), /eftersom du har fått en placering/);
      assert.equal(await textOf(article.locator('dd.wishes-current')), `1. ${SITE}; 2. Hela Pajala`);
      for (const lang of LANGS) {
        await open(page, '/vfu/min', lang);
        await checked(page, /^(Min VFU|My VFU)$/, `/vfu/min with closed wishes (${lang})`);
      }
    } finally {
      await page.context().close();
    }
  });
});
