import { Injectable } from '@nestjs/common';
import { CredentialsCipher } from '#src/common/crypto/credentials-cipher.js';
import { fieldError, notFound } from '#src/common/domain-error.js';
import { page, type PageQuery } from '#src/common/pagination.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { Channel } from '#src/modules/channels/channel.entity.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import type { CreateChannelDto, UpdateChannelDto } from '#src/modules/channels/dto/channel.dto.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import { PlatformError, type AccountInfo, type Connection } from '#src/platforms/platform-adapter.js';
import { platformRegistry, type PlatformRegistry } from '#src/platforms/platform-registry.js';
import { platformFailure } from '#src/modules/channels/platform-failure.js';
import { Tx } from '#src/storage/tx.js';

/** What the API shows of a channel: never the credentials, only whether there are some. */
export type ChannelView = Omit<Channel, 'credentialsEncrypted' | 'credentialsKeyId'> & { hasCredentials: boolean };

@Injectable()
export class ChannelsService {
  constructor(
    private readonly repo: ChannelsRepository,
    private readonly access: InstitutionAccess,
    private readonly audit: AuditService,
    private readonly cipher: CredentialsCipher,
    private readonly adapters: PlatformAdapters,
    private readonly tx: Tx,
  ) {}

  async list(p: Principal, institutionId: string, q: PageQuery) {
    await this.access.authorize(p, institutionId, 'channel.read');
    const [items, total] = await this.repo.list(institutionId, q);
    return page([await this.views(institutionId, items), total], q);
  }

  /** The institution of a sandbox channel the caller may see (for the sandbox page's URL), else undefined. */
  async institutionOfSandbox(p: Principal, channelId: string): Promise<string | undefined> {
    const institutionId = await this.repo.institutionOf(channelId);
    if (!institutionId) return undefined;
    await this.access.authorize(p, institutionId, 'channel.read');
    return institutionId;
  }

  async get(p: Principal, institutionId: string, channelId: string): Promise<ChannelView> {
    await this.access.authorize(p, institutionId, 'channel.read');
    const channel = await this.repo.find(institutionId, channelId);
    if (!channel) throw notFound('channel');
    return (await this.views(institutionId, [channel]))[0]!;
  }

  /** For channels that need reconnecting: the platform's latest refusal of their credentials, and when. */
  async reconnectReasons(p: Principal, institutionId: string, channelIds: string[]): Promise<Map<string, { at: Date; message: string }>> {
    await this.access.authorize(p, institutionId, 'channel.read');
    return this.repo.reconnectReasons(institutionId, channelIds);
  }

