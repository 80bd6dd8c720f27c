import { Channel } from '#src/modules/channels/channel.entity.js';
import { Institution } from '#src/modules/institutions/institution.entity.js';
import { Membership } from '#src/modules/institutions/membership.entity.js';
import { User } from '#src/modules/users/user.entity.js';

export const ENTITIES = [User, Institution, Membership, Channel];
