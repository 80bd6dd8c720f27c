import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { DomainError, fieldError, notFound } from '#src/common/domain-error.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Member, Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { MediaAsset } from '#src/modules/media/media-asset.entity.js';
import { MediaFiles } from '#src/modules/media/media-files.js';
import { MediaRepository } from '#src/modules/media/media.repository.js';
import type { PostMedia } from '#src/modules/posts/post.entity.js';
import { PlatformError, type MediaItem } from '#src/platforms/platform-adapter.js';
import { IMAGE_RULES, type MediaRef } from '#src/platforms/text-rules.js';
import { Tx } from '#src/storage/tx.js';

/** The largest image any platform takes (LinkedIn, and the sandbox); each platform's own limit is checked per post. */
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(IMAGE_RULES).map((r) => r.maxBytes));
/** Every image type some platform accepts. */
export const ACCEPTED_TYPES = [...new Set(Object.values(IMAGE_RULES).flatMap((r) => r.types))];
/** A small file that claims more pixels than this is a decompression bomb, not a photo. */
const MAX_PIXELS = 100_000_000;

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

export interface MediaView {
  id: string;
  mimeType: string;
  size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  fileName: string;
  /** Where the bytes can be fetched (with the same session). */
  url: string;
  createdAt: Date;
}

@Injectable()
export class MediaService {
  private readonly log = new Logger(MediaService.name);

  constructor(
    private readonly repo: MediaRepository,
    private readonly files: MediaFiles,
    private readonly access: InstitutionAccess,
    private readonly audit: AuditService,
    private readonly tx: Tx,
  ) {}

  /** Checks an upload from its bytes (type, size, pixels), stores it under DATA_DIR, records it. */
  async upload(p: Principal, institutionId: string, file: UploadedFile | undefined): Promise<MediaView> {
    await this.access.authorize(p, institutionId, 'post.write');
    if (!file) throw fieldError('file', 'is required', 'send the image as multipart/form-data in a field named "file"');
    const bytes = file.buffer;
    if (bytes.length === 0) throw fieldError('file', 'is empty', 'the file is empty');
    if (bytes.length > MAX_UPLOAD_BYTES)
      throw new DomainError(
        'media_too_large',
        `the image is ${bytes.length} bytes; CivicPost accepts images up to ${MAX_UPLOAD_BYTES} bytes`,
      );
    const sniffed = await fileTypeFromBuffer(bytes);
    if (!sniffed || !ACCEPTED_TYPES.includes(sniffed.mime)) {
      throw new DomainError(
        'media_type_not_accepted',
        `the file's content is ${sniffed ? sniffed.mime : 'not a recognised image'} (whatever its name or Content-Type say); accepted: ${ACCEPTED_TYPES.join(', ')}`,
      );
    }
    let width: number | null = null;
    let height: number | null = null;
    try {
      const size = imageSize(bytes);
      width = size.width ?? null;
      height = size.height ?? null;
    } catch {
      // HEIC and AVIF sizes are not always readable; every other accepted type must be.
      if (!['image/heic', 'image/avif'].includes(sniffed.mime))
        throw fieldError('file', 'is not a readable image', `the ${sniffed.mime} image is damaged or truncated`);
    }
    if (width !== null && height !== null && width * height > MAX_PIXELS) {
      throw fieldError(
        'file',
        'has too many pixels',
        `the image claims ${width}x${height} pixels; CivicPost accepts at most ${MAX_PIXELS} pixels`,
      );
    }
    const id = randomUUID();
    await this.files.write(institutionId, id, bytes);
    try {
      return await this.tx.run(async () => {
        const asset = await this.repo.create({
          id,
          institutionId,
          mimeType: sniffed.mime,
          size: bytes.length,
          width,
          height,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          fileName: cleanFileName(file.originalname, sniffed.ext),
          createdBy: p.userId,
        });
        await this.audit.record({
          institutionId,
          actorId: p.userId,
          action: 'media.uploaded',
          targetType: 'media',
          targetId: id,
          data: { mimeType: asset.mimeType, size: asset.size, sha256: asset.sha256 },
        });
        return view(asset);
      });
    } catch (err) {
      await this.files.remove(institutionId, id).catch((e) => this.log.warn({ err: e }, 'could not remove an orphaned upload'));
      throw err;
    }
  }

