import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { DomainError } from '#src/common/domain-error.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { BlackoutsRepository } from '#src/modules/blackouts/blackouts.repository.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { blackoutData, channelData, institutionData } from '#test/factories/entities.js';
import { newTestService, UNIT_NOW } from '#test/support/unit.js';

const INST = randomUUID();
const ADMIN: Principal = { userId: randomUUID(), email: 'admin@test.example', isSystemAdmin: false, sessionId: 's' };

function setup() {
  const t = newTestService(BlackoutsService);
  const repo = t.mock(BlackoutsRepository);
  t.mock(InstitutionsRepository).find.mockResolvedValue(institutionData({ id: INST, timeZone: 'Europe/Bucharest' }));
  const channel = channelData({ institutionId: INST });
  t.mock(ChannelsRepository).findMany.mockImplementation(async (_i, ids) => (ids.includes(channel.id) ? [channel] : []));
  repo.create.mockImplementation(async (data) => blackoutData({ ...data, id: 'b-1' }));
  const targets = t.mock(PublicationTargetsService);
  targets.holdForBlackout.mockResolvedValue(3);
  return { ...t, repo, targets, channel };
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

describe('BlackoutsService', () => {
  it('reads a window’s times in the institution’s zone and holds what was already scheduled inside it', async () => {
    const { sut, repo, targets, mock } = setup();
    const made = await sut.create(ADMIN, INST, { startsAt: '2026-06-20T00:00:00', endsAt: '2026-06-22T00:00:00', reason: '  Election  ' });
    // Bucharest is UTC+3 in June.
    const window = { startsAt: new Date('2026-06-19T21:00:00Z'), endsAt: new Date('2026-06-21T21:00:00Z'), reason: 'Election' };
    expect(repo.create).toHaveBeenCalledWith({ institutionId: INST, channelIds: [], createdBy: ADMIN.userId, ...window });
    expect(targets.holdForBlackout).toHaveBeenCalledWith(expect.objectContaining({ id: 'b-1' }));
    expect(made).toMatchObject({ ...window, held: 3 });
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'blackout.created', data: expect.objectContaining({ held: 3 }) }),
    );
  });

  it.each([
    ['ends before it starts', '2026-06-19T00:00:00'],
    ['ends as it starts', '2026-06-20T00:00:00'],
  ])('refuses a window that %s', async (_what, endsAt) => {
    const { sut, repo } = setup();
    expect(
      await refusal(
        sut.create(ADMIN, INST, {
          startsAt: '2026-06-20T00:00:00',
          endsAt,
          reason: 'x',
        }),
      ),
    ).toEqual({
      status: 422,
      code: 'validation_failed',
      message: 'endsAt must be after startsAt',
      details: [{ field: 'endsAt', problems: ['must be after startsAt'] }],
    });
    expect(repo.create).not.toHaveBeenCalled();
  });

  it('refuses a window on a channel the institution does not have', async () => {
    const { sut, channel } = setup();
    expect(
      await refusal(
        sut.create(ADMIN, INST, {
          startsAt: '2026-06-20T00:00:00',
          endsAt: '2026-06-21T00:00:00',
          reason: 'x',
          channelIds: [channel.id, randomUUID()],
        }),
      ),
    ).toMatchObject({ status: 422, code: 'validation_failed', message: 'channelIds names a channel this institution does not have' });
  });

  it('refuses a start the clocks skip for daylight saving time', async () => {
    const { sut } = setup();
    expect(
      await refusal(sut.create(ADMIN, INST, { startsAt: '2027-03-28T03:15:00', endsAt: '2027-03-28T09:00:00', reason: 'x' })),
    ).toMatchObject({
      status: 422,
      message: 'startsAt 2027-03-28T03:15:00 does not exist in Europe/Bucharest (the clocks skip it for daylight saving time)',
    });
  });

  it('answers 404 for removing a window that is not there, and removes nothing', async () => {
    const { sut, repo } = setup();
    repo.find.mockResolvedValue(null);
    expect(await refusal(sut.remove(ADMIN, INST, randomUUID()))).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'blackout not found',
    });
    expect(repo.remove).not.toHaveBeenCalled();
  });

  it('checks each channel of a post against the windows, and lets an open time through', async () => {
    const { sut, repo } = setup();
    repo.covering.mockResolvedValue(null);
    await expect(sut.assertOpen(INST, ['c1', 'c2'], UNIT_NOW)).resolves.toBeUndefined();
    expect(repo.covering.mock.calls).toEqual([
      [INST, 'c1', UNIT_NOW],
      [INST, 'c2', UNIT_NOW],
    ]);
  });
});
