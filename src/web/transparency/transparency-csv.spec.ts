import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { renderTransparencyCsv } from '#src/web/transparency/transparency-csv.js';
import type { TransparencyReport } from '#src/web/transparency/transparency-report.js';

/** The part of a report the CSV reads: one row per month and channel. */
const report = (channels: string[]) =>
  ({
    schemaVersion: '1.0',
    institution: { slug: 'city' },
    publicationsByMonthAndChannel: channels.map((channel) => ({
      month: '2026-06',
      channel,
      platform: 'x',
      published: 2,
      withdrawn: 0,
      likes: -1,
      reposts: null,
      replies: 0,
      quotes: 0,
      impressions: 10,
      clicks: null,
    })),
  }) as unknown as TransparencyReport;

describe('report.csv', () => {
  it('writes a cell a spreadsheet would run as a formula with a leading apostrophe; figures stay numbers', () => {
    const hostile = ['=HYPERLINK("http://evil.example","City")', '+1+cmd|calc', '-2+3', '@SUM(A1)', '\tTab', '\rReturn'];
    const rows = parse(renderTransparencyCsv(report([...hostile, 'City on X'])), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.channel)).toEqual([...hostile.map((h) => `'${h}`), 'City on X']);
    expect(rows[0]).toMatchObject({ published: '2', likes: '-1', reposts: '', impressions: '10' });
  });
});
