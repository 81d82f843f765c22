import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgreementQueries } from '../src/store/agreement-queries.ts';
import { type ReciprocalServiceHarness, setupReciprocalService } from './setup.ts';
import { DEFAULT_TERMS } from './terms.ts';

/** Row-level security on rows two clubs share: both parties see them, a third club sees nothing. */
describe('shared rows', () => {
  let harness: ReciprocalServiceHarness;
  let clubA: string;
  let clubB: string;
  let clubC: string;
  const agreementId = uuidv7();

  beforeAll(async () => {
    harness = await setupReciprocalService();
    clubA = await harness.seedClub('Alpha');
    clubB = await harness.seedClub('Bravo');
    clubC = await harness.seedClub('Charlie');
    const now = new Date();
    await harness.db.withTenant(clubA, (tx) =>
      createAgreementQueries(tx).insert({
        id: agreementId,
        proposerClubId: clubA,
        partnerClubId: clubB,
        agreementType: 'BILATERAL',
        status: 'DRAFT',
        startsOn: '2026-01-01',
        endsOn: null,
        terms: DEFAULT_TERMS,
        notes: null,
        statusReason: null,
        createdBy: uuidv7(),
        createdAt: now,
        updatedAt: now,
      }),
    );
  });
  afterAll(() => harness.close());

  it('shows an agreement to both of its clubs and to the network', async () => {
    for (const club of [clubA, clubB]) {
      const row = await harness.db.withTenant(club, (tx) => createAgreementQueries(tx).findById(agreementId));
      expect(row?.id).toBe(agreementId);
    }
    const all = await harness.db.transaction((tx) => createAgreementQueries(tx).findById(agreementId));
    expect(all?.partnerClubId).toBe(clubB);
  });

  it(`lets a third club's transaction neither see nor change ${agreementId}`, async () => {
    const seen = await harness.db.withTenant(clubC, (tx) => createAgreementQueries(tx).findById(agreementId));
    expect(seen).toBeNull();
    const updated = await harness.db.withTenant(clubC, (tx) =>
      tx.query(`UPDATE reciprocal.agreements SET status = 'ACTIVE' WHERE id = $1`, [agreementId]),
    );
    expect(updated.rowCount).toBe(0);
    const removed = await harness.db.withTenant(clubC, (tx) =>
      tx.query('DELETE FROM reciprocal.agreements WHERE id = $1', [agreementId]),
    );
    expect(removed.rowCount).toBe(0);
    const still = await harness.db.withTenant(clubA, (tx) =>
      createAgreementQueries(tx).findById(agreementId),
    );
    expect(still?.status).toBe('DRAFT');
  });

  it('refuses a third club writing an agreement between two others', async () => {
    const now = new Date();
    await expect(
      harness.db.withTenant(clubC, (tx) =>
        createAgreementQueries(tx).insert({
          id: uuidv7(),
          proposerClubId: clubA,
          partnerClubId: clubB,
          agreementType: 'BILATERAL',
          status: 'DRAFT',
          startsOn: '2026-01-01',
          endsOn: null,
          terms: DEFAULT_TERMS,
          notes: null,
          statusReason: null,
          createdBy: uuidv7(),
          createdAt: now,
          updatedAt: now,
        }),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
