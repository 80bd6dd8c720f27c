import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '#src/modules/auth/auth.decorators.js';
import { ASSETS } from '#src/web/assets.js';

@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  /** The pages' style sheet and scripts; their addresses carry a content hash, so they are cached for a year. */
  @Public()
  @Get(':name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw new NotFoundException();
    res
      .status(200)
      .set({ 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' })
      .end(asset.body);
  }
}
