import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateBlackoutDto {
  @ApiPropertyOptional({ description: 'the channels it covers; omit or [] for every channel' })
  @IsOptional()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  channelIds?: string[];

  @ApiProperty({ example: '2026-12-05T07:00', description: "a wall-clock time in the institution's zone, or an instant with its offset" })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, { message: 'startsAt must be a date and time such as 2026-12-05T07:00' })
  startsAt!: string;

  @ApiProperty({ example: '2026-12-06T21:00' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, { message: 'endsAt must be a date and time such as 2026-12-06T21:00' })
  endsAt!: string;

  @ApiProperty({ example: 'Election silence (Law 208/2015, art. 89)' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}

export class BlackoutOverrideDto {
  @ApiProperty({ example: 'Flood warning: the public must be told now' })
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  reason!: string;
}
