import type { ChannelView } from '#src/modules/channels/channels.service.js';
import type { PlatformField as DescriptorField } from '#src/platforms/platform-descriptor.js';
import { platformRegistry, type Platform, type PlatformRegistry } from '#src/platforms/platform-registry.js';
import { str, type FormErrors } from '#src/web/forms.js';
import type { MessageKey } from '#src/web/i18n/messages.js';

export { isPlatform } from '#src/platforms/platform-registry.js';

/**
 * What a channel form asks for, per platform (docs/platforms.md): the non-secret settings that say where
 * the channel posts, and the credentials, as each platform's descriptor lists them. Secrets are
 * `type=password` and never sent back to the browser.
 */
export interface PlatformField extends Omit<DescriptorField, 'label' | 'hint' | 'check'> {
  label: MessageKey;
  hint?: MessageKey;
}

/** The form fields of a registry's platforms (labels and hints are catalog keys: platform-registry.spec checks them). */
export function platformFields<P extends string>(registry: PlatformRegistry<P>): Record<P, PlatformField[]> {
  return registry.table((d) =>
    d.fields.map(({ check: _check, label, hint, ...field }) => ({
      ...field,
      label: label as MessageKey,
      hint: hint as MessageKey | undefined,
    })),
  );
}

export const PLATFORM_FIELDS: Record<Platform, PlatformField[]> = platformFields(platformRegistry);

/** A platform's own name (X, Mastodon...), beside a channel's name in the composer and the post page. */
export const PLATFORM_NAMES: Readonly<Record<string, string>> = platformRegistry.table((d) => d.name);

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
