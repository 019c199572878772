// The VFU registry's pages in a real browser, one story in order:
//
// - the municipality coordinator of Sorsele (2422), with JavaScript switched off (plain forms,
//   POST-redirect-GET): adds a placement site (first with an error that names the field), states
//   its interest for a term, adds a supervisor (the supervisor account's e-mail), marks them
//   invited, views the training need, adds a contact person;
// - the university coordinator of LTU, with htmx: creates a period, puts the student account on
//   it, places them at the new site and moves the placement through its lifecycle (the
//   municipality confirms it and appoints the supervisor in between);
// - the student sees the placement, supervisor and travel on /vfu/min; the supervisor sees
//   the student;
// - the public "vem gör vad" page and its print version;
// - every VFU page, in the states people see them, in Swedish and English: h1 and zero axe
//   violations (WCAG 2.1 A/AA), and the demo-data notice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LANGS, assertNoAxeViolations, norm, textOf, useSuite, withLang } from '../lib/harness.js';
import { submit } from '../lib/accounts.js';
import { openPage as open, signedInAs, waitForHeading as waitForH1 } from '../lib/flows.js';
import { DEMO_NOTICE } from '../lib/pages.js';

const suite = useSuite();
const signedIn = (key, options) => signedInAs(suite, key, options);

const SITE = 'E2E-skolan';
const COURSE = 'E2E1';
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const START = day(120);
const END = day(155);

/** What the story made, for the later steps and the page list. */
const made = {};

/** Submits the form with `action` by its submit button and waits for the h1 of the page shown next. */
async function post(page, action, h1, button = 'button[type="submit"]') {
  return submit(page, page.locator(`main form[action="${action}"] ${button}`).first(), () => waitForH1(page, h1));
}

const h1 = (page) => textOf(page.locator('h1'));

const mainText = async (page) => norm(await page.locator('main').innerText());

