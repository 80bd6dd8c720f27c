import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { GROUP_BYS, TOP_METRICS } from '#src/modules/reports/period.js';

/** Values are checked by the reports service, which answers 422 naming the field. */
export class PeriodQueryDto {
  @ApiPropertyOptional({
    description:
      "Start (included): a date, midnight in the institution's time zone, or an instant with its offset. Default: 30 days before to.",
    example: '2026-05-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ description: 'End (not included), in the same forms. Default: now.', example: '2026-06-01' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}

export class EngagementQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: GROUP_BYS, default: 'day' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  groupBy?: string;
}

export class TopPostsQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: TOP_METRICS, default: 'engagement' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  metric?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @IsString()
  @MaxLength(5)
  limit?: string;
}
