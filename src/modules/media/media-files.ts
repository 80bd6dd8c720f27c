import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';

/**
 * The bytes of uploaded images, under DATA_DIR/media/<institution>/<id>. With api and worker
 * processes on several machines, DATA_DIR must be shared storage (a volume both mount): the api
 * writes the upload, the worker reads it to send it to the platform.
 */
@Injectable()
export class MediaFiles {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = resolve(config.dataDir, 'media');
  }

  private path(institutionId: string, id: string): string {
    // Both are UUIDs checked by the caller; no other input reaches the path.
    return join(this.root, institutionId, id);
  }

  /** Written to a temporary name and renamed, so a reader never sees half a file. */
  async write(institutionId: string, id: string, bytes: Buffer): Promise<void> {
    const dir = join(this.root, institutionId);
    await mkdir(dir, { recursive: true, mode: 0o750 });
    const tmp = join(dir, `.${id}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(tmp, bytes, { mode: 0o640 });
    await rename(tmp, this.path(institutionId, id));
  }

  read(institutionId: string, id: string): Promise<Buffer> {
    return readFile(this.path(institutionId, id));
  }

  async remove(institutionId: string, id: string): Promise<void> {
    await rm(this.path(institutionId, id), { force: true });
  }
}
