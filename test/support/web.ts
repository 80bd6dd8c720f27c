import { expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './browser.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

interface AxeResult {
  violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
}

/**
 * A browser session of one person. Pages run under the app's own Content-Security-Policy;
 * every CSP violation and page error is recorded, and `expectClean()` fails on any.
 */
export class WebSession {
  readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('console', (m) => {
      // A page answered 4xx on purpose (a refused form) is logged as a failed load; subresources are checked below.
      if (/^Failed to load resource/.test(m.text())) return;
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) this.problems.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.request().isNavigationRequest())
        this.problems.push(`${r.status()} for ${r.request().method()} ${r.url()}`);
    });
    page.on('pageerror', (e) => this.problems.push(`page error: ${e.message}`));
  }

  static async open(
    browser: Browser,
    baseUrl: string,
    options: { locale?: string; viewport?: { width: number; height: number } } = {},
  ): Promise<WebSession> {
    const context = await browser.newContext({
      locale: options.locale ?? 'en-GB',
      viewport: options.viewport ?? { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    return new WebSession(context, page, baseUrl);
  }

  async goto(path: string): Promise<number> {
    const res = await this.page.goto(this.baseUrl + path);
    return res?.status() ?? 0;
  }

  /** Logs in through the login form, as a person would. */
  async login(email: string, password: string): Promise<void> {
    await this.goto('/login');
    await this.page.getByLabel(/e-mail/i).fill(email);
    await this.page.getByLabel(/^(password|parolă)/i).fill(password);
    await this.page.getByRole('button', { name: /log in|intră/i }).click();
    await this.page.waitForLoadState('load');
  }

  /**
   * axe-core's WCAG 2.1 A and AA rules on the page as it is now (after a refused form, after
   * script changed it). axe runs in a second, CSP-free context that is served this page's current
   * markup at the same address: the app's CSP rightly refuses injected script.
   */
  async expectAccessible(): Promise<void> {
    const url = this.page.url();
    const markup = await this.page.content();
    const state = await this.context.storageState();
    const browser = this.context.browser()!;
    const probe = await browser.newContext({
      bypassCSP: true,
      storageState: state,
      locale: 'en-GB',
      viewport: this.page.viewportSize() ?? undefined,
    });
    try {
      const page = await probe.newPage();
      await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: markup }));
      await page.goto(url);
      await page.addScriptTag({ content: AXE_SOURCE });
      const result = (await page.evaluate(
        `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
      )) as AxeResult;
      const found = result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')),
      }));
      expect({ url, violations: found }).toEqual({ url, violations: [] });
    } finally {
      await probe.close();
    }
  }

  /** No CSP violation, console error or uncaught exception on any page so far. */
  expectClean(): void {
    expect(this.problems).toEqual([]);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
