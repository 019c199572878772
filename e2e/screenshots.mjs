// Screenshots of pages as a person sees them, at 320 px and 1280 px, to look at while working:
//   KKIG_BIN=../target/debug/kkig CHROMIUM=/usr/bin/chromium node screenshots.mjs / /utbildning
// writes /tmp/shot-<width><path>.png (full page) and prints each page's scroll width (more than
// the viewport: the page scrolls sideways). Starts its own server with the demo data.
import { chromium } from 'playwright-core';
import { startServer } from './lib/server.js';
const server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
const pages = process.argv.slice(2);
for (const width of [320, 1280]) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  for (const p of pages) {
    await page.goto(server.baseURL + p);
    const name = p.replace(/[^a-z0-9]+/gi, '_');
    await page.screenshot({ path: `/tmp/shot-${width}${name}.png`, fullPage: true });
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    console.log(width, p, 'scrollWidth', sw);
  }
  await page.close();
}
await browser.close();
await server.stop?.();
process.exit(0);
