import { createHash } from 'node:crypto';
import type { CadenceStep } from '#src/config/config.js';
import type { Platform } from '#src/modules/channels/channel.entity.js';
import { METRICS, PLATFORM_NAMES, type MetricName } from '#src/modules/reports/platform-metrics.js';
import {
  describeCadence,
  duration,
  ENGLISH,
  figure,
  METHOD_NOTES,
  type TransparencyReport,
} from '#src/web/transparency/transparency-report.js';
import { barChart } from '#src/web/charts.js';
import { html, trusted, type SafeHtml } from '#src/web/html.js';
import { type I18n, LOCALE_NAMES, negotiate, PUBLIC_LOCALES, type Locale } from '#src/web/i18n/i18n.js';

/** The page's only style sheet: allowed by its hash, so the Content-Security-Policy needs no 'unsafe-inline' and no script at all. */
const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;margin:0}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{border-bottom:4px solid #1f4e79;padding-top:1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.1rem}
a{color:#0b4f8a}a:focus,input:focus,button:focus,[tabindex]:focus{outline:3px solid #b35900;outline-offset:2px}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;padding:0;list-style:none}
.summary li{border:1px solid #8a8a8a;border-radius:.25rem;padding:.5rem}.summary strong{display:block;font-size:1.4rem}
.table-wrap{overflow-x:auto;margin:1rem 0}
table{border-collapse:collapse;width:100%;font-size:.95rem}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #8a8a8a;padding:.35rem .5rem;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
thead th{background:#e8eef5}
svg.chart{width:100%;height:auto;max-width:48rem;display:block}
.chart .bar{fill:#1f4e79}.chart .axis{stroke:#595959}.chart text{fill:#1a1a1a;font-size:12px}
.muted{color:#4a4a4a}blockquote{margin:.25rem 0;padding-left:.75rem;border-left:3px solid #8a8a8a;overflow-wrap:anywhere}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:1rem 0}label{display:flex;flex-direction:column;font-size:.9rem}
input,button{font:inherit;padding:.3rem .5rem;border:1px solid #595959;border-radius:.2rem}button{background:#1f4e79;color:#fff}
p.training{border:3px solid #7a0000;padding:.5rem .75rem}
footer{margin-top:2rem;padding-bottom:2rem;border-top:1px solid #ccc}
.langs{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:.5rem 0;padding:0}.langs a[aria-current]{font-weight:700;text-decoration:none;color:#1a1a1a;border-bottom:3px solid #1f4e79}
`;

export const TRANSPARENCY_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The language of the page: `?lang` when it names one of the five, else the first of them the
 * browser asks for (Accept-Language, in its order of preference), else the institution's first
 * official language when it is one of them, else English. `explicit`: the reader chose it.
 */
export function transparencyLocale(
  lang: string | undefined,
  acceptLanguage: string | undefined,
  institutionLanguages: readonly string[],
): { locale: Locale; explicit: boolean } {
  const chosen = lang ? PUBLIC_LOCALES.find((l) => l === lang.trim().toLowerCase()) : undefined;
  if (chosen) return { locale: chosen, explicit: true };
  const asked = negotiate(PUBLIC_LOCALES, undefined, acceptLanguage);
  // negotiate() answers English both when English was asked for and when nothing matched: tell them apart.
  const askedEnglish = (acceptLanguage ?? '').split(',').some((part) => {
    const [tag, ...params] = part.trim().split(';');
    const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
    return /^en(-|$)/i.test(tag ?? '') && (q === undefined || Number(q.slice(2)) > 0);
  });
  if (asked !== 'en' || askedEnglish) return { locale: asked, explicit: false };
  const official = PUBLIC_LOCALES.find((l) => l === institutionLanguages[0]?.toLowerCase().split('-')[0]);
  return { locale: official ?? 'en', explicit: false };
}

export interface TransparencyPageOptions {
  i18n?: I18n;
  /** The collection cadence, to say it in the reader's language (else report.json's English sentence). */
  cadence?: CadenceStep[];
  /** The period as the reader asked for it (kept in the language links). */
  query?: { from?: string; to?: string };
  /** Publications on sandbox (training) channels in the period, and whether this page counts them (its training preview). */
  sandbox?: { count: number; included: boolean };
}

const METRIC_KEY = {
  likes: 'transparency.metric.likes',
  reposts: 'transparency.metric.reposts',
  replies: 'transparency.metric.replies',
  quotes: 'transparency.metric.quotes',
  impressions: 'transparency.metric.impressions',
  clicks: 'transparency.metric.clicks',
} as const satisfies Record<MetricName, string>;

export const COUNT_KEY = {
  likes: 'transparency.count.likes',
  reposts: 'transparency.count.reposts',
  replies: 'transparency.count.replies',
  quotes: 'transparency.count.quotes',
  impressions: 'transparency.count.impressions',
  clicks: 'transparency.count.clicks',
} as const satisfies Record<MetricName, string>;

/** Words and formats of one reader's language for the report's figures, dates and months (the page and the PDF). */
export class ReportWords {
  readonly list: Intl.ListFormat;
  constructor(readonly i18n: I18n) {
    this.list = new Intl.ListFormat(i18n.locale, { type: 'conjunction' });
  }
  metric = (m: MetricName) => this.i18n.t(METRIC_KEY[m]);
  metricLower = (m: MetricName) => this.metric(m).toLocaleLowerCase(this.i18n.locale);
  figure = (n: number | null | undefined) => figure(n, this.i18n);
  duration = (s: number | null) => duration(s, this.i18n);
  /** An instant as a day in the institution's time zone. */
  day = (iso: string) => this.i18n.date(new Date(iso));
  /** A calendar date (2026-06-01) as written in the locale. */
  calendarDate = (isoDate: string, dateStyle: 'medium' | 'long' = 'medium') =>
    this.i18n.format(new Date(`${isoDate}T12:00:00Z`), { dateStyle, timeZone: 'UTC' });
  /** A month (2026-06) in full: "June 2026", "czerwiec 2026", "червень 2026 р.". */
  month = (month: string) => this.i18n.format(new Date(`${month}-15T12:00:00Z`), { month: 'long', year: 'numeric', timeZone: 'UTC' });
  shortMonth = (month: string, withYear: boolean) =>
    this.i18n.format(
      new Date(`${month}-15T12:00:00Z`),
      withYear ? { month: 'short', year: '2-digit', timeZone: 'UTC' } : { month: 'short', timeZone: 'UTC' },
    );
  platform = (p: Platform) => PLATFORM_NAMES[p] ?? p;
  /** "Od 1. nov 2026. do 31. dec 2026." : one full stop where a date that ends with one closes the sentence. */
  campaignDates = (from: string, to: string) =>
    this.i18n.t('transparency.campaignDates', { from: this.calendarDate(from), to: this.calendarDate(to) }).replace(/\.\.$/, '.');
  channel = (name: string, p: Platform) => `${name} (${this.platform(p)})`;
}

function table(w: ReportWords, id: string, caption: string, head: string[], rows: SafeHtml[]): SafeHtml {
  return html`<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0"><table><caption id="${id}">${caption}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="${head.length}">${w.i18n.t('transparency.none')}</td></tr>`}</tbody></table></div>`;
}

const query = (params: Record<string, string | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

/** The transparency report as one server-rendered page in the reader's language: readable on a phone, WCAG 2.1 AA, no script. */
export function renderTransparencyPage(r: TransparencyReport, options: TransparencyPageOptions = {}): string {
  const i18n = options.i18n ?? ENGLISH;
  const t = i18n.t.bind(i18n);
  const w = new ReportWords(i18n);
  const lang = i18n.locale;
  const base = `/transparency/${encodeURIComponent(r.institution.slug)}`;
  const toDay = new Date(new Date(`${r.period.lastDay}T12:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
  const period = { from: r.period.firstDay, to: toDay };
  const dataQuery = query(period);
  const num = (n: number | null) => html`<td class="n">${w.figure(n)}</td>`;
  const months = [...new Set(r.publicationsByMonthAndChannel.map((m) => m.month))];
  const manyYears = new Set(months.map((m) => m.slice(0, 4))).size > 1;
  const perMonth = months.map((m) => ({
    label: w.shortMonth(m, manyYears),
    full: w.month(m),
    value: r.publicationsByMonthAndChannel.filter((x) => x.month === m).reduce((s, x) => s + x.published, 0),
  }));
  const totals = r.totals;
  const metricHeads = METRICS.map(w.metric);
  const count = (n: number | null, key: Parameters<typeof t>[0], nullLabel: string) =>
    html`<li><strong>${w.figure(n)}</strong> ${n === null ? nullLabel : t(key, { count: n })}</li>`;
  const training = options.sandbox?.included === true;
  const langLink = (l: Locale) =>
    `${base}${query({ lang: l, from: options.query?.from, to: options.query?.to, sandbox: training ? 'include' : undefined })}`;
  const sandboxLink = (include: boolean) =>
    `${base}${query({ lang, from: options.query?.from, to: options.query?.to, sandbox: include ? 'include' : undefined })}`;
  const newest = r.methodology.newestCollectionAt ? new Date(r.methodology.newestCollectionAt) : null;
  const cadence = options.cadence ? describeCadence(options.cadence, i18n) : r.methodology.collectionCadence;
  const p = r.punctuality;

  const page = html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${training ? `${t('transparency.training.title')}: ` : ''}${t('transparency.title', { name: r.institution.name })}</title>
${training ? html`<meta name="robots" content="noindex">` : ''}
<style>${trusted(STYLE)}</style>
<link rel="alternate" type="application/json" href="${base}/report.json${dataQuery}">
${PUBLIC_LOCALES.filter((l) => l !== lang).map((l) => html`<link rel="alternate" hreflang="${l}" href="${langLink(l)}">`)}
</head><body>
<header>
<nav aria-label="${t('transparency.languages')}"><ul class="langs">${PUBLIC_LOCALES.map(
    (l) =>
      html`<li><a href="${langLink(l)}" lang="${l}" hreflang="${l}"${l === lang ? html` aria-current="page"` : ''}>${LOCALE_NAMES[l]}</a></li>`,
  )}</ul></nav>
<p class="muted">${t('transparency.eyebrow')}</p><h1>${r.institution.name}</h1>
<p>${t('transparency.intro', { name: r.institution.name, from: w.calendarDate(r.period.firstDay, 'long'), to: w.calendarDate(r.period.lastDay, 'long'), asOf: i18n.format(new Date(r.engagementAsOf), { dateStyle: 'long' }) })}</p>
<form method="get" action="${base}" aria-label="${t('transparency.period')}"><input type="hidden" name="lang" value="${lang}">
<label>${t('transparency.from')} <input type="date" name="from" value="${period.from}"></label>
${training ? html`<input type="hidden" name="sandbox" value="include">` : ''}
<label>${t('transparency.to')} <input type="date" name="to" value="${period.to}"></label><button type="submit">${t('transparency.show')}</button></form>
${
  training
    ? html`<p class="training" role="note"><strong>${t('transparency.training.title')}.</strong> ${t('transparency.training.included', { count: options.sandbox!.count })} <a href="${sandboxLink(false)}">${t('transparency.training.hide')}</a></p>`
    : options.sandbox && options.sandbox.count > 0
      ? html`<p class="muted">${t('transparency.training.excluded', { count: options.sandbox.count })} <a href="${sandboxLink(true)}">${t('transparency.training.show')}</a></p>`
      : ''
}
</header>
<main>
<h2 id="summary">${t('transparency.summary')}</h2>
<ul class="summary">
${count(totals.published, 'transparency.count.published', '')}
${count(totals.withdrawn, 'transparency.count.withdrawn', '')}
${METRICS.map((m) => count(totals[m], COUNT_KEY[m], w.metricLower(m)))}
<li><strong>${w.duration(p.p50Seconds)}</strong> ${t('transparency.medianLateness')}</li>
</ul>

<h2 id="per-month">${t('transparency.perMonth')}</h2>
${
  perMonth.length
    ? barChart(
        'months-chart',
        t('transparency.perMonth'),
        t('transparency.chartDesc', { bars: perMonth.map((b) => `${b.full}: ${w.figure(b.value)}`).join('; ') }),
        perMonth,
      )
    : html`<p>${t('transparency.nothingPublished')}</p>`
}
${table(
  w,
  'per-month-channel',
  t('transparency.perMonthCaption'),
  [
    t('transparency.col.month'),
    t('transparency.col.channel'),
    t('transparency.col.published'),
    t('transparency.col.withdrawn'),
    ...metricHeads,
  ],
  r.publicationsByMonthAndChannel.map(
    (m) =>
      html`<tr><th scope="row">${w.month(m.month)}</th><td>${w.channel(m.channel, m.platform)}</td>${num(m.published)}${num(m.withdrawn)}${METRICS.map((k) => num(m[k]))}</tr>`,
  ),
)}

<h2 id="campaigns">${t('transparency.campaigns')}</h2>
${
  r.campaigns.length
    ? r.campaigns.map(
        (c, i) => html`<section aria-labelledby="campaign-${i}"><h3 id="campaign-${i}">${c.title}</h3>
<p>${c.goal || t('transparency.noGoal')}</p><p class="muted">${w.campaignDates(c.startsOn, c.endsOn)} ${c.partners.length ? t('transparency.partners', { list: w.list.format(c.partners) }) : t('transparency.noPartners')}</p></section>`,
      )
    : html`<p>${t('transparency.noCampaigns')}</p>`
}
${table(
  w,
  'campaign-figures',
  t('transparency.campaignsCaption'),
  [t('transparency.col.campaign'), t('transparency.col.published'), t('transparency.col.engagement'), ...metricHeads],
  r.campaigns.map(
    (c) => html`<tr><th scope="row">${c.title}</th>${num(c.published)}${num(c.engagement)}${METRICS.map((k) => num(c[k]))}</tr>`,
  ),
)}

<h2 id="top">${t('transparency.top')}</h2>
${
  r.topPublications.length
    ? html`<ol>${r.topPublications.map(
        (x) => html`<li><blockquote lang="${x.language}">${x.text}</blockquote>
<p class="muted">${t('transparency.topMeta', { date: w.day(x.publishedAt), channel: w.channel(x.channel, x.platform), campaign: x.campaign, engagement: w.figure(x.engagement) })}${x.url ? html` <a href="${x.url}">${t('transparency.seePublication')}</a>` : ''}</p></li>`,
      )}</ol>`
    : html`<p>${t('transparency.nothingPublished')}</p>`
}

<h2 id="withdrawn">${t('transparency.withdrawn')}</h2>
<p>${t('transparency.withdrawnIntro')}</p>
${table(
  w,
  'withdrawn-list',
  t('transparency.withdrawnCaption'),
  [t('transparency.col.publishedOn'), t('transparency.col.withdrawnOn'), t('transparency.col.channel'), t('transparency.col.campaign')],
  r.withdrawn.map(
    (x) =>
      html`<tr><td>${w.day(x.publishedAt)}</td><td>${x.withdrawnAt ? w.day(x.withdrawnAt) : t('transparency.notAvailable')}</td><td>${w.channel(x.channel, x.platform)}</td><td>${x.campaign}</td></tr>`,
  ),
)}

<h2 id="punctuality">${t('transparency.punctuality')}</h2>
<p>${p.count ? t('transparency.punctualityText', { p50: w.duration(p.p50Seconds), p95: w.duration(p.p95Seconds), max: w.duration(p.maxSeconds), count: p.count }) : t('transparency.nothingPublished')}</p>
${table(
  w,
  'punctuality-channels',
  t('transparency.punctualityCaption'),
  [
    t('transparency.col.channel'),
    t('transparency.col.publications'),
    t('transparency.col.median'),
    t('transparency.col.p95'),
    t('transparency.col.max'),
  ],
  p.byChannel.map(
    (c) =>
      html`<tr><th scope="row">${w.channel(c.channel, c.platform)}</th>${num(c.count)}<td class="n">${w.duration(c.p50Seconds)}</td><td class="n">${w.duration(c.p95Seconds)}</td><td class="n">${w.duration(c.maxSeconds)}</td></tr>`,
  ),
)}

<h2 id="methodology">${t('transparency.methodology')}</h2>
<p>${t('transparency.methodText', {
    definition: t('transparency.method.definition'),
    cadence,
    newest: newest ? t('transparency.newestAt', { at: i18n.dateTime(newest), zone: i18n.zoneName(newest) }) : t('transparency.noneYet'),
  })}</p>
${table(
  w,
  'platform-metrics',
  t('transparency.platformsCaption'),
  [t('transparency.col.platform'), t('transparency.col.provides'), t('transparency.col.notes')],
  r.methodology.platforms.map(
    (x) =>
      html`<tr><th scope="row">${w.platform(x.platform)}</th><td>${x.provides.length ? w.list.format(x.provides.map(w.metricLower)) : t('transparency.providesNone')}</td><td>${t(`transparency.platformNote.${x.platform}`)}</td></tr>`,
  ),
)}
<ul>${METHOD_NOTES.map((n) => html`<li>${t(n)}</li>`)}</ul>
</main>
<footer><h2 id="open-data">${t('transparency.openData')}</h2>
<p>${t('transparency.openDataText', { licence: r.licence, version: r.schemaVersion })} <a href="${base}/report.json${dataQuery}">JSON</a>, <a href="${base}/report.csv${dataQuery}">CSV</a>, <a href="${base}/report.pdf${query({ ...period, lang })}">${t('transparency.pdf')}</a>.</p>
<p>${t('transparency.dataInEnglish')} ${t('transparency.generated', { at: i18n.dateTime(new Date(r.generatedAt)) })}</p></footer>
</body></html>`;
  return page.value;
}
