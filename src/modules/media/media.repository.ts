import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { MediaAsset } from '#src/modules/media/media-asset.entity.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class MediaRepository {
  constructor(private readonly tx: Tx) {}

  private get repo() {
    return this.tx.manager.getRepository(MediaAsset);
  }

  create(asset: Omit<MediaAsset, 'createdAt'>): Promise<MediaAsset> {
    return this.repo.save(this.repo.create(asset));
  }

  find(institutionId: string, id: string): Promise<MediaAsset | null> {
    return this.repo.findOneBy({ institutionId, id });
  }

  findMany(institutionId: string, ids: string[]): Promise<MediaAsset[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo.findBy({ institutionId, id: In(ids) });
  }
}