  async get(p: Principal, institutionId: string, id: string): Promise<MediaView> {
    return view(await this.visible(await this.access.authorize(p, institutionId, 'post.read'), id));
  }

  async content(p: Principal, institutionId: string, id: string): Promise<{ asset: MediaAsset; bytes: Buffer }> {
    const asset = await this.visible(await this.access.authorize(p, institutionId, 'post.read'), id);
    return { asset, bytes: await this.files.read(institutionId, id) };
  }

  /** The post's media as the text rules see them: uploaded images with their checked type, size and pixels. */
  async refs(institutionId: string, media: PostMedia[]): Promise<MediaRef[]> {
    const assets = await this.repo.findMany(
      institutionId,
      media.flatMap((m) => (m.mediaId ? [m.mediaId] : [])),
    );
    return media.map((m) => {
      const a = m.mediaId ? assets.find((x) => x.id === m.mediaId) : undefined;
      return a ? { ...m, mimeType: a.mimeType, size: a.size, width: a.width, height: a.height } : m;
    });
  }

  /** Checks that every uploaded image named by a post belongs to the institution, and fills in its URL and type. */
  async attach(institutionId: string, media: Array<Partial<PostMedia> & { altText: Record<string, string> }>): Promise<PostMedia[]> {
    const ids = media.flatMap((m) => (m.mediaId ? [m.mediaId] : []));
    const assets = await this.repo.findMany(institutionId, ids);
    return media.map((m, i) => {
      if (!m.mediaId) {
        if (!m.url) throw fieldError(`media.${i}`, 'needs mediaId or url', `media.${i} needs a mediaId (an uploaded image) or a url`);
        return { url: m.url, ...(m.mimeType ? { mimeType: m.mimeType } : {}), altText: m.altText };
      }
      const a = assets.find((x) => x.id === m.mediaId);
      if (!a)
        throw fieldError(
          `media.${i}.mediaId`,
          'is not an image uploaded to this institution',
          `media.${i}.mediaId names no image uploaded to this institution`,
        );
      return { mediaId: a.id, url: contentUrl(a), mimeType: a.mimeType, altText: m.altText };
    });
  }

  /** What an adapter is given: each image's bytes on demand and its alt text in the post's language. */
  async items(institutionId: string, media: PostMedia[], language: string): Promise<MediaItem[]> {
    const assets = await this.repo.findMany(
      institutionId,
      media.flatMap((m) => (m.mediaId ? [m.mediaId] : [])),
    );
    return media.map((m, i) => {
      const altText = m.altText[language] ?? Object.values(m.altText)[0] ?? '';
      const a = m.mediaId ? assets.find((x) => x.id === m.mediaId) : undefined;
      if (!a) {
        return {
          fileName: m.url,
          mimeType: m.mimeType ?? 'application/octet-stream',
          size: 0,
          altText,
          read: () =>
            Promise.reject(
              new PlatformError('invalid', `media ${i + 1} was not uploaded to CivicPost (${m.url}); upload it and edit the post`),
            ),
        };
      }
      return { fileName: a.fileName, mimeType: a.mimeType, size: a.size, altText, read: () => this.files.read(institutionId, a.id) };
    });
  }

  /** Contributors see the images they uploaded; everyone else with post.read sees all of the institution's. */
  private async visible(member: Member, id: string): Promise<MediaAsset> {
    const asset = await this.repo.find(member.institutionId, id);
    if (!asset || (member.role === 'contributor' && asset.createdBy !== member.userId)) throw notFound('media');
    return asset;
  }
}

function contentUrl(a: Pick<MediaAsset, 'institutionId' | 'id'>): string {
  return `/api/institutions/${a.institutionId}/media/${a.id}/content`;
}

function view(a: MediaAsset): MediaView {
  return {
    id: a.id,
    mimeType: a.mimeType,
    size: a.size,
    width: a.width,
    height: a.height,
    sha256: a.sha256,
    fileName: a.fileName,
    url: contentUrl(a),
    createdAt: a.createdAt,
  };
}

/** A name for people: no path, no control characters, at most 200 characters, the sniffed extension. */
function cleanFileName(name: string, ext: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\.[^.]*$/, '')
    .trim()
    .slice(0, 190);
  return `${base || 'image'}.${ext}`;
}
