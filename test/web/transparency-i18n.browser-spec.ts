import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { transparencyLocale } from '#src/web/transparency/transparency-page.js';
import { I18n, PUBLIC_LOCALES } from '#src/web/i18n/i18n.js';
import * as catalog from '#src/web/i18n/transparency.messages.js';
import { TestApi } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';
import { ReportFixtures } from '#test/browser/report-fixtures.js';

const NBSP = '\u00a0';
const PERIOD = 'from=2026-01-01&to=2027-01-01';

/** What a reader of each language sees for the same report (5 publications, 1 withdrawn, 12,345 views, June and March 2026). */
const EXPECTED = {
  en: {
    name: 'English',
    title: 'Transparency report: Institution i18n-town',
    summary: 'Summary',
    methodology: 'Methodology',
    published: '5 publications',
    withdrawn: '1 later withdrawn',
    likes: '3 likes',
    impressions: '12,345 impressions and views',
    june: 'June 2026',
    march: 'March 2026',
    notAvailable: 'not available',
    show: 'Show',
    pdf: 'PDF for printing',
    punctuality: '(5 publications)',
  },
  ro: {
    name: 'Română',
    title: 'Raport de transparență: Institution i18n-town',
    summary: 'Rezumat',
    methodology: 'Metodologie',
    published: '5 publicări',
    withdrawn: '1 retrasă ulterior',
    likes: '3 aprecieri',
    impressions: '12.345 de afișări',
    june: 'iunie 2026',
    march: 'martie 2026',
    notAvailable: 'indisponibil',
    show: 'Afișează',
    pdf: 'PDF pentru tipărire',
    punctuality: '(5 publicări)',
  },
  pl: {
    name: 'Polski',
    title: 'Raport przejrzystości: Institution i18n-town',
    summary: 'Podsumowanie',
    methodology: 'Metodologia',
    published: '5 publikacji',
    withdrawn: '1 później wycofana',
    likes: '3 polubienia',
    impressions: `12${NBSP}345 wyświetleń`,
    june: 'czerwiec 2026',
    march: 'marzec 2026',
    notAvailable: 'brak danych',
    show: 'Pokaż',
    pdf: 'PDF do druku',
    punctuality: '(5 publikacji)',
  },
  bs: {
    name: 'Bosanski',
    title: 'Izvještaj o transparentnosti: Institution i18n-town',
    summary: 'Sažetak',
    methodology: 'Metodologija',
    published: '5 objava',
    withdrawn: '1 naknadno povučena',
    likes: '3 sviđanja',
    impressions: '12.345 prikaza',
    june: 'juni 2026.',
    march: 'mart 2026.',
    notAvailable: 'nema podataka',
    show: 'Prikaži',
    pdf: 'PDF za štampu',
    punctuality: '(5 objava)',
  },
  uk: {
    name: 'Українська',
    title: 'Звіт про прозорість: Institution i18n-town',
    summary: 'Підсумок',
    methodology: 'Методологія',
    published: '5 публікацій',
    withdrawn: '1 згодом відкликана',
    likes: '3 вподобання',
    impressions: `12${NBSP}345 переглядів`,
    june: 'червень 2026 р.',
    march: 'березень 2026 р.',
    notAvailable: 'немає даних',
    show: 'Показати',
    pdf: 'PDF для друку',
    punctuality: '(5 публікацій)',
  },
} as const;

/** English words of the page that must not show through in another language (the data itself is English here: "Town on X"). */
const ENGLISH_WORDS = [
  'Summary',
  'Campaigns',
  'Punctuality',
  'Methodology',
  'Open data',
  'not available',
  'publications',
  'Withdrawn',
  'Engagement',
  'Likes',
  'every 15 minutes',
];

