import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { CHANNEL_STATUSES, PLATFORMS, type ChannelStatus, type Platform } from '#src/modules/channels/channel.entity.js';

/** CivicPost's own limit for a channel: at most `posts` per `windowSeconds`. */
export class RateLimitDto {
  @ApiProperty({ example: 10 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  posts!: number;

  @ApiProperty({ example: 3600 })
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  windowSeconds!: number;
}

export class CreateChannelDto {
  @ApiProperty({ enum: PLATFORMS })
  @IsIn(PLATFORMS)
  platform!: Platform;

  @ApiProperty({ example: 'Primăria Cluj on Mastodon' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @ApiPropertyOptional({ example: '@primaria@social.example' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  accountHandle?: string;

  @ApiPropertyOptional({
    description: 'platform tokens or app passwords; stored encrypted, never returned',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, string>;

  @ApiPropertyOptional({
    description: 'non-secret settings, e.g. { "instanceUrl": "https://social.example" } for Mastodon',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ type: RateLimitDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto | null;
}

export class UpdateChannelDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  accountHandle?: string;

  @ApiPropertyOptional({ description: 'replaces the stored credentials', type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, string>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: CHANNEL_STATUSES })
  @IsOptional()
  @IsIn(CHANNEL_STATUSES)
  status?: ChannelStatus;

  @ApiPropertyOptional({ type: RateLimitDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto | null;
}
