import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateCampaignDto {
  @ApiProperty({ example: 'Public consultation: the new bus network' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({ example: 'Collect 2,000 answers from residents of every district' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  goal?: string;

  @ApiProperty({ example: '2026-12-01', description: 'first day (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startsOn must be a date as YYYY-MM-DD' })
  startsOn!: string;

  @ApiProperty({ example: '2027-01-31', description: 'last day (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endsOn must be a date as YYYY-MM-DD' })
  endsOn!: string;

  @ApiPropertyOptional({ example: ['youth', 'older people'] })
  @IsOptional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  targetAudiences?: string[];

  @ApiPropertyOptional({ example: ['#ClujMoves'] })
  @IsOptional()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @Matches(/^#?[\p{L}\p{N}_]{1,100}$/u, { each: true, message: 'hashtags must be words of letters, digits or _' })
  hashtags?: string[];

  @ApiPropertyOptional({ description: 'partners (NGOs) the campaign is shared with: their contributors may draft here' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  partnerIds?: string[];
}

export class UpdateCampaignDto extends PartialType(CreateCampaignDto, { skipNullProperties: false }) {}
