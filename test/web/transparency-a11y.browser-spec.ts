import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { TestApi } from '#test/support/api.js';
import { CHROMIUM, CHROMIUM_ARGS, describeInBrowser } from '#test/support/browser.js';
import { currentMode } from '#test/support/test-storage.js';
import { ReportFixtures } from '#test/browser/report-fixtures.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
  passes: Array<{ id: string }>;
}

/** The public transparency page passes axe-core's WCAG 2.1 A and AA rules in real Chromium, on a desktop and a phone. */
describeInBrowser(`transparency page accessibility (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;

  beforeAll(async () => {
    api = await TestApi.start();
    const f = await ReportFixtures.create(api, 'a11y-town', { transparency: true });
    const x = await f.channel('x', 'Town on X');
    const campaign = await f.campaign('Library week', { goal: 'More readers <b>under 18</b>', partnerIds: [f.seed.partner.id] });
    for (const [i, month] of ['03', '04', '06'].entries()) {
      const [t] = await f.post(
        campaign,
        [x, f.seed.channel.id].slice(0, i === 2 ? 2 : 1),
        `Visit the library in month ${month} <img src=x onerror=alert(1)>`,
        { status: 'published', scheduledAt: `2026-${month}-02T07:00:00Z`, publishedAt: `2026-${month}-02T07:00:40Z` },
      );
      await f.snapshots(t!.targetId, [[`2026-${month}-03T07:00:00Z`, 4 + i, 1, 0, 0, 90, 2]]);
    }
    await f.post(campaign, [x], 'Withdrawn', {
      status: 'withdrawn',
      scheduledAt: '2026-05-02T07:00:00Z',
      publishedAt: '2026-05-02T07:00:00Z',
      withdrawnAt: '2026-05-03T07:00:00Z',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it.each([
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 740 }],
  ] as const)('has no WCAG 2.1 AA violations on a %s, and runs no script of its own', async (_name, viewport) => {
    const page = await browser.newPage({ viewport, bypassCSP: true }); // axe is injected as a script, which the page's CSP rightly refuses
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const res = await page.goto(`${api.url}/transparency/a11y-town?from=2026-01-01&to=2027-01-01`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Institution a11y-town');
    expect(await page.locator('svg.chart[role="img"]').count()).toBe(1);
    // The post text is text, not an element.
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.getByText('<img src=x onerror=alert(1)>', { exact: false }).count()).toBeGreaterThan(0);
    if (viewport.width < 400) {
      // Readable on a phone: the page itself does not scroll sideways (wide tables scroll inside their region).
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    }
    await page.addScriptTag({ content: AXE_SOURCE });
    // A string, evaluated in the page: the test compiles without DOM types.
    const result = (await page.evaluate(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
    )) as AxeResult;
    expect(
      result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })),
    ).toEqual([]);
    expect(result.passes.map((p) => p.id)).toEqual(expect.arrayContaining(['color-contrast', 'html-has-lang', 'document-title']));
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('applies its own style under its Content-Security-Policy (the stylesheet hash matches)', async () => {
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto(`${api.url}/transparency/a11y-town?from=2026-01-01&to=2027-01-01`);
    expect(await page.evaluate(`getComputedStyle(document.querySelector('header')).borderBottomWidth`)).toBe('4px');
    expect(blocked).toEqual([]);
    await page.close();
  });
});
