import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

// Placeholder: the pages are being built (issue 7).
@ApiExcludeController()
@Controller('app/:slug')
export class CampaignPagesController {}
