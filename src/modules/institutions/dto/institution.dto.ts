import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength, Validate } from 'class-validator';
import { IsLanguageTag, IsTimeZone } from '#src/common/validators.js';

export class CreateInstitutionDto {
  @ApiProperty({ example: 'Primăria Municipiului Cluj-Napoca' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'cluj-napoca', description: 'lower-case letters, digits and single hyphens; used in public URLs' })
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'slug must be lower-case letters, digits and single hyphens' })
  slug!: string;

  @ApiProperty({ example: 'Europe/Bucharest' })
  @Validate(IsTimeZone)
  timeZone!: string;

  @ApiProperty({ example: ['ro', 'hu'], description: 'official languages (BCP 47)' })
  @ArrayUnique()
  @ArrayMaxSize(12)
  @Validate(IsLanguageTag, { each: true })
  languages!: string[];

  @ApiPropertyOptional({ example: ['hu'], description: 'official languages a post may leave out' })
  @IsOptional()
  @ArrayUnique()
  @ArrayMaxSize(12)
  @Validate(IsLanguageTag, { each: true })
  optionalLanguages?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  transparencyEnabled?: boolean;
}

export class UpdateInstitutionDto extends PartialType(CreateInstitutionDto, { skipNullProperties: false }) {}

export class SuspendDto {
  @ApiProperty({ example: 'National mourning declared: all publishing stops' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}