describe('the transparency catalog', () => {
  const values = {
    name: 'N',
    from: 'a',
    to: 'b',
    asOf: 'c',
    bars: 'd',
    count: 5,
    list: 'e',
    date: 'f',
    channel: 'g',
    campaign: 'h',
    engagement: 'i',
    p50: 'j',
    p95: 'k',
    max: 'l',
    definition: 'm',
    cadence: 'o',
    newest: 'p',
    at: 'q',
    zone: 'r',
    licence: 's',
    version: 't',
    n: 2,
    every: 'u',
    until: 'v',
    steps: 'w',
  };

  it('has every message in all five languages, each a valid ICU message; Bosnian in Latin script, Ukrainian in Cyrillic', () => {
    const keys = Object.keys(catalog.en).sort();
    for (const locale of PUBLIC_LOCALES) {
      expect(Object.keys(catalog[locale]).sort()).toEqual(keys);
      const i18n = new I18n(locale);
      for (const key of keys as Array<keyof typeof catalog.en>) {
        for (const count of [1, 2, 5, 22, 1.5]) expect(typeof i18n.t(key, { ...values, count, n: count })).toBe('string');
      }
    }
    expect(Object.values(catalog.bs).join(' ')).not.toMatch(/\p{Script=Cyrillic}/u);
    expect(Object.values(catalog.uk).filter((m) => /\p{Script=Cyrillic}/u.test(m)).length).toBeGreaterThan(keys.length * 0.9);
  });

  it('says plurals as each language does', () => {
    const published = (locale: (typeof PUBLIC_LOCALES)[number], count: number) =>
      new I18n(locale).t('transparency.count.published', { count });
    expect([1, 2, 5, 22, 25].map((n) => published('pl', n))).toEqual([
      'publikacja',
      'publikacje',
      'publikacji',
      'publikacje',
      'publikacji',
    ]);
    expect([1, 2, 5, 21, 22].map((n) => published('uk', n))).toEqual([
      'публікація',
      'публікації',
      'публікацій',
      'публікація',
      'публікації',
    ]);
    expect([1, 2, 5, 21].map((n) => published('bs', n))).toEqual(['objava', 'objave', 'objava', 'objava']);
    expect([1, 2, 20].map((n) => published('ro', n))).toEqual(['publicare', 'publicări', 'de publicări']);
  });

  it("picks the language: ?lang, else Accept-Language, else the institution's first official language, else English", () => {
    expect(transparencyLocale('uk', 'pl-PL,pl;q=0.9', ['ro'])).toEqual({ locale: 'uk', explicit: true });
    expect(transparencyLocale('de', 'pl-PL,pl;q=0.9', ['ro'])).toEqual({ locale: 'pl', explicit: false });
    expect(transparencyLocale(undefined, 'de-DE,bs;q=0.8,en;q=0.5', ['ro'])).toEqual({ locale: 'bs', explicit: false });
    expect(transparencyLocale(undefined, 'de-DE,en;q=0.5', ['ro'])).toEqual({ locale: 'en', explicit: false });
    expect(transparencyLocale(undefined, 'de-DE', ['ro', 'hu'])).toEqual({ locale: 'ro', explicit: false });
    expect(transparencyLocale(undefined, '*', ['uk'])).toEqual({ locale: 'uk', explicit: false });
    expect(transparencyLocale(undefined, undefined, ['hu', 'ro'])).toEqual({ locale: 'en', explicit: false });
    expect(transparencyLocale(undefined, 'en;q=0, pl', ['ro'])).toEqual({ locale: 'pl', explicit: false });
  });
});

