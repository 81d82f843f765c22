import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Principal } from '@clubland/authz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerOf, eventually, type GovernanceHarness, setupGovernanceService } from './setup.ts';

/** A club's policies and its members' acknowledgements through PolicyService, on the real member service. */
describe("a club's policies and their acknowledgements", () => {
  let harness: GovernanceHarness;
  let clubA: string;
  let clubB: string;
  let adminA: Principal & { memberId: string };
  let adminB: Principal & { memberId: string };
  let member: Principal & { memberId: string };
  const DAY = 86_400_000;

  beforeAll(async () => {
    harness = await setupGovernanceService();
    [clubA, clubB] = await Promise.all([harness.seedClub('Policy Club'), harness.seedClub('Other Club')]);
    [adminA, adminB, member] = await Promise.all([
      harness.officer(clubA),
      harness.officer(clubB),
      harness.officer(clubA, 'MEMBER'),
    ]);
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  const draftPolicy = (fields: Record<string, unknown> = {}, by: Principal = adminA) =>
    harness.policies
      .createPolicy({
        caller: callerOf(by),
        fields: {
          name: 'Dress code',
          category: 'CONDUCT',
          content: 'Jackets in the dining room after 6 pm.',
          version: '1',
          effectiveDate: timestampFromDate(new Date(Date.now() - DAY)),
          requiresAcknowledgment: true,
          ...fields,
        },
      })
      .then(({ policy }) => policy!);

  const unacknowledged = async (who: Principal) =>
    (
      await harness.policies.listPolicies({ caller: callerOf(who), unacknowledgedByCaller: true })
    ).policies.map((policy) => policy.id);

  it('is drafted inactive, activated, acknowledged once per version, and deactivated with a reason', async () => {
    const policy = await draftPolicy();
    expect(policy).toMatchObject({ isActive: false, approvedBy: '' });
    // Not in force: the members see nothing of it.
    await expect(
      harness.policies.getPolicy({ caller: callerOf(member), id: policy.id }),
    ).rejects.toMatchObject({
      code: 'entity.not_found',
    });
    expect((await harness.policies.listPolicies({ caller: callerOf(member) })).policies).toEqual([]);
    // A member does not write policies.
    await expect(
      harness.policies.activatePolicy({ caller: callerOf(member), id: policy.id }),
    ).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    const { policy: active } = await harness.policies.activatePolicy({
      caller: callerOf(adminA),
      id: policy.id,
    });
    expect(active).toMatchObject({ isActive: true, approvedBy: adminA.userId });

    expect(await unacknowledged(member)).toEqual([policy.id]);
    const { acknowledgements } = await harness.policies.acknowledgePolicies({
      caller: callerOf(member),
      policyIds: [policy.id],
      ipAddress: '203.0.113.9',
    });
    expect(acknowledgements).toMatchObject([
      { policyId: policy.id, memberId: member.memberId, policyVersion: '1' },
    ]);
    // Again: the same acknowledgement, not a second.
    const again = await harness.policies.acknowledgePolicies({
      caller: callerOf(member),
      policyIds: [policy.id],
    });
    expect(again.acknowledgements.map((a) => a.id)).toEqual(acknowledgements.map((a) => a.id));
    expect(await unacknowledged(member)).toEqual([]);
    expect(
      (await harness.policies.getPolicy({ caller: callerOf(member), id: policy.id })).policy!
        .acknowledgedByCaller,
    ).toBe(true);

    // New content needs a new version, which the members acknowledge again.
    await expect(
      harness.policies.updatePolicy({
        caller: callerOf(adminA),
        id: policy.id,
        fields: { content: 'Ties too.' },
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'version' } });
    await harness.policies.updatePolicy({
      caller: callerOf(adminA),
      id: policy.id,
      fields: { content: 'Jackets and ties in the dining room after 6 pm.', version: '2' },
    });
    expect(await unacknowledged(member)).toEqual([policy.id]);
    const byPolicy = await harness.policies.listAcknowledgements({
      caller: callerOf(adminA),
      policyId: policy.id,
    });
    expect(byPolicy.acknowledgements.map((a) => a.policyVersion)).toEqual(['1']);
    const mine = await harness.policies.listAcknowledgements({ caller: callerOf(member) });
    expect(mine.total).toBe(1);
    // A member does not read the club's acknowledgements.
    await expect(
      harness.policies.listAcknowledgements({ caller: callerOf(member), policyId: policy.id }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });

    await expect(
      harness.policies.deactivatePolicy({ caller: callerOf(adminA), id: policy.id, reason: ' ' }),
    ).rejects.toMatchObject({ details: { field: 'reason' } });
    await harness.policies.deactivatePolicy({
      caller: callerOf(adminA),
      id: policy.id,
      reason: 'Relaxed for summer',
    });
    expect((await harness.policies.listPolicies({ caller: callerOf(member) })).policies).toEqual([]);
    // Once activated, it is the club's record: deactivated, not deleted.
    await expect(
      harness.policies.deletePolicy({ caller: callerOf(adminA), id: policy.id }),
    ).rejects.toMatchObject({
      code: 'policy.transition_refused',
    });
    const never = await draftPolicy({ name: 'Never in force' });
    expect((await harness.policies.deletePolicy({ caller: callerOf(adminA), id: never.id })).deleted).toBe(
      true,
    );

    await eventually(() => {
      const changes = harness.published
        .filter(
          (event) =>
            event.type === 'policy.changed' && (event.data as { policyId: string }).policyId === policy.id,
        )
        .map((event) => (event.data as { change: string }).change);
      expect(changes).toEqual(['CREATED', 'ACTIVATED', 'UPDATED', 'DEACTIVATED']);
    });
  }, 60_000);

  it("keeps a club's policies its own, by row-level security", async () => {
    const policy = await draftPolicy({ name: 'Guests' });
    await harness.policies.activatePolicy({ caller: callerOf(adminA), id: policy.id });
    await expect(
      harness.policies.getPolicy({ caller: callerOf(adminB), id: policy.id }),
    ).rejects.toMatchObject({
      code: 'entity.not_found',
    });
    await expect(
      harness.policies.deactivatePolicy({ caller: callerOf(adminB), id: policy.id, reason: 'mine now' }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
    await expect(
      harness.policies.acknowledgePolicies({ caller: callerOf(adminB), policyIds: [policy.id] }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
    await harness.db.withTenant(clubB, async (tx) => {
      expect((await tx.query(`SELECT id FROM governance.policies WHERE id = $1`, [policy.id])).rows).toEqual(
        [],
      );
      const changed = await tx.query(
        `UPDATE governance.policies SET is_active = false WHERE id = $1 RETURNING id`,
        [policy.id],
      );
      expect(changed.rows).toEqual([]);
    });
    expect(
      (await harness.policies.getPolicy({ caller: callerOf(member), id: policy.id })).policy!.isActive,
    ).toBe(true);
  }, 60_000);

  it('refuses bad input with the field, and writes nothing', async () => {
    const before = (await harness.policies.listPolicies({ caller: callerOf(adminA), pageSize: 100 })).total;
    await expect(draftPolicy({ category: 'FASHION' })).rejects.toMatchObject({
      details: { field: 'category' },
    });
    await expect(
      draftPolicy({ name: 'Backwards', expiryDate: timestampFromDate(new Date(Date.now() - 2 * DAY)) }),
    ).rejects.toMatchObject({ details: { field: 'expiryDate' } });
    await expect(draftPolicy({ content: '' })).rejects.toMatchObject({ details: { field: 'content' } });
    await draftPolicy({ name: 'Mobile phones' });
    await expect(draftPolicy({ name: 'Mobile phones' })).rejects.toMatchObject({
      details: { field: 'version' },
    });
    await expect(
      draftPolicy({ name: 'Linked', relatedProposalId: '0193a000-0000-7000-8000-000000000099' }),
    ).rejects.toMatchObject({ details: { field: 'relatedProposalId' } });
    expect((await harness.policies.listPolicies({ caller: callerOf(adminA), pageSize: 100 })).total).toBe(
      before + 1,
    );
  }, 60_000);
});
