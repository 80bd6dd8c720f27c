import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { DomainError } from '#src/common/domain-error.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { MemberRole } from '#src/modules/institutions/membership.entity.js';
import { MembersRepository, type MemberView } from '#src/modules/members/members.repository.js';
import { MembersService } from '#src/modules/members/members.service.js';
import type { User } from '#src/modules/users/user.entity.js';
import { newTestService, UNIT_NOW } from '#test/support/unit.js';

const INST = randomUUID();
const ADMIN: Principal = { userId: randomUUID(), email: 'admin@test.example', isSystemAdmin: false, sessionId: 's' };

function member(role: MemberRole, partnerId: string | null = null): MemberView {
  return { id: randomUUID(), userId: randomUUID(), email: `${role}@test.example`, displayName: role, role, partnerId, createdAt: UNIT_NOW };
}

/** MembersService over a mocked repository holding `current` and `admins` admins in all. */
function setup(current: MemberView | undefined, admins = 1) {
  const t = newTestService(MembersService);
  const repo = t.mock(MembersRepository);
  repo.find.mockResolvedValue(current);
  repo.countAdmins.mockResolvedValue(admins);
  repo.partnerExists.mockImplementation(async (_i, id) => id === 'partner-1');
  return { ...t, repo };
}

async function refusal(call: Promise<unknown>) {
  const err = (await call.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e,
  )) as DomainError;
  return { status: err.getStatus(), ...(err.getResponse() as { code: string; message: string }) };
}

const LAST_ADMIN = { status: 409, code: 'last_admin', message: 'an institution keeps at least one admin: appoint another first' };

describe('MembersService: an institution keeps an admin', () => {
  it('refuses to remove the last admin', async () => {
    const admin = member('admin');
    const { sut, repo } = setup(admin, 1);
    expect(await refusal(sut.remove(ADMIN, INST, admin.id))).toEqual(LAST_ADMIN);
    expect(repo.remove).not.toHaveBeenCalled();
  });

  it('refuses to make the last admin anything else', async () => {
    const admin = member('admin');
    const { sut, repo } = setup(admin, 1);
    expect(await refusal(sut.update(ADMIN, INST, admin.id, { role: 'editor' }))).toEqual(LAST_ADMIN);
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('removes an admin when another remains, and audits it', async () => {
    const admin = member('admin');
    const { sut, repo, mock } = setup(admin, 2);
    await sut.remove(ADMIN, INST, admin.id);
    expect(repo.remove).toHaveBeenCalledWith(INST, admin.id);
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'member.removed', data: { userId: admin.userId, role: 'admin' } }),
    );
  });

  it('removes an editor without counting admins', async () => {
    const editor = member('editor');
    const { sut, repo } = setup(editor, 1);
    await sut.remove(ADMIN, INST, editor.id);
    expect(repo.countAdmins).not.toHaveBeenCalled();
    expect(repo.remove).toHaveBeenCalledWith(INST, editor.id);
  });

  it('answers 404 for a member who is not there', async () => {
    const { sut } = setup(undefined);
    expect(await refusal(sut.remove(ADMIN, INST, randomUUID()))).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'member not found',
    });
  });
});

describe('MembersService: a contributor belongs to a partner', () => {
  it('refuses a contributor without a partner', async () => {
    const { sut, repo } = setup(member('editor'));
    expect(await refusal(sut.update(ADMIN, INST, randomUUID(), { role: 'contributor' }))).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'a contributor belongs to a partner: partnerId is required',
    });
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('refuses a partner of another institution', async () => {
    const { sut } = setup(member('editor'));
    expect(await refusal(sut.update(ADMIN, INST, randomUUID(), { role: 'contributor', partnerId: 'partner-2' }))).toMatchObject({
      status: 422,
      message: 'partnerId names no partner of this institution',
    });
  });

  it('refuses a partner for anyone but a contributor', async () => {
    const { sut } = setup(member('contributor', 'partner-1'));
    expect(await refusal(sut.update(ADMIN, INST, randomUUID(), { role: 'editor', partnerId: 'partner-1' }))).toMatchObject({
      status: 422,
      message: 'partnerId is only for contributors',
    });
  });

  it('makes an editor a contributor of one of the institution’s partners', async () => {
    const editor = member('editor');
    const { sut, repo } = setup(editor);
    await sut.update(ADMIN, INST, editor.id, { role: 'contributor', partnerId: 'partner-1' });
    expect(repo.update).toHaveBeenCalledWith(INST, editor.id, 'contributor', 'partner-1');
  });

  it('refuses to add someone who is already a member', async () => {
    const { sut, repo } = setup(undefined);
    const user = { id: randomUUID(), email: 'known@test.example' } as User;
    repo.findUserByEmail.mockResolvedValue(user);
    repo.findByUser.mockResolvedValue({ id: randomUUID() } as Awaited<ReturnType<MembersRepository['findByUser']>>);
    expect(await refusal(sut.add(ADMIN, INST, { email: user.email, role: 'editor' }))).toEqual({
      status: 409,
      code: 'already_member',
      message: 'known@test.example is already a member of this institution',
    });
    expect(repo.add).not.toHaveBeenCalled();
  });
});
