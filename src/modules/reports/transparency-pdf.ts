import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { METRICS } from '#src/modules/reports/platform-metrics.js';
import { duration, figure, type TransparencyReport } from '#src/modules/reports/transparency-report.js';

/**
 * DejaVu Sans, embedded (subset) in the PDF: the standard PDF fonts write Windows-1252 only, and the
 * institutions' languages need more (Romanian ș ț, Hungarian ő ű, Polish ł, Ukrainian Cyrillic).
 */
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** The same report as the page, for printing and archiving: A4, text and tables, no engagement of withdrawn text. */
export function renderTransparencyPdf(r: TransparencyReport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Transparency report: ${r.institution.name}`, Author: r.institution.name, Subject: `${r.period.firstDay} to ${r.period.lastDay}` }, lang: 'en' });
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
  const line = (cells: string[], bold = false) => doc.font(bold ? 'bold' : 'body').fontSize(9).text(cells.join('  |  '));
  const t = r.totals;

  h1(`Transparency report: ${r.institution.name}`);
  p(`Publications from ${r.period.firstDay} to ${r.period.lastDay} (${r.institution.timeZone}); engagement as of ${r.engagementAsOf}. Licence ${r.licence}, schema ${r.schemaVersion}. Generated ${r.generatedAt}.`);
  h2('Summary');
  p(`${figure(t.published)} publications, ${figure(t.withdrawn)} later withdrawn. ` + METRICS.map((m) => `${m}: ${figure(t[m])}`).join(', ') + '.');
  h2('Publications per month and channel');
  line(['Month', 'Channel', 'Published', 'Withdrawn', ...METRICS], true);
  for (const m of r.publicationsByMonthAndChannel) line([m.month, `${m.channel} (${m.platform})`, String(m.published), String(m.withdrawn), ...METRICS.map((k) => figure(m[k]))]);
  if (!r.publicationsByMonthAndChannel.length) p('Nothing was published in this period.');
  h2('Campaigns');
  for (const c of r.campaigns) {
    doc.font('bold').fontSize(10).text(c.title);
    p(`${c.goal || 'No goal stated.'} ${c.startsOn} to ${c.endsOn}. Partner organisations: ${c.partners.join(', ') || 'none'}. Published ${c.published}; engagement ${figure(c.engagement)}.`);
  }
  if (!r.campaigns.length) p('No campaign published anything in this period.');
  h2('Most engaged publications');
  r.topPublications.forEach((x, i) => p(`${i + 1}. ${x.publishedAt.slice(0, 10)}, ${x.channel} (${x.platform}), ${x.campaign}: "${x.text}" Engagement ${figure(x.engagement)}.${x.url ? ` ${x.url}` : ''}`));
  h2('Withdrawn publications');
  p('Counted above; listed without their text.');
  for (const w of r.withdrawn) line([`published ${w.publishedAt.slice(0, 10)}`, `withdrawn ${w.withdrawnAt?.slice(0, 10) ?? 'not available'}`, `${w.channel} (${w.platform})`, w.campaign]);
  h2('Punctuality');
  p(`${figure(r.punctuality.count)} publications: median lateness ${duration(r.punctuality.p50Seconds)}, 95th percentile ${duration(r.punctuality.p95Seconds)}, latest ${duration(r.punctuality.maxSeconds)}.`);
  for (const c of r.punctuality.byChannel) line([`${c.channel} (${c.platform})`, `${c.count} publications`, `median ${duration(c.p50Seconds)}`, `p95 ${duration(c.p95Seconds)}`, `latest ${duration(c.maxSeconds)}`]);
  h2('Methodology');
  p(`${r.methodology.engagementDefinition}. Collected ${r.methodology.collectionCadence}. Newest collection: ${r.methodology.newestCollectionAt ?? 'none yet'}.`);
  for (const pl of r.methodology.platforms) p(`${pl.name}: ${pl.provides.join(', ') || 'no figures'}. ${pl.note}`);
  for (const n of r.methodology.notes) p(n);
  doc.end();
  return done;
}
