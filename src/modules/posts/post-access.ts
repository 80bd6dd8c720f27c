import { Injectable } from '@nestjs/common';
import { notFound } from '#src/common/domain-error.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import { assertCan, type Action } from '#src/modules/access/policy.js';
import type { Member, Principal } from '#src/modules/access/principal.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';

/** Finds a post for a person: the one way every post service loads what it acts on. */
@Injectable()
export class PostAccess {
  constructor(
    private readonly repo: PostsRepository,
    private readonly access: InstitutionAccess,
  ) {}

  /**
   * The post and the caller's membership, or 404 when the caller may not see it (another
   * institution's post, or a campaign not shared with a contributor's partner); 403 when the caller
   * sees it but may not do `action`. With `lock`, the post row is locked for the transaction.
   */
  async load(p: Principal, postId: string, action: Action, institutionId?: string, lock = false): Promise<{ member: Member; post: Post }> {
    const owner = institutionId ?? (await this.repo.institutionOf(postId));
    if (!owner) throw notFound('post');
    const member = await this.access.member(p, owner);
    const post = lock ? await this.repo.findForUpdate(owner, postId) : await this.repo.find(owner, postId);
    if (!post || !(await this.access.campaignVisible(member, post.campaignId))) throw notFound('post');
    assertCan(member, action);
    return { member, post };
  }
}
