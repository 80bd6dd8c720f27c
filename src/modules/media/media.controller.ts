import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { MAX_UPLOAD_BYTES, MediaService, type UploadedFile as Upload } from '#src/modules/media/media.service.js';

@ApiTags('media')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  /** An image for posts: its type and size are read from the bytes; alt text goes with the post (per language). */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  // Multer stops reading past the limit and answers 413 itself.
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 12 } }))
  upload(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @UploadedFile() file: Upload | undefined,
  ) {
    return this.media.upload(p, iid, file);
  }

  @Get(':mediaId')
  get(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('mediaId', uuid('mediaId')) id: string,
  ) {
    return this.media.get(p, iid, id);
  }

  @Get(':mediaId/content')
  async content(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('mediaId', uuid('mediaId')) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { asset, bytes } = await this.media.content(p, iid, id);
    res
      .status(200)
      .set({
        'Content-Type': asset.mimeType,
        'Content-Length': String(bytes.length),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, max-age=3600',
      })
      .end(bytes);
  }
}
