import type { CadenceStep } from '#src/config/config.js';
import type { Platform } from '#src/modules/channels/channel.entity.js';
import type { MetricName } from '#src/modules/reports/platform-metrics.js';
import type { TransparencyData } from '#src/modules/reports/transparency-data.js';
import { I18n } from '#src/web/i18n/i18n.js';

/**
 * The public transparency report, schema version 1.0 (docs/open-data.md): what report.json
 * serves as is, and what the page, the CSV and the PDF are rendered from. Only published
 * publications on real platforms appear; nobody's identity does.
 */
export interface TransparencyReport extends Omit<TransparencyData, 'methodology'> {
  methodology: {
    engagementDefinition: string;
    collectionCadence: string;
    newestCollectionAt: string | null;
    platforms: Array<{ platform: Platform; name: string; provides: MetricName[]; note: string }>;
    notes: string[];
  };
}

/** English: the language of report.json's sentences (docs/open-data.md) and the default of the page and PDF. */
export const ENGLISH = new I18n('en');

/** A figure for people in the reader's language: "not available" for null, thousands grouped as the locale does. */
export function figure(n: number | null | undefined, i18n: I18n = ENGLISH): string {
  if (n === null || n === undefined) return i18n.t('transparency.notAvailable');
  return i18n.number(n, { maximumFractionDigits: 1 });
}

/** A lateness in seconds for people, in the locale's short units: 45 s, 3 min, 2.5 h (45 sek., 3 хв, 2,5 год). */
export function duration(seconds: number | null, i18n: I18n = ENGLISH): string {
  if (seconds === null) return i18n.t('transparency.notAvailable');
  const unit = (n: number, u: 'second' | 'minute' | 'hour') =>
    i18n.number(n, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 });
  if (seconds < 90) return unit(Math.round(seconds), 'second');
  if (seconds < 5_400) return unit(Math.round(seconds / 60), 'minute');
  return unit(Math.round((seconds / 3_600) * 10) / 10, 'hour');
}

const UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
] as const;

/**
 * The engagement collection cadence as a phrase: "every 15 minutes until 1 day after publication, …,
 * then no more" (English: the value of methodology.collectionCadence in report.json), or in the reader's language.
 */
export function describeCadence(steps: CadenceStep[], i18n: I18n = ENGLISH): string {
  const whole = (ms: number) => UNITS.find(([, size]) => ms % size === 0) ?? (['minute', 60_000] as const);
  const every = (ms: number) => {
    const [unit, size] = whole(ms);
    return i18n.t(`transparency.cadence.every.${unit}`, { n: ms / size });
  };
  const until = (ms: number) => {
    const [unit, size] = whole(ms);
    return i18n.t(`transparency.cadence.until.${unit}`, { n: ms / size });
  };
  const parts = steps.map((s) => i18n.t('transparency.cadence.step', { every: every(s.everyMs), until: until(s.untilAgeMs) }));
  return i18n.t('transparency.cadence.end', { steps: parts.join(', ') });
}

/** The methodology's general notes, in order (report.json carries them in English). */
export const METHOD_NOTES = [
  'transparency.note.cumulative',
  'transparency.note.notAvailable',
  'transparency.note.lateness',
  'transparency.note.withdrawn',
] as const;

/** The report as report.json serves it: the figures, with the methodology worded in English. */
export function inEnglish(data: TransparencyData): TransparencyReport {
  const { methodology, ...figures } = data;
  return {
    ...figures,
    methodology: {
      engagementDefinition: ENGLISH.t('transparency.method.definition'),
      collectionCadence: describeCadence(methodology.cadence),
      newestCollectionAt: methodology.newestCollectionAt,
      platforms: methodology.platforms.map((p) => ({ ...p, note: ENGLISH.t(`transparency.platformNote.${p.platform}`) })),
      notes: METHOD_NOTES.map((key) => ENGLISH.t(key)),
    },
  };
}
