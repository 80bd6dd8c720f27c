import { Injectable } from '@nestjs/common';
import { checkRecurrence } from '#src/common/recurrence.js';
import { fieldError } from '#src/common/domain-error.js';
import { instantOfField } from '#src/common/zoned-time.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import { MediaService } from '#src/modules/media/media.service.js';
import type { ValidatePostDto } from '#src/modules/posts/dto/post.dto.js';
import type { ChannelOverride, PostMedia, PostVariant } from '#src/modules/posts/post.entity.js';
import { validateVariants, type ChannelLanguageReport } from '#src/platforms/text-rules.js';

export interface ValidationReport {
  ok: boolean;
  /** Problems of the post as a whole (a required language missing, an unknown channel). */
  problems: Array<{ code: string; message: string; language?: string; channelId?: string }>;
  /** Per channel and language: the count, the limit and each problem, for the composer's counters. */
  channels: ChannelLanguageReport[];
}

/** An image as a request names it: an upload (mediaId) or an outside address (url). */
export type MediaInput = Partial<PostMedia> & { altText: Record<string, string> };

export interface Content<M extends MediaInput = MediaInput> {
  variants: PostVariant[];
  channelIds: string[];
  channelOverrides: ChannelOverride[];
  media: M[];
}

export interface Schedule {
  scheduledAt: Date | null;
  timeZone: string | null;
  recurrence: string | null;
}

/** What a post says and when: the checks of its content, its channels' rules and its time. */
@Injectable()
export class PostContentService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly media: MediaService,
    private readonly access: InstitutionAccess,
  ) {}

  /** Per channel and language counts, limits and problems, for the composer. Changes nothing. */
  async validate(p: Principal, institutionId: string, dto: ValidatePostDto): Promise<ValidationReport> {
    await this.access.authorize(p, institutionId, 'post.write');
    return this.report(institutionId, {
      variants: dto.variants ?? [],
      channelIds: dto.channelIds ?? [],
      channelOverrides: normaliseOverrides(dto.channelOverrides),
      media: dto.media ?? [],
    });
  }

  /** Checks what belongs to the institution (channels) and the shape of the content. */
  async content(institutionId: string, c: Content): Promise<Content<PostMedia>> {
    const languages = c.variants.map((v) => v.language);
    const dup = languages.find((l, i) => languages.indexOf(l) !== i);
    if (dup) throw fieldError('variants', [`language ${dup} appears twice`], `variants has two texts for language ${dup}`);
    const channels = await this.channels.findMany(institutionId, c.channelIds);
    const unknown = c.channelIds.filter((id) => !channels.some((ch) => ch.id === id));
    if (unknown.length)
      throw fieldError(
        'channelIds',
        unknown.map((id) => `${id} is not a channel of this institution`),
        `channelIds names channels this institution does not have: ${unknown.join(', ')}`,
      );
    const stray = c.channelOverrides.filter((o) => !c.channelIds.includes(o.channelId));
    if (stray.length)
      throw fieldError(
        'channelOverrides',
        stray.map((o) => `${o.channelId} is not in channelIds`),
        'channelOverrides names a channel the post is not published on',
      );
    for (const [i, m] of c.media.entries()) {
      const bad = Object.entries(m.altText).filter(
        ([lang, text]) => typeof text !== 'string' || text.length > 1500 || !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang),
      );
      if (bad.length)
        throw fieldError(
          `media.${i}.altText`,
          bad.map(([lang]) => `${lang} is not a language tag with a text`),
          `media.${i}.altText must map language tags to texts of at most 1500 characters`,
        );
    }
    return {
      ...c,
      variants: c.variants.map((v) => ({ language: v.language, text: v.text, ...(v.thread?.length ? { thread: v.thread } : {}) })),
      media: await this.media.attach(institutionId, c.media),
    };
  }

  /** Whether the content may be submitted: every required language, active channels, every channel's rules. */
  async report(institutionId: string, c: Content): Promise<ValidationReport> {
    const content = await this.content(institutionId, c);
    const institution = (await this.institutions.find(institutionId))!;
    const channels = await this.channels.findMany(institutionId, content.channelIds);
    const problems: ValidationReport['problems'] = [];
    for (const language of institution.languages.filter((l) => !institution.optionalLanguages.includes(l))) {
      if (!content.variants.some((v) => v.language === language && v.text.trim())) {
        problems.push({
          code: 'language_missing',
          language,
          message: `a text in ${language} is required (an official language of the institution)`,
        });
      }
    }
    for (const ch of channels.filter((ch) => ch.status !== 'active')) {
      problems.push({ code: 'channel_unavailable', channelId: ch.id, message: `channel ${ch.displayName} is ${ch.status}` });
    }
    const reports = validateVariants({
      channels: channels.map((ch) => ({ id: ch.id, platform: ch.platform, settings: ch.settings })),
      variants: content.variants,
      media: await this.media.refs(institutionId, content.media),
      overrides: content.channelOverrides,
    });
    return { ok: problems.length === 0 && reports.every((r) => r.problems.length === 0), problems, channels: reports };
  }

  /** The instant (whole seconds) and zone of a post's time, and its recurrence rule, checked. */
  async schedule(
    institutionId: string,
    scheduledAt: string | null,
    timeZone: string | undefined,
    recurrence: string | null,
  ): Promise<Schedule> {
    const checked = checkRecurrence(recurrence);
    if ('problem' in checked) {
      if (checked.problem.kind === 'invalid')
        throw fieldError('recurrence', ['is not a valid RRULE'], `recurrence is not a valid RRULE: ${checked.problem.detail}`);
      if (checked.problem.kind === 'too_frequent')
        throw fieldError(
          'recurrence',
          ['repeats more often than once an hour'],
          `recurrence ${recurrence?.trim()} repeats more often than once an hour: a post may repeat at most hourly`,
        );
      throw fieldError(
        'recurrence',
        ['produces no occurrences'],
        'recurrence must be a single RRULE with INTERVAL of at least 1 and a COUNT above 0',
      );
    }
    if (checked.rule && !scheduledAt)
      throw fieldError('scheduledAt', ['is required with recurrence'], 'a recurring post needs scheduledAt (its first occurrence)');
    if (!scheduledAt) return { scheduledAt: null, timeZone: null, recurrence: null };
    const zone = timeZone ?? (await this.institutions.find(institutionId))!.timeZone;
    // Whole seconds: recurrence rules count in seconds, and nobody schedules a post to the millisecond.
    const at = instantOfField('scheduledAt', scheduledAt, zone);
    return { scheduledAt: new Date(Math.floor(at.getTime() / 1000) * 1000), timeZone: zone, recurrence: checked.rule };
  }
}

export function normaliseOverrides(
  overrides: Array<{ channelId: string; language?: string | null; text: string }> | undefined,
): ChannelOverride[] {
  return (overrides ?? []).map((o) => ({ channelId: o.channelId, language: o.language ?? null, text: o.text }));
}

/** The first problems of a report, in one sentence, for an error message. */
export function summarise(report: ValidationReport): string {
  const lines = [
    ...report.problems.map((p) => p.message),
    ...report.channels.flatMap((c) => c.problems.map((pr) => `${c.platform} (${c.language}): ${pr.message}`)),
  ];
  return lines.slice(0, 5).join('; ') + (lines.length > 5 ? `; and ${lines.length - 5} more` : '');
}
