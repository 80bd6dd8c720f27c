import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';

export class CreatePartnerDto {
  @ApiProperty({ example: 'Asociația Tineri pentru Comunitate' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'https://ngo.example.org' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(500)
  website?: string;
}

export class UpdatePartnerDto extends PartialType(CreatePartnerDto, { skipNullProperties: false }) {}
