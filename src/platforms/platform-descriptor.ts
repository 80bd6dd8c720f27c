/**
 * What CivicPost knows of a platform, said once per platform in `platforms/<id>/<id>.platform.ts`:
 * the registry (platform-registry.ts) lists the descriptors, and the platform list, text rules,
 * metrics table, channel forms, configuration and adapter map are derived from it.
 */
import type { Clock } from '#src/common/clock.js';
import type { PlatformAdapter } from '#src/platforms/platform-adapter.js';
import type { BaseUrlVariable, PlatformOptions } from '#src/platforms/platform-options.js';
import type { SandboxStore } from '#src/platforms/sandbox/sandbox-store.js';

/** Engagement metrics, in the order reports show them (the fields of an adapter's `Metrics`). */
export const METRICS = ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'] as const;
export type MetricName = (typeof METRICS)[number];

/** A channel's non-secret settings, as stored; some platforms read limits from them (Mastodon). */
export type ChannelSettings = { maxCharacters?: number } & Record<string, unknown>;

/** What a platform accepts of an image (sources: platform-apis.md and each platform's media docs). */
export interface ImageRule {
  types: string[];
  maxBytes: number;
  /** Width x height, where the platform limits it. */
  maxPixels?: number;
}

export interface TextRule {
  /** What `count` counts, for messages. */
  unit: string;
  limit: number;
  count: (text: string, settings?: ChannelSettings) => number;
  /** A limit other than `limit` for this channel (an instance's own), or for a text sent with media (a caption). */
  limitFor?: (settings: ChannelSettings | undefined, opts: { hasMedia: boolean }) => number | undefined;
  /** When media go with the text, what is counted (a caption carrying the alt texts) and the unit then said. */
  withMedia?: { text: (text: string, altTexts: string[]) => string; unit: string };
}

export interface MediaRule {
  /** Media per post. */
  maxItems: number;
  images: ImageRule;
  /** Images as this channel accepts them, when its settings say otherwise (a Mastodon instance's size limit). */
  imagesFor?: (settings: ChannelSettings | undefined) => ImageRule | undefined;
  /** Whether an outside address will do (nothing is sent: the sandbox shows it); real platforms need the bytes. */
  acceptsOutsideUrls?: boolean;
  /** Width + height at most this (Telegram). */
  maxWidthPlusHeight?: number;
}

/** How the channels service checks a setting (a settings field), besides being present. */
export type SettingCheck =
  /** An http(s) URL of the platform's server; stored without trailing slashes. */
  { kind: 'url'; default?: string } | { kind: 'pattern'; pattern: RegExp; problem: string };

/**
 * One field of the channel form: a non-secret setting that says where the channel posts, or a
 * credential. Labels and hints are message keys of the staff pages' catalogs (src/web/i18n).
 */
export interface PlatformField {
  group: 'settings' | 'credentials';
  key: string;
  label: string;
  hint?: string;
  type: 'text' | 'url' | 'password';
  /** Never written into a page, not even after a refused form. */
  secret: boolean;
  /** The page asks for it (the API refuses missing settings itself; credentials are the page's rule). */
  required: boolean;
  autocomplete?: string;
  /** Settings only: what the API checks of the value. */
  check?: SettingCheck;
}

/** What an adapter is built with. */
export interface AdapterDeps {
  options: PlatformOptions;
  clock: Clock;
  /** The sandbox's feed (modules/sandbox provides it). */
  sandboxStore: SandboxStore;
}

export interface PlatformDescriptor<Id extends string = string> {
  id: Id;
  /** The platform's name, as the staff pages show it beside a channel. */
  name: string;
  /** How the public transparency report names it, where it must say more than the name. */
  publicName?: string;
  text: TextRule;
  media: MediaRule;
  /** Whether parts after the first can be posted as replies. */
  threads: boolean;
  /** The metrics its API gives (the methodology of the transparency report states them). */
  metrics: readonly MetricName[];
  /** The channel form's fields, in the order shown. */
  fields: readonly PlatformField[];
  /** Base URLs of its API, by the name the adapter reads them under (`PlatformOptions.baseUrls`). */
  baseUrls: Readonly<Record<string, BaseUrlVariable>>;
  /**
   * What reconciliation can tell after an ambiguous outcome: `found_or_absent` (the platform can be
   * asked), or `unknown` (it cannot: a person settles it); `how` says what is asked.
   */
  reconciliation: { answers: 'found_or_absent' | 'unknown'; how: string };
  adapter: (deps: AdapterDeps) => PlatformAdapter;
}

/** Keeps the literal id, so the registry can derive the Platform type. */
export function definePlatform<const Id extends string>(descriptor: PlatformDescriptor<Id>): PlatformDescriptor<Id> {
  return descriptor;
}