  async create(p: Principal, institutionId: string, dto: CreateChannelDto): Promise<ChannelView> {
    await this.access.authorize(p, institutionId, 'channel.manage');
    const settings = checkSettings(dto.platform, dto.settings ?? {});
    const credentials = dto.credentials ? checkCredentials(dto.credentials) : undefined;
    return this.tx.run(async () => {
      const sealed = credentials ? this.cipher.seal(credentials) : undefined;
      const channel = await this.repo.create({
        institutionId,
        platform: dto.platform,
        displayName: dto.displayName.trim(),
        accountHandle: dto.accountHandle?.trim() || null,
        credentialsEncrypted: sealed?.sealed ?? null,
        credentialsKeyId: sealed?.keyId ?? null,
        settings,
        status: 'active',
        rateLimitPosts: dto.rateLimit?.posts ?? null,
        rateLimitWindowSeconds: dto.rateLimit?.windowSeconds ?? null,
        rateLimitedUntil: null,
        metricsPausedUntil: null,
        metricsLastError: null,
      });
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'channel.created',
        targetType: 'channel',
        targetId: channel.id,
        data: { platform: channel.platform, displayName: channel.displayName, credentialsSet: Boolean(sealed) },
      });
      return (await this.views(institutionId, [channel]))[0]!;
    });
  }

  async update(p: Principal, institutionId: string, channelId: string, dto: UpdateChannelDto): Promise<ChannelView> {
    await this.access.authorize(p, institutionId, 'channel.manage');
    return this.tx.run(async () => {
      const current = await this.repo.find(institutionId, channelId);
      if (!current) throw notFound('channel');
      const patch: Partial<Channel> = {};
      if (dto.displayName !== undefined) patch.displayName = dto.displayName.trim();
      if (dto.accountHandle !== undefined) patch.accountHandle = dto.accountHandle.trim() || null;
      if (dto.settings !== undefined) patch.settings = checkSettings(current.platform, dto.settings);
      if (dto.status !== undefined) patch.status = dto.status;
      if (dto.rateLimit !== undefined) {
        patch.rateLimitPosts = dto.rateLimit?.posts ?? null;
        patch.rateLimitWindowSeconds = dto.rateLimit?.windowSeconds ?? null;
      }
      // Credentials follow their address: a new instance or service URL without new credentials drops
      // the stored ones, so that the next verify cannot send them to wherever the URL now points.
      const moved = patch.settings ? addressChanges(current.platform, current.settings, patch.settings) : [];
      if (moved.length && dto.credentials === undefined) {
        patch.credentialsEncrypted = null;
        patch.credentialsKeyId = null;
        patch.status = 'needs_reconnect';
      }
      if (dto.credentials !== undefined) {
        const sealed = this.cipher.seal(checkCredentials(dto.credentials));
        patch.credentialsEncrypted = sealed.sealed;
        patch.credentialsKeyId = sealed.keyId;
        // New credentials are a reconnection.
        if (current.status === 'needs_reconnect' && dto.status === undefined) patch.status = 'active';
      }
      const channel = await this.repo.update(institutionId, channelId, patch);
      const changed = Object.keys(dto).filter((k) => k !== 'credentials');
      if (changed.length)
        await this.audit.record({
          institutionId,
          actorId: p.userId,
          action: 'channel.updated',
          targetType: 'channel',
          targetId: channelId,
          data: {
            changed,
            status: channel.status,
            ...(moved.length ? { addresses: moved, credentialsDropped: dto.credentials === undefined } : {}),
          },
        });
      if (dto.credentials !== undefined)
        await this.audit.record({
          institutionId,
          actorId: p.userId,
          action: 'channel.credentials_changed',
          targetType: 'channel',
          targetId: channelId,
        });
      return (await this.views(institutionId, [channel]))[0]!;
    });
  }

  /**
   * Asks the platform whom the stored credentials post as. Success records the account (and what the
   * platform says of its limits) in the channel's settings and ends a `needs_reconnect`; refused
   * credentials mark the channel `needs_reconnect`. The platform being away changes nothing.
   */
  async verify(p: Principal, institutionId: string, channelId: string): Promise<ChannelView & { account: AccountInfo }> {
    await this.access.authorize(p, institutionId, 'channel.manage');
    const channel = await this.repo.find(institutionId, channelId);
    if (!channel) throw notFound('channel');
    let account: AccountInfo;
    try {
      account = await this.adapters.for(channel.platform).verify(await this.connection(channel));
    } catch (err) {
      if (err instanceof PlatformError && err.kind === 'auth') {
        await this.tx.run(async () => {
          await this.repo.update(institutionId, channelId, { status: 'needs_reconnect' });
          await this.audit.record({
            institutionId,
            actorId: p.userId,
            action: 'channel.verify_failed',
            targetType: 'channel',
            targetId: channelId,
            data: { kind: err.kind, message: err.message },
          });
        });
      }
      throw platformFailure(channel.platform, err, 'checking the credentials');
    }
    return this.tx.run(async () => {
      const updated = await this.repo.update(institutionId, channelId, {
        accountHandle: account.handle,
        settings: {
          ...channel.settings,
          ...account.settings,
          account: { id: account.id, handle: account.handle, displayName: account.displayName ?? null, url: account.url ?? null },
        },
        ...(channel.status === 'needs_reconnect' ? { status: 'active' as const } : {}),
      });
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'channel.verified',
        targetType: 'channel',
        targetId: channelId,
        data: { accountId: account.id, handle: account.handle },
      });
      return { ...(await this.views(institutionId, [updated]))[0]!, account };
    });
  }

  /** The publish job's findings about a channel: refused credentials, or the platform's rate-limit reset. */
  async markNeedsReconnect(institutionId: string, channelId: string): Promise<void> {
    await this.tx.run(() => this.repo.update(institutionId, channelId, { status: 'needs_reconnect' }));
  }

  async rateLimitedUntil(institutionId: string, channelId: string, until: Date): Promise<void> {
    await this.tx.run(() => this.repo.update(institutionId, channelId, { rateLimitedUntil: until }));
  }

  /** A channel with its credentials opened, for a platform call; the caller has checked the tenant. */
  async connection(channel: Channel): Promise<Connection> {
    const sealed = await this.repo.sealed(channel.institutionId, channel.id);
    const credentials = sealed?.credentialsEncrypted
      ? this.cipher.open<Record<string, string>>(sealed.credentialsEncrypted, sealed.credentialsKeyId)
      : null;
    return {
      channel: {
        id: channel.id,
        institutionId: channel.institutionId,
        platform: channel.platform,
        settings: channel.settings,
        accountHandle: channel.accountHandle,
      },
      credentials,
    };
  }

  private async views(institutionId: string, channels: Channel[]): Promise<ChannelView[]> {
    const withCredentials = await this.repo.hasCredentials(
      institutionId,
      channels.map((c) => c.id),
    );
    return channels.map(({ credentialsEncrypted: _c, credentialsKeyId: _k, ...rest }) => ({
      ...rest,
      hasCredentials: withCredentials.has(rest.id),
    }));
  }
}

