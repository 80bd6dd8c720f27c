import { AuditEvent } from '#src/modules/audit/audit-event.entity.js';
import { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import { Session } from '#src/modules/auth/session.entity.js';
import { Campaign, CampaignPartner } from '#src/modules/campaigns/campaign.entity.js';
import { Channel } from '#src/modules/channels/channel.entity.js';
import { Institution } from '#src/modules/institutions/institution.entity.js';
import { Membership } from '#src/modules/institutions/membership.entity.js';
import { Partner } from '#src/modules/partners/partner.entity.js';
import { Comment, Post, PostAuthor } from '#src/modules/posts/post.entity.js';
import { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { PostRevision } from '#src/modules/posts/post-revision.entity.js';
import { TargetEvent } from '#src/modules/publishing/target-event.entity.js';
import { SandboxPost } from '#src/modules/sandbox/sandbox-post.entity.js';
import { User } from '#src/modules/users/user.entity.js';
import { MediaAsset } from '#src/modules/media/media-asset.entity.js';

/**
 * Every TypeORM entity of the domain, handed to the data source by whoever opens it (app.ts, main.ts,
 * test factories): storage sits below the modules and does not know them.
 */
export const ENTITIES = [
  User,
  Institution,
  Membership,
  Partner,
  Channel,
  Campaign,
  CampaignPartner,
  Post,
  PostAuthor,
  PublicationTarget,
  Comment,
  Session,
  AuditEvent,
  TargetEvent,
  SandboxPost,
  Blackout,
  MediaAsset,
  PostRevision,
];
