import { describe, expect, it } from '@jest/globals';
import { renderTransparencyPdf } from '#src/web/transparency/transparency-pdf.js';
import type { TransparencyReport } from '#src/web/transparency/transparency-report.js';
import { pdfText } from '#test/browser/pdf-text.js';

const nulls = { likes: null, reposts: null, replies: null, quotes: null, impressions: null, clicks: null };

/** A small report in the languages of the institutions CivicPost serves. */
const report: TransparencyReport = {
  schemaVersion: '1.0',
  licence: 'CC-BY-4.0',
  generatedAt: '2026-11-30T10:00:00.000Z',
  institution: { name: 'Primăria Municipiului Cluj-Napoca', slug: 'cluj', timeZone: 'Europe/Bucharest' },
  period: { from: '2025-11-30T22:00:00.000Z', to: '2026-11-30T22:00:00.000Z', firstDay: '2025-12-01', lastDay: '2026-11-30' },
  engagementAsOf: '2026-11-30T10:00:00.000Z',
  totals: { published: 1, withdrawn: 0, engagement: 12, ...nulls, likes: 12 },
  publicationsByMonthAndChannel: [
    { month: '2026-11', channel: 'Primăria pe Mastodon', platform: 'mastodon', published: 1, withdrawn: 0, ...nulls, likes: 12 },
  ],
  campaigns: [
    {
      title: 'Consultare publică: șoseaua de centură',
      goal: 'Öt kerület véleménye; łączność; Україна',
      startsOn: '2026-11-01',
      endsOn: '2026-12-31',
      partners: ['Asociația Tineri pentru Cluj'],
      published: 1,
      engagement: 12,
      ...nulls,
      likes: 12,
    },
  ],
  punctuality: { count: 1, p50Seconds: 1, p95Seconds: 1, maxSeconds: 1, byChannel: [] },
  topPublications: [
    {
      publishedAt: '2026-11-29T08:00:00.000Z',
      channel: 'Primăria pe Mastodon',
      platform: 'mastodon',
      campaign: 'Consultare publică: șoseaua de centură',
      language: 'ro',
      text: 'Spuneți-ne părerea până pe 15 ianuarie: țară, șosea, ăâî',
      url: null,
      engagement: 12,
      ...nulls,
      likes: 12,
    },
  ],
  withdrawn: [],
  methodology: {
    engagementDefinition: 'likes + reposts + replies + quotes',
    collectionCadence: 'every 15 minutes for a day',
    newestCollectionAt: null,
    platforms: [],
    notes: [],
  },
};

describe('the transparency report as PDF', () => {
  it('keeps every letter of Romanian, Hungarian, Polish and Ukrainian text (an embedded Unicode font)', async () => {
    const pdf = await renderTransparencyPdf(report);
    const text = await pdfText(pdf);
    for (const s of [
      'Primăria Municipiului Cluj-Napoca',
      'Consultare publică: șoseaua de centură',
      'Öt kerület véleménye; łączność; Україна',
      'țară, șosea, ăâî',
    ])
      expect(text).toContain(s);
  });
});