describe('VFU: the municipality coordinator (without JavaScript)', () => {
  it('adds a site: an error names the field, then the site is saved with its interest per term', async () => {
    const page = await signedIn('muni_a', { js: false });
    try {
      await open(page, '/vfu');
      await page.locator('main a', { hasText: 'VFU i Sorsele' }).click();
      await waitForH1(page, 'VFU i Sorsele');
      await page.locator('main a[href="/vfu/kommun/2422/platser"]').click();
      await waitForH1(page, 'VFU-platser – Sorsele');
      await page.locator('main a', { hasText: 'Ny plats' }).click();
      await waitForH1(page, 'Ny VFU-plats i Sorsele');

      // The name left empty: 422, the summary links to the field, the message is next to it.
      // The fields are checkboxes in groups, each with its subjects.
      await page.selectOption('#f-kind', 'school');
      await page.check('#f-field_teacher_f3');
      await page.fill('#f-subjects_teacher_f3', 'svenska, matematik');
      await page.check('#f-field_teacher_4_6');
      const bad = await post(page, '/vfu/kommun/2422/platser/ny', 'Ny VFU-plats i Sorsele');
      assert.equal(bad.status(), 422);
      const summary = page.locator('.error-summary');
      assert.equal(await summary.getAttribute('role'), 'alert');
      assert.equal(await textOf(summary.locator('a[href="#f-name"]')), 'Namn måste fyllas i.');
      assert.equal(await page.locator('#f-name').getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#f-name').getAttribute('aria-describedby'), /\bf-name-error\b/);
      assert.equal(await textOf(page.locator('#f-name-error')), 'Namn måste fyllas i.');
      assert.ok(await page.locator('#f-field_teacher_f3').isChecked() && await page.locator('#f-field_teacher_4_6').isChecked(), 'what was ticked is kept');
      assert.ok(!(await page.locator('#f-field_nurse').isChecked()));
      assert.equal(await page.locator('#f-subjects_teacher_f3').inputValue(), 'svenska, matematik', 'what was typed is kept');
      assert.equal(await textOf(page.locator('fieldset#f-fields > legend')), 'Områden *');

      await page.fill('#f-name', SITE);
      await page.fill('#f-address', 'Skolgatan 1, 924 31 Sorsele');
      await post(page, '/vfu/kommun/2422/platser/ny', `Ändra VFU-plats: ${SITE}`);
      made.sitePath = new URL(page.url()).pathname;
      made.siteId = made.sitePath.split('/').pop();
      assert.equal(await textOf(page.locator('main .success')), 'Ändringarna är sparade.');
      assert.ok(await page.locator('#f-field_teacher_f3').isChecked(), 'the saved fields are ticked');
      assert.equal(await page.locator('#f-subjects_teacher_f3').inputValue(), 'svenska, matematik');

      // Interest for the default (coming) term: yes, two students.
      await page.selectOption('#h-interest', 'yes');
      await page.fill('#h-capacity', '2');
      await post(page, `${made.sitePath}/intresse`, `Ändra VFU-plats: ${SITE}`);
      const hosting = page.locator('#intresse table tbody tr').first();
      assert.match(norm(await hosting.innerText()), /Ja\s+2/);

      await open(page, '/vfu/kommun/2422/platser');
      const row = page.locator('main table tbody tr', { hasText: SITE });
      assert.equal(await row.count(), 1, 'the new site is listed');
      assert.match(norm(await row.innerText()), /Ja \(2\)|Ja/);
    } finally {
      await page.context().close();
    }
  });

  it('adds a supervisor (an error names the field), marks them invited and views the training need', async () => {
    const page = await signedIn('muni_a', { js: false });
    const sup = suite.accounts.supervisor;
    try {
      await open(page, '/vfu/kommun/2422/handledare/ny');
      await page.fill('#f-name', sup.name);
      await page.fill('#f-email', sup.email);
      await page.selectOption('#f-site_id', { label: SITE });
      assert.equal(await textOf(page.locator('fieldset#f-fields > legend')), 'Områden *');
      await page.check('#f-field_teacher_f3');
      await page.fill('#f-subjects_teacher_f3', 'svenska');
      await page.fill('#f-employment_percent', '150');
      const bad = await post(page, '/vfu/kommun/2422/handledare/ny', 'Ny handledare i Sorsele');
      assert.equal(bad.status(), 422);
      const error = await textOf(page.locator('#f-employment_percent-error'));
      assert.match(error, /^Tjänstgöringsgrad \(%\): /, 'the message names the field');
      assert.equal(await textOf(page.locator('.error-summary a[href="#f-employment_percent"]')), error);

      await page.fill('#f-employment_percent', '80');
      await post(page, '/vfu/kommun/2422/handledare/ny', 'Handledare – Sorsele');
      const row = page.locator('main table tbody tr', { hasText: sup.name });
      assert.equal(await row.count(), 1);
      assert.equal(await textOf(row.locator('td.invite')), 'Inte inbjuden');
      made.supervisorPath = await row.locator('th a').getAttribute('href');

      await row.locator('select[name="status"]').selectOption('invited');
      await submit(page, row.locator('button[type="submit"]'), () => waitForH1(page, 'Handledare – Sorsele'));
      const after = page.locator('main table tbody tr', { hasText: sup.name });
      assert.match(await textOf(after.locator('td.invite')), /^Inbjuden \(\d{4}-\d{2}-\d{2}\)$/);

      await open(page, '/vfu/kommun/2422/utbildningsbehov');
      assert.equal(await h1(page), 'Utbildningsbehov – Sorsele');
      const table = page.locator('main table').first();
      assert.match(await textOf(table.locator('caption')), /^Efterfrågan mot utbildad handledarkapacitet i Sorsele/);
      assert.ok(await table.locator('tbody tr').count() > 0, 'rows per field and term');
      assert.equal(await table.locator('thead th[scope="col"]').count(), 8);
      assert.ok(await page.locator('main h2', { hasText: 'Vilka kan bjudas in?' }).count() === 1);
    } finally {
      await page.context().close();
    }
  });

  it('adds a contact person shown on the public page', async () => {
    const page = await signedIn('muni_a', { js: false });
    try {
      await open(page, '/vfu/kommun/2422');
      await page.selectOption('#c-role', 'municipal_coordinator');
      await page.fill('#c-name', 'Maja Sorsele');
      await page.fill('#c-title', 'VFU-samordnare, Sorsele kommun');
      await page.fill('#c-email', 'maja.vfu@sorsele.example');
      await post(page, '/vfu/kommun/2422/kontakter', 'VFU i Sorsele');
      const contact = page.locator('#kontakter table tbody tr', { hasText: 'Maja Sorsele' });
      assert.equal(await contact.count(), 1);
      made.contactPath = await contact.locator('a', { hasText: 'Ändra' }).getAttribute('href');
    } finally {
      await page.context().close();
    }
  });
});

describe('VFU: adapting "vem gör vad" (without JavaScript)', () => {
  it('an error names the task; the adapted model is shown on the public page', async () => {
    const page = await signedIn('muni_a', { js: false });
    const title = 'Anpassa vem gör vad – Sorsele';
    try {
      await open(page, '/vfu/kommun/2422');
      await page.locator('main a', { hasText: 'Anpassa vem gör vad' }).click();
      await waitForH1(page, title);
      await page.selectOption('#c-allocate-municipal_coordinator', 'A');
      const bad = await post(page, '/vfu/kommun/2422/vem-gor-vad/andra', title);
      assert.equal(bad.status(), 422);
      assert.equal(await textOf(page.locator('.error-summary li')), 'Fördela studenter till platser: exakt en roll ska ansvara (A).');
      assert.equal(await page.locator('#c-allocate-municipal_coordinator').getAttribute('aria-invalid'), 'true');
      await page.selectOption('#c-allocate-municipal_coordinator', 'R');
      await post(page, '/vfu/kommun/2422/vem-gor-vad/andra', 'Vem gör vad i VFU – Sorsele');
      assert.ok((await mainText(page)).includes('Sorsele har anpassat standardmodellen.'));
      const row = page.locator('main table.raci tbody tr', { hasText: 'Fördela studenter till platser' });
      assert.equal(await textOf(row.locator('td').first()), 'R');
    } finally {
      await page.context().close();
    }
  });
});

describe('VFU: the university coordinator (with htmx) and the municipality confirming', () => {
  it('creates a period and puts the student on it', async () => {
    const page = await signedIn('university');
    const student = suite.accounts.student;
    try {
      await open(page, '/vfu');
      await page.locator('main a[href="/vfu/larosate/LTU"]').click();
      await waitForH1(page, 'VFU vid Luleå tekniska universitet');
      await page.locator('main a', { hasText: 'Ny period' }).click();
      await waitForH1(page, 'Ny VFU-period vid LTU');
      await page.fill('#f-programme', 'Grundlärarprogrammet F-3');
      await page.fill('#f-course_code', COURSE);
      await page.selectOption('#f-field', 'teacher_f3');
      await page.fill('#f-start', END);
      await page.fill('#f-end', START);
      const bad = await post(page, '/vfu/larosate/LTU/perioder/ny', 'Ny VFU-period vid LTU');
      assert.equal(bad.status(), 422);
      assert.match(await textOf(page.locator('#f-end-error')), /^Slutdatum: /);
      await page.fill('#f-start', START);
      await page.fill('#f-end', END);
      await page.fill('#f-students', '12');
      await post(page, '/vfu/larosate/LTU/perioder/ny', `VFU-period ${COURSE}, ${termLabel(START)}`);
      made.periodPath = new URL(page.url()).pathname;
      assert.match(made.periodPath, /^\/vfu\/larosate\/LTU\/perioder\/[^/]+$/);
      assert.equal(await page.locator('main ol.timeline li').count(), 6, 'the timeline before the period');

      await page.locator('main a', { hasText: 'Lägg till student' }).click();
      await waitForH1(page, `Ny student på ${COURSE}`);
      await page.fill('#f-name', student.name);
      await page.fill('#f-email', student.email);
      await page.selectOption('#f-home_municipality', '2422');
      await page.fill('#f-registerutdrag', day(-10));
      await post(page, `${made.periodPath}/studenter/ny`, `VFU-period ${COURSE}, ${termLabel(START)}`);
      const row = page.locator('main table tbody tr', { hasText: student.name });
      assert.equal(await row.count(), 1);
      assert.match(norm(await row.innerText()), new RegExp(`Registerutdrag: uppfyllt \\(${day(-10)}\\)`));
      made.studentPath = await row.locator('th a').getAttribute('href');
    } finally {
      await page.context().close();
    }
  });

  it('places the student and moves the placement through its lifecycle', async () => {
    const uniPage = await signedIn('university');
    const muniPage = await signedIn('muni_a');
    const student = suite.accounts.student;
    const periodH1 = `VFU-period ${COURSE}, ${termLabel(START)}`;
    // The status cell once it reads `expected`: a form answered on the same page (same h1)
    // is swapped in by htmx after the response, so the cell is awaited, not read at once.
    const statusOf = async (page, expected) => {
      const cell = page.locator('main table tbody tr', { hasText: student.name }).locator('td.status');
      await cell.filter({ hasText: expected }).waitFor({ timeout: 10_000 }).catch(() => {});
      return textOf(cell);
    };
    try {
      await open(uniPage, made.periodPath);
      await uniPage.locator('main a', { hasText: 'Placera' }).first().click();
      await waitForH1(uniPage, `Placera ${student.name}`);
      const option = uniPage.locator('#f-site_id option', { hasText: SITE });
      assert.match(await textOf(option), /hemkommun/, 'the home municipality is marked');
      await uniPage.selectOption('#f-site_id', await option.getAttribute('value'));
      await uniPage.selectOption('#f-status', 'offered');
      await post(uniPage, `${made.studentPath}/placera`, periodH1);
      assert.equal(await statusOf(uniPage, 'Erbjuden'), 'Erbjuden');

      // The municipality confirms and appoints the supervisor.
      await open(muniPage, '/vfu/kommun/2422/placeringar');
      const row = muniPage.locator('main table tbody tr', { hasText: student.name });
      await submit(muniPage, row.locator('button[value="confirmed"]'), () => waitForH1(muniPage, 'Placeringar – Sorsele'));
      assert.equal(await statusOf(muniPage, 'Bekräftad'), 'Bekräftad');
      await muniPage.locator('main table tbody tr', { hasText: student.name }).locator('a', { hasText: 'Ändra' }).click();
      await waitForH1(muniPage, `Placering: ${student.name} på ${SITE}`);
      made.placementEditPath = new URL(muniPage.url()).pathname;
      await muniPage.selectOption('#f-supervisor_id', { label: suite.accounts.supervisor.name });
      await post(muniPage, made.placementEditPath, 'Placeringar – Sorsele');
      assert.equal(await textOf(muniPage.locator('main table tbody tr', { hasText: student.name }).locator('td').nth(3)), suite.accounts.supervisor.name);

      // The university starts it; a withdrawn or completed placement offers no further steps.
      await open(uniPage, made.periodPath);
      const uniRow = uniPage.locator('main table tbody tr', { hasText: student.name }).last();
      const steps = await uniRow.locator('button[name="to"]').evaluateAll((bs) => bs.map((b) => b.value));
      assert.deepEqual(steps, ['started', 'withdrawn'], 'from confirmed: start or withdraw');
      await submit(uniPage, uniRow.locator('button[value="started"]'), () => waitForH1(uniPage, periodH1));
      assert.equal(await statusOf(uniPage, 'Påbörjad'), 'Påbörjad');
    } finally {
      await uniPage.context().close();
      await muniPage.context().close();
    }
  });
});

describe('VFU: the student and the supervisor', () => {
  it('the student sees the placement, the supervisor and the travel time', async () => {
    const page = await signedIn('student');
    try {
      await open(page, '/vfu/min');
      assert.equal(await h1(page), 'Min VFU');
      const placement = page.locator('main article.placement').first();
      assert.equal(await textOf(placement.locator('h3')), `${SITE}, Sorsele`);
      assert.equal(await textOf(placement.locator('dd.status')), 'Påbörjad');
      assert.match(await textOf(placement.locator('dd.supervisor')), new RegExp(`^${suite.accounts.supervisor.name}, `));
      assert.match(await textOf(placement.locator('dd.travel')), /^\d+ min enkel resa$/);
      assert.equal(await placement.locator('ol.timeline li').count(), 6);
      await open(page, '/vfu/min', 'en');
      assert.equal(await h1(page), 'My VFU');
      assert.equal(await textOf(page.locator('main article.placement dd.status').first()), 'Started');
    } finally {
      await page.context().close();
    }
  });

  it('the supervisor sees their students', async () => {
    const page = await signedIn('supervisor');
    try {
      await open(page, '/vfu/min');
      const table = page.locator('main section', { hasText: 'Mina studenter' }).locator('table');
      const row = table.locator('tbody tr', { hasText: suite.accounts.student.name });
      assert.equal(await row.count(), 1);
      assert.match(norm(await row.innerText()), new RegExp(`${SITE}.*LTU ${COURSE}.*Påbörjad`));
    } finally {
      await page.context().close();
    }
  });
});

describe('VFU: the public "vem gör vad" page and its print version', () => {
  it('shows the matrix of tasks and roles with a legend, and the contact persons', async () => {
    const ctx = await suite.newContext();
    const page = await ctx.newPage();
    try {
      await open(page, '/kommun/2422');
      await page.locator('main a', { hasText: 'Vem gör vad i VFU – Sorsele' }).click();
      await page.waitForURL(/\/vfu\/kommun\/2422\/vem-gor-vad$/);
      assert.equal(await h1(page), 'Vem gör vad i VFU – Sorsele');
      const table = page.locator('main table.raci');
      assert.equal(await table.locator('thead th[scope="col"]').count(), 8, 'the task column and seven roles');
      assert.equal(await table.locator('tbody th[scope="row"]').count(), 13, 'thirteen tasks');
      const row = table.locator('tbody tr', { hasText: 'Fördela studenter till platser' });
      assert.ok((await textOf(row)).includes('A/R'), 'the university coordinator allocates');
      assert.equal(await page.locator('main dl dt').allInnerTexts().then((t) => t.join('')), 'RACI');
      assert.equal(await page.locator('main section table tbody tr', { hasText: 'Maja Sorsele' }).count(), 1);
      await page.locator('main nav a', { hasText: 'Socionomutbildning' }).click();
      await page.waitForURL(/program=social_work/);
      assert.match(await textOf(page.locator('main table.raci caption')), /Socionomutbildning/);

      await page.locator('main a', { hasText: 'Utskriftsversion' }).click();
      await page.waitForURL(/utskrift=1/);
      assert.equal(await page.locator('header.site-header').count(), 0, 'no site header on the print version');
      assert.equal(await page.locator('main table.raci tbody tr').count(), 13);
      assert.ok((await textOf(page.locator('main .demo-notice'))).includes(DEMO_NOTICE.sv));
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('main nav').isVisible(), false, 'the programme links are not printed');
      assert.equal(await page.locator('main table.raci').isVisible(), true);
    } finally {
      await ctx.close();
    }
  });
});

