import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { barChart } from '#src/web/charts.js';
import { html, trusted, type SafeHtml } from '#src/web/html.js';
import { METRICS, type MetricName } from '#src/modules/reports/platform-metrics.js';
import { duration, figure, type TransparencyReport } from '#src/modules/reports/transparency-report.js';

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
footer{margin-top:2rem;padding-bottom:2rem;border-top:1px solid #ccc}
`;

export const TRANSPARENCY_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const METRIC_LABELS: Record<MetricName, string> = { likes: 'Likes', reposts: 'Reposts and shares', replies: 'Replies and comments', quotes: 'Quotes', impressions: 'Impressions and views', clicks: 'Clicks' };

const monthLabel = (month: string) => DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC' }).toFormat('LLL yyyy', { locale: 'en' });
const dayOf = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('d LLL yyyy', { locale: 'en' });

function table(id: string, caption: string, head: string[], rows: SafeHtml[]): SafeHtml {
  return html`<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0"><table><caption id="${id}">${caption}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="${head.length}">None in this period.</td></tr>`}</tbody></table></div>`;
}

const num = (n: number | null) => html`<td class="n">${figure(n)}</td>`;

/** The transparency report as one server-rendered page: readable on a phone, WCAG 2.1 AA, no script. */
export function renderTransparencyPage(r: TransparencyReport): string {
  const zone = r.institution.timeZone;
  const base = `/transparency/${encodeURIComponent(r.institution.slug)}`;
  const query = `?from=${r.period.firstDay}&to=${DateTime.fromISO(r.period.lastDay).plus({ days: 1 }).toISODate()}`;
  const months = [...new Set(r.publicationsByMonthAndChannel.map((m) => m.month))];
  const perMonth = months.map((m) => ({ label: monthLabel(m), value: r.publicationsByMonthAndChannel.filter((x) => x.month === m).reduce((s, x) => s + x.published, 0) }));
  const t = r.totals;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Transparency report: ${r.institution.name}</title>
<style>${trusted(STYLE)}</style>
<link rel="alternate" type="application/json" href="${base}/report.json${query}">
</head><body>
<header><p class="muted">Public transparency report</p><h1>${r.institution.name}</h1>
<p>What ${r.institution.name} published on social media from ${dayOf(r.period.from, zone)} to ${DateTime.fromISO(r.period.lastDay).toFormat('d LLL yyyy', { locale: 'en' })}, and how people engaged with it (figures as of ${dayOf(r.engagementAsOf, zone)}).</p>
<form method="get" action="${base}" aria-label="Choose the period"><label>From <input type="date" name="from" value="${r.period.firstDay}"></label>
<label>To (not included) <input type="date" name="to" value="${DateTime.fromISO(r.period.lastDay).plus({ days: 1 }).toISODate()}"></label><button type="submit">Show</button></form>
</header>
<main>
<h2 id="summary">Summary</h2>
<ul class="summary">
<li><strong>${figure(t.published)}</strong> publications</li>
<li><strong>${figure(t.withdrawn)}</strong> later withdrawn</li>
${METRICS.map((m) => html`<li><strong>${figure(t[m])}</strong> ${METRIC_LABELS[m].toLowerCase()}</li>`)}
<li><strong>${duration(r.punctuality.p50Seconds)}</strong> median lateness</li>
</ul>

<h2 id="per-month">Publications per month</h2>
${perMonth.length ? barChart('months-chart', 'Publications per month', `Bar chart of publications per month, ${perMonth.map((p) => `${p.label}: ${p.value}`).join('; ')}. The same figures per channel are in the table below.`, perMonth) : html`<p>Nothing was published in this period.</p>`}
${table('per-month-channel', 'Publications and engagement per month and channel', ['Month', 'Channel', 'Published', 'Withdrawn', ...METRICS.map((m) => METRIC_LABELS[m])],
  r.publicationsByMonthAndChannel.map((m) => html`<tr><th scope="row">${monthLabel(m.month)}</th><td>${m.channel} (${m.platform})</td>${num(m.published)}${num(m.withdrawn)}${METRICS.map((k) => num(m[k]))}</tr>`))}

<h2 id="campaigns">Campaigns</h2>
${r.campaigns.length ? r.campaigns.map((c, i) => html`<section aria-labelledby="campaign-${i}"><h3 id="campaign-${i}">${c.title}</h3>
<p>${c.goal || 'No goal stated.'}</p><p class="muted">${c.startsOn} to ${c.endsOn}. Partner organisations: ${c.partners.length ? c.partners.join(', ') : 'none'}.</p></section>`) : html`<p>No campaign published anything in this period.</p>`}
${table('campaign-figures', 'Publications and engagement per campaign', ['Campaign', 'Published', 'Engagement', ...METRICS.map((m) => METRIC_LABELS[m])],
  r.campaigns.map((c) => html`<tr><th scope="row">${c.title}</th>${num(c.published)}${num(c.engagement)}${METRICS.map((k) => num(c[k]))}</tr>`))}

<h2 id="top">Most engaged publications</h2>
${r.topPublications.length ? html`<ol>${r.topPublications.map((p) => html`<li><blockquote lang="${p.language}">${p.text}</blockquote>
<p class="muted">${dayOf(p.publishedAt, zone)}, ${p.channel} (${p.platform}), campaign ${p.campaign}. Engagement ${figure(p.engagement)}${p.url ? html`, <a href="${p.url}">see the publication</a>` : ''}.</p></li>`)}</ol>` : html`<p>No publications in this period.</p>`}

<h2 id="withdrawn">Withdrawn publications</h2>
<p>Publications taken down after they were published are counted above and listed here without their text.</p>
${table('withdrawn-list', 'Publications later withdrawn', ['Published', 'Withdrawn', 'Channel', 'Campaign'],
  r.withdrawn.map((w) => html`<tr><td>${dayOf(w.publishedAt, zone)}</td><td>${w.withdrawnAt ? dayOf(w.withdrawnAt, zone) : 'not available'}</td><td>${w.channel} (${w.platform})</td><td>${w.campaign}</td></tr>`))}

<h2 id="punctuality">Punctuality</h2>
<p>How late publications went out after their scheduled time: half went out within ${duration(r.punctuality.p50Seconds)}, 95% within ${duration(r.punctuality.p95Seconds)}; the latest ${duration(r.punctuality.maxSeconds)} (${figure(r.punctuality.count)} publications).</p>
${table('punctuality-channels', 'Lateness per channel', ['Channel', 'Publications', 'Median', '95th percentile', 'Latest'],
  r.punctuality.byChannel.map((c) => html`<tr><th scope="row">${c.channel} (${c.platform})</th>${num(c.count)}<td class="n">${duration(c.p50Seconds)}</td><td class="n">${duration(c.p95Seconds)}</td><td class="n">${duration(c.maxSeconds)}</td></tr>`))}

<h2 id="methodology">Methodology</h2>
<p>${r.methodology.engagementDefinition}. Engagement is collected ${r.methodology.collectionCadence}. Newest collection: ${r.methodology.newestCollectionAt ? dayOf(r.methodology.newestCollectionAt, zone) + ' ' + DateTime.fromISO(r.methodology.newestCollectionAt, { zone }).toFormat('HH:mm') + ` (${zone})` : 'none yet'}.</p>
${table('platform-metrics', 'Figures each platform provides', ['Platform', 'Provides', 'Notes'],
  r.methodology.platforms.map((p) => html`<tr><th scope="row">${p.name}</th><td>${p.provides.length ? p.provides.map((m) => METRIC_LABELS[m].toLowerCase()).join(', ') : 'none'}</td><td>${p.note}</td></tr>`))}
<ul>${r.methodology.notes.map((n) => html`<li>${n}</li>`)}</ul>
</main>
<footer><h2 id="open-data">Open data</h2>
<p>This report as data, licence ${r.licence}, schema version ${r.schemaVersion}: <a href="${base}/report.json${query}">JSON</a>, <a href="${base}/report.csv${query}">CSV</a>, <a href="${base}/report.pdf${query}">PDF for printing</a>. Generated ${r.generatedAt}.</p></footer>
</body></html>`;
  return page.value;
}
