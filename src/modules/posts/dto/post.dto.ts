import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '#src/common/pagination.js';
import { IsLanguageTag, IsTimeZone } from '#src/common/validators.js';
import { POST_STATUSES, type PostStatus } from '#src/modules/posts/post.entity.js';

const MAX_TEXT = 70_000;

export class VariantDto {
  @ApiProperty({ example: 'ro' })
  @Validate(IsLanguageTag)
  language!: string;

  @ApiProperty({ example: 'Spuneți-ne ce credeți despre noua rețea de autobuze: https://cluj.example/consultare' })
  @IsString()
  @MaxLength(MAX_TEXT)
  text!: string;

  @ApiPropertyOptional({ description: 'thread parts after the first (X, Mastodon, Bluesky; replies on Telegram)' })
  @IsOptional()
  @ArrayMaxSize(25)
  @IsString({ each: true })
  @MaxLength(MAX_TEXT, { each: true })
  thread?: string[];
}

export class ChannelOverrideDto {
  @ApiProperty()
  @IsUUID()
  channelId!: string;

  @ApiPropertyOptional({ description: 'the language it replaces; omit for all languages', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Validate(IsLanguageTag)
  language?: string | null;

  @ApiProperty()
  @IsString()
  @MaxLength(MAX_TEXT)
  text!: string;
}

export class MediaDto {
  @ApiPropertyOptional({ description: 'an image uploaded with POST /api/institutions/{id}/media: required to publish on a real platform' })
  @IsOptional()
  @IsUUID()
  mediaId?: string;

  @ApiPropertyOptional({
    example: 'https://cdn.cluj.example/bus-map.png',
    description: 'an outside address (sandbox channels only); omit with mediaId',
  })
  @ValidateIf((m: MediaDto) => m.mediaId === undefined || m.url !== undefined)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ example: 'image/png' })
  @IsOptional()
  @Matches(/^(image|video)\/[a-z0-9.+-]+$/, { message: 'mimeType must be an image/* or video/* type' })
  mimeType?: string;

  @ApiProperty({ example: { ro: 'Harta noii rețele de autobuze', hu: 'Az új buszhálózat térképe' }, description: 'alt text per language' })
  @IsObject()
  altText!: Record<string, string>;
}

class PostContentDto {
  @ApiPropertyOptional({ type: [VariantDto] })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => VariantDto)
  variants?: VariantDto[];

  @ApiPropertyOptional({ description: 'the channels to publish on (one publication target each)' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  channelIds?: string[];

  @ApiPropertyOptional({ type: [ChannelOverrideDto] })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ChannelOverrideDto)
  channelOverrides?: ChannelOverrideDto[];

  @ApiPropertyOptional({ type: [MediaDto] })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => MediaDto)
  media?: MediaDto[];
}

export class CreatePostDto extends PostContentDto {
  @ApiProperty()
  @IsUUID()
  campaignId!: string;

  @ApiPropertyOptional({
    example: '2026-12-01T09:00',
    description: 'a wall-clock time in timeZone, or an instant with its UTC offset',
    nullable: true,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, {
    message: 'scheduledAt must be a date and time such as 2026-12-01T09:00 (in timeZone) or 2026-12-01T09:00:00+02:00',
  })
  scheduledAt?: string | null;

  @ApiPropertyOptional({ example: 'Europe/Bucharest', description: "the zone the time was written in; default: the institution's" })
  @IsOptional()
  @Validate(IsTimeZone)
  timeZone?: string;

  @ApiPropertyOptional({ example: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6', description: 'RFC 5545 RRULE', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  recurrence?: string | null;
}

export class UpdatePostDto extends PostContentDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, {
    message: 'scheduledAt must be a date and time such as 2026-12-01T09:00 (in timeZone) or 2026-12-01T09:00:00+02:00',
  })
  scheduledAt?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Validate(IsTimeZone)
  timeZone?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  recurrence?: string | null;
}

export class ValidatePostDto extends PostContentDto {}

export class RejectPostDto {
  @ApiProperty({ example: 'The Hungarian variant is missing the link.' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}

/** A person's answer about a publication the platform could not confirm (`unconfirmed`). */
export class ResolveTargetDto {
  @ApiProperty({
    enum: ['published', 'not_published'],
    description: 'published: it is on the platform (give its link); not_published: send it again now',
  })
  @IsIn(['published', 'not_published'])
  outcome!: 'published' | 'not_published';

  @ApiPropertyOptional({ example: 'https://t.me/primaria/1234', description: 'the post on the platform, when it went out' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({
    example: '1234',
    description:
      "the platform's id of the part that went out (e.g. Telegram's message id): with it, the rest of a thread is sent as replies to it",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalId?: string;

  @ApiPropertyOptional({ description: 'what the person checked; kept in the audit trail' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class WithdrawTargetDto {
  @ApiProperty({ example: 'Wrong date for the consultation; a corrected post follows.' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}

export class CommentDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body!: string;
}

export class PostListQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({ enum: POST_STATUSES })
  @IsOptional()
  @IsIn(POST_STATUSES)
  status?: PostStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  channelId?: string;

  @ApiPropertyOptional({ description: 'scheduled at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'scheduled before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class SchedulePostDto {
  @ApiProperty({ example: '2026-12-01T09:00', description: 'a wall-clock time in timeZone, or an instant with its UTC offset' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, {
    message: 'scheduledAt must be a date and time such as 2026-12-01T09:00 (in timeZone) or 2026-12-01T09:00:00+02:00',
  })
  scheduledAt!: string;

  @ApiPropertyOptional({ example: 'Europe/Bucharest', description: "the zone the time was written in; default: the institution's" })
  @IsOptional()
  @Validate(IsTimeZone)
  timeZone?: string;
}
