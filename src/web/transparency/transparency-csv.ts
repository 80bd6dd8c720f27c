import { stringify } from 'csv-stringify/sync';
import { METRICS } from '#src/modules/reports/platform-metrics.js';
import type { TransparencyReport } from '#src/web/transparency/transparency-report.js';

/** Stable column names of report.csv, schema 1.0 (docs/open-data.md): one row per month and channel. */
export const CSV_COLUMNS = ['schema_version', 'institution', 'month', 'channel', 'platform', 'published', 'withdrawn', ...METRICS] as const;

/**
 * RFC 4180 CSV; an empty cell is a figure that is not available (never 0). A text cell that a
 * spreadsheet would read as a formula (=, +, -, @, a tab or a carriage return first: a channel's
 * name is chosen by a user) is written with a leading apostrophe, so opening the open data runs nothing.
 */
export function renderTransparencyCsv(r: TransparencyReport): string {
  const rows = r.publicationsByMonthAndChannel.map((m) => [
    r.schemaVersion,
    r.institution.slug,
    m.month,
    m.channel,
    m.platform,
    m.published,
    m.withdrawn,
    ...METRICS.map((k) => m[k] ?? ''),
  ]);
  return stringify([CSV_COLUMNS as unknown as string[], ...rows], { record_delimiter: '\r\n', escape_formulas: true });
}
