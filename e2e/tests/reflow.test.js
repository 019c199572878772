// Reflow on a phone (WCAG 2.1 1.4.10, which axe does not test): the key pages of residents and
// staff, in Swedish and English, laid out 320 CSS pixels wide, do not scroll sideways (wide
// tables scroll in their own region); the failure names the element that sticks out.
import { describe, it } from 'node:test';
import { LANGS, assertReflows, useSuite, withLang } from '../lib/harness.js';
import { signedInAs } from '../lib/flows.js';

const suite = useSuite();

const PUBLIC = [
  '/',
  '/utbildning',
  '/utbildning?q=sjuksk%C3%B6terska&home=2422&sort=travel',
  '/utbildning/bli',
  '/utbildning/bli/sjukskoterska/2422',
  '/utbildning/regionen',
  '/kommun/2422',
  '/vfu',
  '/vfu/kommun/2422/vem-gor-vad',
  '/prognos',
  '/prognos/kommun/2422/2221',
  '/logga-in',
  '/integritet',
];

const STAFF = {
  muni_a: ['/vfu/kommun/2422', '/vfu/kommun/2422/platser', '/vfu/kommun/2422/handledare', '/konto'],
  university: ['/vfu/larosate/LTU'],
};

describe('reflow at 320 px: public pages', () => {
  for (const lang of LANGS) {
    it(`every key page (${lang})`, async () => {
      const ctx = await suite.newContext();
      try {
        const page = await ctx.newPage();
        for (const path of PUBLIC) {
          await page.goto(withLang(path, lang));
          await assertReflows(page, `${path} (${lang})`);
        }
      } finally {
        await ctx.close();
      }
    });
  }
});

describe('reflow at 320 px: staff pages', () => {
  for (const [key, paths] of Object.entries(STAFF)) {
    it(`${key}'s pages`, async () => {
      const page = await signedInAs(suite, key);
      try {
        for (const lang of LANGS) {
          for (const path of paths) {
            await page.goto(withLang(path, lang));
            await assertReflows(page, `${path} as ${key} (${lang})`);
          }
        }
      } finally {
        await page.context().close();
      }
    });
  }
});
