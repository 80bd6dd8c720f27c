import { PLATFORMS, type Platform } from '#src/modules/channels/channel.entity.js';
import type { ChannelView } from '#src/modules/channels/channels.service.js';
import { str, type FormErrors } from '#src/web/forms.js';
import type { MessageKey } from '#src/web/i18n/messages.js';

/**
 * What a channel form asks for, per platform (docs/platforms.md): the non-secret settings that say where
 * the channel posts, and the credentials. Secrets are `type=password` and never sent back to the browser.
 */
export interface PlatformField {
  group: 'settings' | 'credentials';
  key: string;
  label: MessageKey;
  hint?: MessageKey;
  type: 'text' | 'url' | 'password';
  /** Never written into a page, not even after a refused form. */
  secret: boolean;
  /** The page asks for it (the API refuses missing settings itself; credentials are the page's rule). */
  required: boolean;
  autocomplete?: string;
}

const secret = (key: string, label: MessageKey, hint?: MessageKey, required = true): PlatformField => ({
  group: 'credentials',
  key,
  label,
  hint,
  type: 'password',
  secret: true,
  required,
  autocomplete: 'off',
});

export const PLATFORM_FIELDS: Record<Platform, PlatformField[]> = {
  sandbox: [],
  mastodon: [
    {
      group: 'settings',
      key: 'instanceUrl',
      label: 'channels.field.instanceUrl',
      hint: 'channels.hint.instanceUrl',
      type: 'url',
      secret: false,
      required: true,
    },
    secret('accessToken', 'channels.field.accessToken', 'channels.hint.mastodonToken'),
  ],
  bluesky: [
    {
      group: 'settings',
      key: 'serviceUrl',
      label: 'channels.field.serviceUrl',
      hint: 'channels.hint.serviceUrl',
      type: 'url',
      secret: false,
      required: false,
    },
    {
      group: 'credentials',
      key: 'identifier',
      label: 'channels.field.identifier',
      hint: 'channels.hint.identifier',
      type: 'text',
      secret: false,
      required: true,
      autocomplete: 'off',
    },
    secret('appPassword', 'channels.field.appPassword', 'channels.hint.appPassword'),
  ],
  facebook: [
    {
      group: 'settings',
      key: 'pageId',
      label: 'channels.field.pageId',
      hint: 'channels.hint.pageId',
      type: 'text',
      secret: false,
      required: true,
    },
    secret('pageAccessToken', 'channels.field.pageAccessToken', 'channels.hint.pageAccessToken'),
  ],
  linkedin: [
    {
      group: 'settings',
      key: 'organizationUrn',
      label: 'channels.field.organizationUrn',
      hint: 'channels.hint.organizationUrn',
      type: 'text',
      secret: false,
      required: true,
    },
    secret('accessToken', 'channels.field.accessToken', 'channels.hint.linkedinToken'),
  ],
  telegram: [
    {
      group: 'settings',
      key: 'chatId',
      label: 'channels.field.chatId',
      hint: 'channels.hint.chatId',
      type: 'text',
      secret: false,
      required: true,
    },
    secret('botToken', 'channels.field.botToken', 'channels.hint.botToken'),
  ],
  x: [
    secret('accessToken', 'channels.field.accessToken', 'channels.hint.xAccessToken'),
    secret('accessSecret', 'channels.field.accessSecret', 'channels.hint.xOAuth1', false),
    secret('appKey', 'channels.field.appKey', 'channels.hint.xOAuth1', false),
    secret('appSecret', 'channels.field.appSecret', 'channels.hint.xOAuth1', false),
  ],
};

export const isPlatform = (v: unknown): v is Platform => typeof v === 'string' && (PLATFORMS as readonly string[]).includes(v);

/** The API's name of a platform field (errors are keyed by it), and the form's. */
export const apiName = (f: PlatformField) => `${f.group}.${f.key}`;
export const formName = (f: PlatformField) => `${f.group}[${f.key}]`;

function group(body: Record<string, unknown>, name: 'settings' | 'credentials'): Record<string, unknown> {
  const g = body[name];
  return g && typeof g === 'object' && !Array.isArray(g) ? (g as Record<string, unknown>) : {};
}

/** The platform's settings and credentials typed into the form (empty ones left out). */
export function readPlatformFields(
  platform: Platform,
  body: Record<string, unknown>,
): { settings: Record<string, string>; credentials: Record<string, string> } {
  const out = { settings: {} as Record<string, string>, credentials: {} as Record<string, string> };
  for (const f of PLATFORM_FIELDS[platform]) {
    const raw = str(group(body, f.group)[f.key]);
    const value = f.secret ? raw : raw.trim();
    if (value) out[f.group][f.key] = value;
  }
  return out;
}

/**
 * The page's own rule: every required field of the platform is filled in, so that all of them are
 * named at once (the API checks the settings one by one, and would take a channel without credentials).
 */
export function missingFields(
  platform: Platform,
  typed: { settings: Record<string, string>; credentials: Record<string, string> },
  problem: string,
): FormErrors['fields'] {
  const fields: FormErrors['fields'] = {};
  for (const f of PLATFORM_FIELDS[platform]) if (f.required && !typed[f.group][f.key]) fields[apiName(f)] = [problem];
  return fields;
}

/** The values to show again in a form: settings as typed (or stored), never a secret. */
export function visibleValues(
  platform: Platform,
  typed: { settings: Record<string, unknown>; credentials: Record<string, unknown> },
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of PLATFORM_FIELDS[platform]) {
    if (f.secret) continue;
    const v = typed[f.group][f.key];
    if (typeof v === 'string') values[apiName(f)] = v;
  }
  return values;
}

/** What verification recorded of the account a channel posts as. */
export interface VerifiedAccount {
  id: string;
  handle: string;
  displayName: string | null;
  url: string | null;
}

export function verifiedAccount(channel: Pick<ChannelView, 'settings'>): VerifiedAccount | null {
  const a = channel.settings.account as Partial<VerifiedAccount> | undefined;
  if (!a || typeof a !== 'object' || typeof a.handle !== 'string') return null;
  return {
    id: String(a.id ?? ''),
    handle: a.handle,
    displayName: typeof a.displayName === 'string' ? a.displayName : null,
    url: typeof a.url === 'string' ? a.url : null,
  };
}

/** An address on the platform that may be a link (never `javascript:` or another scheme). */
export function safeExternalUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}