/** `VT 2027` / `HT 2027` for a YYYY-MM-DD date. */
function termLabel(date) {
  const [y, m] = date.split('-').map(Number);
  return `${m <= 7 ? 'VT' : 'HT'} ${y}`;
}

describe('VFU pages: h1, demo notice and zero axe violations in Swedish and English', () => {
  // [account key or null, path, h1 per language (RegExp), expected status]
  const pages = () => [
    [null, '/vfu', /^(VFU|VFU placements)$/],
    [null, '/kommun/2422', /Sorsele/],
    [null, '/vfu/kommun/2422/vem-gor-vad', /Sorsele$/],
    [null, '/vfu/kommun/2422/vem-gor-vad?program=nursing&utskrift=1', /Sorsele$/],
    ['muni_a', '/vfu', /^(VFU|VFU placements)$/],
    ['muni_a', '/vfu/kommun/2422', /Sorsele$/],
    ['muni_a', '/vfu/kommun/2422/platser', /Sorsele$/],
    ['muni_a', '/vfu/kommun/2422/platser/ny', /Sorsele$/],
    ['muni_a', made.sitePath, new RegExp(`${SITE}$`)],
    ['muni_a', '/vfu/kommun/2422/handledare', /Sorsele$/],
    ['muni_a', '/vfu/kommun/2422/handledare/ny', /Sorsele$/],
    ['muni_a', made.supervisorPath, /Siv Handledare$/],
    ['muni_a', '/vfu/kommun/2422/utbildningsbehov', /Sorsele$/],
    ['muni_a', '/vfu/kommun/2422/placeringar', /Sorsele$/],
    ['muni_a', '/vfu/kommun/2422/vem-gor-vad/andra', /Sorsele$/],
    ['muni_a', made.contactPath, /Maja Sorsele$/],
    ['muni_a', made.placementEditPath, new RegExp(`${SITE}$`)],
    ['muni_b', '/vfu/kommun/2422', /^(Åtkomst nekas|Access denied)$/, 403],
    ['university', '/vfu/larosate/LTU', /Luleå/],
    ['university', '/vfu/larosate/LTU/perioder/ny', /LTU$/],
    ['university', made.periodPath, new RegExp(COURSE)],
    ['university', `${made.periodPath}/andra`, new RegExp(COURSE)],
    ['university', `${made.periodPath}/studenter/ny`, new RegExp(COURSE)],
    ['university', made.studentPath, /Stina Student$/],
    ['university', `${made.studentPath}/placera`, /Stina Student$/],
    ['student', '/vfu/min', /^(Min VFU|My VFU)$/],
    ['supervisor', '/vfu/min', /^(Min VFU|My VFU)$/],
  ];

  for (const lang of LANGS) {
    it(`every VFU page in ${lang}`, async () => {
      const contexts = {};
      try {
        for (const [key, path, want, status = 200] of pages()) {
          assert.ok(path, `a page of the story is missing (did an earlier test fail?): ${key}`);
          if (!contexts[key ?? 'anon']) {
            contexts[key ?? 'anon'] = key ? await signedIn(key, { lang }) : await (await suite.newContext()).newPage();
          }
          const page = contexts[key ?? 'anon'];
          const label = `${path} as ${key ?? 'anonymous'} (${lang})`;
          const res = await page.goto(withLang(path, lang));
          assert.equal(res.status(), status, label);
          assert.equal(await page.locator('html').getAttribute('lang'), lang, label);
          assert.equal(await page.locator('h1').count(), 1, `${label}: one h1`);
          assert.match(await h1(page), want, label);
          assert.ok((await textOf(page.locator('.demo-notice').first())).includes(DEMO_NOTICE[lang]), `${label}: demo notice`);
          await assertNoAxeViolations(page, label);
        }
        // The forms as they are shown with errors (HTTP 422).
        const muni = contexts.muni_a;
        const errorForms = [
          ['/vfu/kommun/2422/platser/ny', '#f-name-error'],
          ['/vfu/kommun/2422/handledare/ny', '#f-name-error'],
          [`${made.periodPath}/studenter/ny`, '#f-email-error'],
          ['/vfu/kommun/2422/vem-gor-vad/andra', null],
        ];
        for (const [path, errorId] of errorForms) {
          const page = path.startsWith('/vfu/larosate') ? contexts.university : muni;
          await page.goto(withLang(path, lang));
          if (errorId === null) {
            // Two accountable roles for one task.
            await page.selectOption('#c-allocate-municipal_coordinator', 'A');
          }
          const res = await submit(page, page.locator('main form[method="post"] button[type="submit"]').first(), () =>
            page.locator('.error-summary').waitFor({ timeout: 10_000 }));
          assert.equal(res.status(), 422, `${path}: invalid form`);
          if (errorId) assert.equal(await page.locator(errorId).count(), 1, `${path}: ${errorId}`);
          await assertNoAxeViolations(page, `${path} with errors (${lang})`);
        }
      } finally {
        for (const page of Object.values(contexts)) await page.context().close();
      }
    });
  }
});