function checkCredentials(credentials: Record<string, unknown>): Record<string, string> {
  const entries = Object.entries(credentials);
  const bad = entries.filter(([, v]) => typeof v !== 'string' || v.length > 4096).map(([k]) => k);
  if (entries.length === 0 || entries.length > 20 || bad.length) {
    throw fieldError(
      'credentials',
      bad.length ? bad.map((k) => `${k} must be a string of at most 4096 characters`) : ['must hold 1 to 20 values'],
      'credentials must be an object of 1 to 20 string values of at most 4096 characters',
    );
  }
  return credentials as Record<string, string>;
}

/** Settings each platform needs to be reached (its descriptor's settings fields and their checks); the rest is kept as given. */
/** The settings that say where a channel's credentials are sent (its URL fields) and changed, with both values. */
function addressChanges(platform: string, before: Record<string, unknown>, after: Record<string, unknown>) {
  return platformRegistry
    .get(platform as never)
    .fields.filter((f) => f.check?.kind === 'url' && String(before[f.key] ?? '') !== String(after[f.key] ?? ''))
    .map((f) => ({ setting: f.key, from: before[f.key] ?? null, to: after[f.key] ?? null }));
}

export function checkSettings<P extends string>(
  platform: P,
  settings: Record<string, unknown>,
  registry: PlatformRegistry<P> = platformRegistry as unknown as PlatformRegistry<P>,
): Record<string, unknown> {
  if (JSON.stringify(settings).length > 10_000)
    throw fieldError('settings', ['must be at most 10000 characters of JSON'], 'settings are too large');
  for (const { key, check } of registry.get(platform).fields) {
    if (check?.kind === 'url') {
      const value = settings[key] ?? check.default;
      if (typeof value !== 'string' || !isHttpUrl(value))
        throw fieldError(
          `settings.${key}`,
          ['must be an http(s) URL'],
          `settings.${key} must be the http(s) URL of the ${platform} server`,
        );
      settings = { ...settings, [key]: value.replace(/\/+$/, '') };
    } else if (check?.kind === 'pattern') {
      const value = settings[key];
      if (typeof value !== 'string' || !check.pattern.test(value.trim()))
        throw fieldError(`settings.${key}`, [check.problem], `settings.${key} ${check.problem}`);
      settings = { ...settings, [key]: value.trim() };
    }
  }
  if (settings.maxCharacters !== undefined && !(Number.isInteger(settings.maxCharacters) && (settings.maxCharacters as number) > 0)) {
    throw fieldError(
      'settings.maxCharacters',
      ['must be a positive whole number'],
      'settings.maxCharacters must be a positive whole number',
    );
  }
  return settings;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && Boolean(url.hostname);
  } catch {
    return false;
  }
}
