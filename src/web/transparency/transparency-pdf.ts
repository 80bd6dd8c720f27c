import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { CadenceStep } from '#src/config/config.js';
import { METRICS } from '#src/modules/reports/platform-metrics.js';
import { COUNT_KEY, ReportWords } from '#src/web/transparency/transparency-page.js';
import { describeCadence, ENGLISH, METHOD_NOTES, type TransparencyReport } from '#src/web/transparency/transparency-report.js';
import type { I18n } from '#src/web/i18n/i18n.js';

/**
 * DejaVu Sans, embedded (subset) in the PDF: the standard PDF fonts write Windows-1252 only, and the
 * institutions' languages need more (Romanian ș ț, Hungarian ő ű, Polish ł, Ukrainian Cyrillic).
 */
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/**
 * The same report as the page, for printing and archiving: A4, text and tables, no engagement of withdrawn
 * text; in the reader's language (the page's PDF link carries it), English by default.
 */
export function renderTransparencyPdf(r: TransparencyReport, options: { i18n?: I18n; cadence?: CadenceStep[] } = {}): Promise<Buffer> {
  const i18n = options.i18n ?? ENGLISH;
  const t = i18n.t.bind(i18n);
  const w = new ReportWords(i18n);
  const title = t('transparency.title', { name: r.institution.name });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: title, Author: r.institution.name, Subject: `${r.period.firstDay} – ${r.period.lastDay}` },
    lang: i18n.locale,
  });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const h1 = (s: string) => doc.font('bold').fontSize(18).text(s).moveDown(0.5);
  const h2 = (s: string) => doc.moveDown(0.8).font('bold').fontSize(13).text(s).moveDown(0.3);
  const p = (s: string) => doc.font('body').fontSize(10).text(s).moveDown(0.3);
  const line = (cells: string[], bold = false) =>
    doc
      .font(bold ? 'bold' : 'body')
      .fontSize(9)
      .text(cells.join('  |  '));
  const totals = r.totals;
  const counted = (
    n: number | null,
    key: (typeof COUNT_KEY)[keyof typeof COUNT_KEY] | 'transparency.count.published' | 'transparency.count.withdrawn',
    nullLabel: string,
  ) => `${w.figure(n)} ${n === null ? nullLabel : t(key, { count: n })}`;

  h1(title);
  p(
    t('transparency.intro', {
      name: r.institution.name,
      from: w.calendarDate(r.period.firstDay, 'long'),
      to: w.calendarDate(r.period.lastDay, 'long'),
      asOf: i18n.format(new Date(r.engagementAsOf), { dateStyle: 'long' }),
    }),
  );
  p(
    `${t('transparency.openDataText', { licence: r.licence, version: r.schemaVersion })} JSON, CSV. ${t('transparency.generated', { at: i18n.dateTime(new Date(r.generatedAt)) })}`,
  );
  h2(t('transparency.summary'));
  p(
    [
      counted(totals.published, 'transparency.count.published', ''),
      counted(totals.withdrawn, 'transparency.count.withdrawn', ''),
      ...METRICS.map((m) => counted(totals[m], COUNT_KEY[m], w.metricLower(m))),
      `${w.duration(r.punctuality.p50Seconds)} ${t('transparency.medianLateness')}`,
    ].join('; ') + '.',
  );
  h2(t('transparency.perMonthCaption'));
  line(
    [
      t('transparency.col.month'),
      t('transparency.col.channel'),
      t('transparency.col.published'),
      t('transparency.col.withdrawn'),
      ...METRICS.map(w.metric),
    ],
    true,
  );
  for (const m of r.publicationsByMonthAndChannel)
    line([
      w.month(m.month),
      w.channel(m.channel, m.platform),
      w.figure(m.published),
      w.figure(m.withdrawn),
      ...METRICS.map((k) => w.figure(m[k])),
    ]);
  if (!r.publicationsByMonthAndChannel.length) p(t('transparency.nothingPublished'));
  h2(t('transparency.campaigns'));
  for (const c of r.campaigns) {
    doc.font('bold').fontSize(10).text(c.title);
    p(
      `${c.goal || t('transparency.noGoal')} ${w.campaignDates(c.startsOn, c.endsOn)} ` +
        `${c.partners.length ? t('transparency.partners', { list: w.list.format(c.partners) }) : t('transparency.noPartners')} ` +
        `${t('transparency.col.published')}: ${w.figure(c.published)}; ${t('transparency.col.engagement')}: ${w.figure(c.engagement)}.`,
    );
  }
  if (!r.campaigns.length) p(t('transparency.noCampaigns'));
  h2(t('transparency.top'));
  r.topPublications.forEach((x, i) =>
    p(
      `${i + 1}. "${x.text}" ${t('transparency.topMeta', { date: w.day(x.publishedAt), channel: w.channel(x.channel, x.platform), campaign: x.campaign, engagement: w.figure(x.engagement) })}${x.url ? ` ${x.url}` : ''}`,
    ),
  );
  if (!r.topPublications.length) p(t('transparency.nothingPublished'));
  h2(t('transparency.withdrawn'));
  p(t('transparency.withdrawnIntro'));
  if (r.withdrawn.length)
    line(
      [t('transparency.col.publishedOn'), t('transparency.col.withdrawnOn'), t('transparency.col.channel'), t('transparency.col.campaign')],
      true,
    );
  for (const x of r.withdrawn)
    line([
      w.day(x.publishedAt),
      x.withdrawnAt ? w.day(x.withdrawnAt) : t('transparency.notAvailable'),
      w.channel(x.channel, x.platform),
      x.campaign,
    ]);
  h2(t('transparency.punctuality'));
  const q = r.punctuality;
  p(
    q.count
      ? t('transparency.punctualityText', {
          p50: w.duration(q.p50Seconds),
          p95: w.duration(q.p95Seconds),
          max: w.duration(q.maxSeconds),
          count: q.count,
        })
      : t('transparency.nothingPublished'),
  );
  if (q.byChannel.length)
    line(
      [
        t('transparency.col.channel'),
        t('transparency.col.publications'),
        t('transparency.col.median'),
        t('transparency.col.p95'),
        t('transparency.col.max'),
      ],
      true,
    );
  for (const c of q.byChannel)
    line([
      w.channel(c.channel, c.platform),
      w.figure(c.count),
      w.duration(c.p50Seconds),
      w.duration(c.p95Seconds),
      w.duration(c.maxSeconds),
    ]);
  h2(t('transparency.methodology'));
  const newest = r.methodology.newestCollectionAt ? new Date(r.methodology.newestCollectionAt) : null;
  p(
    t('transparency.methodText', {
      definition: t('transparency.method.definition'),
      cadence: options.cadence ? describeCadence(options.cadence, i18n) : r.methodology.collectionCadence,
      newest: newest ? t('transparency.newestAt', { at: i18n.dateTime(newest), zone: i18n.zoneName(newest) }) : t('transparency.noneYet'),
    }),
  );
  for (const x of r.methodology.platforms)
    p(
      `${w.platform(x.platform)}: ${x.provides.length ? w.list.format(x.provides.map(w.metricLower)) : t('transparency.providesNone')}. ${t(`transparency.platformNote.${x.platform}`)}`,
    );
  for (const n of METHOD_NOTES) p(t(n));
  doc.end();
  return done;
}
