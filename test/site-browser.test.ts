/**
 * The reference site in a real browser: Debian's chromium driven by playwright-core (no browser
 * download). Opens the built site from file://, navigates IOD → module → attribute with the mouse
 * and the keyboard, searches the four queries, checks themes, a phone viewport and that
 * hostile names never run script. Screenshots go to test-artifacts/site/ (git-ignored).
 * Skips with a message where chromium is absent (CI installs it in .ci/run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { main } from '../generator/cli.ts';
import { buildSite } from '../generator/site/index.ts';
import { writeTree } from '../generator/write.ts';
import { repoRoot } from './helpers/shared.ts';
import { siteFixtureIr } from './helpers/site-ir.ts';

const CHROMIUM = process.env.DICTGEN_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[dicom-dictgen tests] ${CHROMIUM} not found: skipping the site browser tests (apt-get install chromium)`);
const artifacts = join(repoRoot, 'test-artifacts', 'site');

describe.skipIf(!hasChromium)('site in chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  const url = (p: string) => pathToFileURL(join(dir, 'default', p)).href;
  const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'dictgen-site-'));
    const err: string[] = [];
    const code = await main(['site', '--out', join(dir, 'default'), '--iods', 'ct-image', '--cids', '244,245,247', '--quiet'], { stdout: () => {}, stderr: (s) => err.push(s), isTTY: false, cwd: repoRoot });
    expect(code, err.join('')).toBe(0);
    writeTree(join(dir, 'hostile'), buildSite(siteFixtureIr(), { generatorVersion: 'test' }), 'test');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('navigates IOD list → IOD → module → attribute by clicking', async () => {
    await page.goto(url('iods/index.html'));
    await page.getByRole('link', { name: 'CT Image', exact: true }).click();
    expect(await page.locator('h1').innerText()).toBe('CT Image IOD');
    await shot('1-iod');
    await page.getByRole('table', { name: /Modules of the CT Image IOD/ }).getByRole('link', { name: 'Patient', exact: true }).click();
    expect(await page.locator('h1').innerText()).toBe('Patient in CT Image');
    expect(await page.locator('tr[id="00100010"] td').nth(2).innerText()).toBe('2');
    await shot('2-module-in-iod');
    await page.locator('tr[id="00100010"] th a').click();
    expect(await page.locator('h1').innerText()).toBe("(0010,0010) Patient's Name");
    expect(await page.locator('dl.facts').first().innerText()).toContain('PatientName');
    expect(await page.getByRole('table', { name: /IODs whose modules contain/ }).innerText()).toContain('CT Image');
    await shot('3-attribute');
    expect(errors).toEqual([]);
  }, 60_000);

  const QUERIES: [string, string, string][] = [
    ['PatientName', 'tags/00100010/index.html', 'patientname'],
    ['(0008,0016)', 'tags/00080016/index.html', 'tag'],
    ['1.2.840.10008.5.1.4.1.1.2', 'uids/1.2.840.10008.5.1.4.1.1.2/index.html', 'uid'],
    ['CID 244', 'cid/244/index.html', 'cid'],
  ];
  for (const [q, target, name] of QUERIES) {
    it(`search "${q}": the first result while typing is ${target}`, async () => {
      await page.goto(url('index.html'));
      await page.locator('#q').fill(q);
      const first = page.locator('#results li a').first();
      await first.waitFor();
      expect(await first.getAttribute('href')).toBe(target);
      await shot(`4-search-${name}`);
      await first.click();
      expect(page.url()).toBe(url(target));
      expect(errors).toEqual([]);
    }, 60_000);
  }

  it('keyboard: Tab reaches the search box, arrows choose a result, Enter opens it', async () => {
    await page.goto(url('tags/index.html'));
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Enter');
    await page.locator('#q').focus();
    await page.keyboard.type('SOPClassUID');
    await page.locator('#results li').first().waitFor();
    expect(await page.locator('#q').getAttribute('aria-activedescendant')).toBe('result-0');
    await page.keyboard.press('Enter');
    await page.waitForURL(url('tags/00080016/index.html'));
    expect(await page.locator('h1').innerText()).toBe('(0008,0016) SOP Class UID');
  }, 60_000);

  it('dark theme on request, and a phone-sized viewport has no page-wide horizontal scroll', async () => {
    await page.goto(url('iods/ct-image/patient/index.html'));
    await page.locator('#theme').click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await shot('5-dark');
    await page.locator('#theme').click();
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow as number).toBeLessThanOrEqual(1);
    await shot('6-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);

  it('hostile names from sources render as text and never run script', async () => {
    await page.goto(pathToFileURL(join(dir, 'hostile', 'tags', '00100040', 'index.html')).href);
    expect(await page.locator('h1').innerText()).toContain('<script>alert(1)</script>');
    expect(await page.locator('img').count()).toBe(0);
    await page.locator('#q').fill('sex');
    await page.locator('#results li').first().waitFor();
    expect(await page.locator('#results li').first().innerText()).toContain('<img src=x');
    expect(await page.locator('img').count()).toBe(0);
    await shot('7-hostile');
    expect(errors).toEqual([]);
  }, 60_000);
});