/** The public transparency page in English, Romanian, Polish, Bosnian and Ukrainian, in real Chromium. */
describeInBrowser(`transparency page in five languages (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;

  beforeAll(async () => {
    api = await TestApi.start();
    const f = await ReportFixtures.create(api, 'i18n-town', { transparency: true });
    const x = await f.channel('x', 'Town on X');
    const tg = await f.channel('telegram', 'Town on Telegram', { chatId: '@town' });
    const campaign = await f.campaign('Library week', { goal: 'More readers under 18', partnerIds: [f.seed.partner.id] });
    const [first] = await f.post(campaign, [x], 'Visit the library on Saturday', {
      status: 'published',
      scheduledAt: '2026-06-02T07:00:00Z',
      publishedAt: '2026-06-02T07:00:40Z',
    });
    await f.post(campaign, [x], 'Story hour for children', {
      status: 'published',
      scheduledAt: '2026-06-09T07:00:00Z',
      publishedAt: '2026-06-09T07:01:00Z',
    });
    await f.post(campaign, [x], 'New books arrived', {
      status: 'published',
      scheduledAt: '2026-06-16T07:00:00Z',
      publishedAt: '2026-06-16T07:00:10Z',
    });
    await f.post(campaign, [x], 'Wrong opening hours', {
      status: 'withdrawn',
      scheduledAt: '2026-06-20T07:00:00Z',
      publishedAt: '2026-06-20T07:00:05Z',
      withdrawnAt: '2026-06-20T09:00:00Z',
    });
    await f.post(campaign, [tg], 'Library card renewal', {
      status: 'published',
      scheduledAt: '2026-03-03T07:00:00Z',
      publishedAt: '2026-03-03T07:00:20Z',
    });
    await f.snapshots(first!.targetId, [['2026-06-03T07:00:00Z', 3, 1, 0, 0, 12_345, 2]]);
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  const main = (s: WebSession) => s.page.locator('body').innerText();

  it.each(PUBLIC_LOCALES.map((l) => [l] as const))(
    'renders in %s: lang, headings, plurals, months and numbers of that language, no script, axe clean',
    async (locale) => {
      const e = EXPECTED[locale];
      const s = await WebSession.open(browser, api.url);
      expect(await s.goto(`/transparency/i18n-town?lang=${locale}&${PERIOD}`)).toBe(200);
      expect(await s.page.locator('html').getAttribute('lang')).toBe(locale);
      expect(await s.page.title()).toBe(e.title);
      expect(await s.page.locator('h1').textContent()).toBe('Institution i18n-town');
      expect(await s.page.locator('#summary').textContent()).toBe(e.summary);
      expect(await s.page.locator('#methodology').textContent()).toBe(e.methodology);
      expect(await s.page.locator('.summary li').allTextContents()).toEqual(
        expect.arrayContaining([e.published, e.withdrawn, e.likes, e.impressions]),
      );
      // Months in full, in the language's own form, as the row headers of the monthly table.
      expect(await s.page.locator('#per-month-channel').locator('xpath=ancestor::div[1]').locator('tbody th').allTextContents()).toEqual([
        e.march,
        e.june,
      ]);
      // Telegram gives no figures: said in words, not 0.
      expect(
        await s.page
          .getByRole('row', { name: new RegExp(`^${e.march}`) })
          .getByRole('cell', { name: e.notAvailable, exact: true })
          .count(),
      ).toBe(6);
      expect(await s.page.locator('#punctuality + p').textContent()).toContain(e.punctuality);
      // The language menu: plain links, each in its own language, the current one marked.
      const menu = s.page.locator('nav ul.langs a');
      expect(await menu.allTextContents()).toEqual(['English', 'Română', 'Polski', 'Bosanski', 'Українська']);
      for (const [i, l] of PUBLIC_LOCALES.entries())
        expect([await menu.nth(i).getAttribute('lang'), await menu.nth(i).getAttribute('hreflang')]).toEqual([l, l]);
      expect(await s.page.locator('nav a[aria-current="page"]').textContent()).toBe(e.name);
      expect(await s.page.getByRole('button').textContent()).toBe(e.show);
      expect(await s.page.getByRole('link', { name: e.pdf }).getAttribute('href')).toBe(
        `/transparency/i18n-town/report.pdf?${PERIOD}&lang=${locale}`,
      );
      const text = await main(s);
      // A date that ends with a full stop (Bosnian "31. dec 2026.") does not get a second one.
      expect(text).not.toContain('..');
      if (locale !== 'en') {
        for (const word of ENGLISH_WORDS) expect({ word, found: text.includes(word) }).toEqual({ word, found: false });
      }
      expect(await s.page.locator('script').count()).toBe(0);
      // Its own hash-pinned style applies (a CSP refusal would also be a problem below).
      expect(await s.page.evaluate(`getComputedStyle(document.querySelector('header')).borderBottomWidth`)).toBe('4px');
      await s.expectAccessible();
      s.expectClean();
      await s.close();
    },
    180_000,
  );

  it("says the collection cadence and the methodology in the reader's language; report.json stays English with the same fields", async () => {
    const s = await WebSession.open(browser, api.url);
    await s.goto(`/transparency/i18n-town?lang=pl&${PERIOD}`);
    const pl = await main(s);
    expect(pl).toContain(
      'Dane o zaangażowaniu są pobierane co 15 minut do 1 dnia po publikacji, co godzinę do 7 dni po publikacji, codziennie do 30 dni po publikacji, a potem już nie.',
    );
    expect(pl).toContain('Telegram Bot API nie podaje danych o zaangażowaniu, więc nie są one zbierane.');
    await s.goto(`/transparency/i18n-town?lang=uk&${PERIOD}`);
    expect(await main(s)).toContain(
      'кожні 15 хвилин до 1 дня після публікації, щогодини до 7 днів після публікації, щодня до 30 днів після публікації',
    );
    await s.close();

    const json = await api.client().get(`/transparency/i18n-town/report.json?${PERIOD}`);
    expect(Object.keys(json.body)).toEqual([
      'schemaVersion',
      'licence',
      'generatedAt',
      'institution',
      'period',
      'engagementAsOf',
      'totals',
      'publicationsByMonthAndChannel',
      'campaigns',
      'punctuality',
      'topPublications',
      'withdrawn',
      'methodology',
    ]);
    expect(json.body.methodology).toMatchObject({
      engagementDefinition: 'engagement = likes + reposts + replies + quotes, counting only the figures a platform gives',
      collectionCadence:
        'every 15 minutes until 1 day after publication, every hour until 7 days after publication, every day until 30 days after publication, then no more',
      platforms: [
        {
          platform: 'telegram',
          name: 'Telegram',
          provides: [],
          note: 'The Telegram Bot API gives no engagement figures: none are collected.',
        },
        {
          platform: 'x',
          name: 'X',
          provides: ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'],
          note: "X API v2 public and organic metrics; link clicks only for the account's own posts.",
        },
      ],
      notes: [
        "Counters are cumulative: a publication's engagement is the newest value collected, as of the time above.",
        'A figure a platform does not give is "not available" (empty in CSV, null in JSON), never 0.',
        'Lateness is the time from the scheduled time to publication, including any time a publication was held by a blackout window or a suspension of publishing.',
        'Publications later withdrawn are counted, and listed without their text.',
      ],
    });
    const csv = await api.client().get(`/transparency/i18n-town/report.csv?${PERIOD}`);
    expect(String(csv.body).split('\r\n')[0]).toBe(
      'schema_version,institution,month,channel,platform,published,withdrawn,likes,reposts,replies,quotes,impressions,clicks',
    );
  }, 180_000);

  it.each([
    ['pl-PL', 'pl'],
    ['uk-UA', 'uk'],
    ['bs-BA', 'bs'],
    ['en-GB', 'en'],
    ['de-DE', 'ro'], // none of the five: the institution's first official language
  ] as const)(
    'a browser asking for %s gets the page in %s',
    async (browserLocale, expected) => {
      const s = await WebSession.open(browser, api.url, { locale: browserLocale });
      expect(await s.goto(`/transparency/i18n-town?${PERIOD}`)).toBe(200);
      expect(await s.page.locator('html').getAttribute('lang')).toBe(expected);
      expect(await s.page.locator('#summary').textContent()).toBe(EXPECTED[expected].summary);
      s.expectClean();
      await s.close();
    },
    180_000,
  );

  it("?lang wins over the browser's language; the menu and the period form keep the choice and the period", async () => {
    const s = await WebSession.open(browser, api.url, { locale: 'uk-UA' });
    await s.goto(`/transparency/i18n-town?lang=bs&${PERIOD}`);
    expect(await s.page.locator('html').getAttribute('lang')).toBe('bs');

    // Choosing another language from the menu keeps the period asked for.
    await s.page.getByRole('navigation', { name: 'Jezik' }).getByRole('link', { name: 'Polski' }).click();
    await s.page.waitForURL(/lang=pl/);
    expect(await s.page.locator('html').getAttribute('lang')).toBe('pl');
    expect(new URL(s.page.url()).searchParams.get('from')).toBe('2026-01-01');

    // A narrower period through the form, by keyboard: the page stays in Polish.
    await s.page.getByLabel('Od', { exact: true }).fill('2026-06-01');
    await s.page.getByLabel('Do (bez tego dnia)').fill('2026-07-01');
    await s.page.getByRole('button', { name: 'Pokaż' }).press('Enter');
    await s.page.waitForURL(/from=2026-06-01/);
    const url = new URL(s.page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ lang: 'pl', from: '2026-06-01', to: '2026-07-01' });
    expect(await s.page.locator('html').getAttribute('lang')).toBe('pl');
    expect(await s.page.locator('.summary li').first().textContent()).toBe('4 publikacje');
    expect(await s.page.locator('#per-month-channel').locator('xpath=ancestor::div[1]').locator('tbody th').allTextContents()).toEqual([
      'czerwiec 2026',
    ]);

    // And to Ukrainian from there: the same June.
    await s.page.getByRole('link', { name: 'Українська' }).click();
    await s.page.waitForURL(/lang=uk/);
    expect(await s.page.locator('.summary li').first().textContent()).toBe('4 публікації');
    expect(await s.page.getByRole('heading', { level: 2, name: 'Відкликані публікації' }).count()).toBe(1);
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  }, 180_000);

  it('states its language and varies on Accept-Language', async () => {
    const res = await api
      .client()
      .request('GET', `/transparency/i18n-town?${PERIOD}`, undefined, { 'accept-language': 'uk-UA,uk;q=0.9,en;q=0.5' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe('uk');
    expect(res.headers.get('vary')).toMatch(/Accept-Language/i);
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'/);
    expect(String(res.body)).toContain('<html lang="uk">');
  });
});
