import { addToOutbox } from '@clubland/bus';
import { agreementStatusChanged } from '@clubland/contract/events/reciprocal';
import { v7 as uuidv7 } from 'uuid';
import { RECIPROCAL_SCHEMA } from '../src/app/deps.ts';
import type { AgreementStatus, AgreementTerms } from '../src/domain/agreement.ts';
import { createAgreementQueries } from '../src/store/agreement-queries.ts';
import type { ReciprocalServiceHarness } from './setup.ts';
import { DEFAULT_TERMS } from './terms.ts';

/**
 * An agreement between two clubs, written straight through the store in a network transaction
 * with its agreement.status_changed in the outbox (as the agreements use cases will write it), and
 * awaited until the member service's read model has it: the member service then describes the
 * home club's members to the host while it is ACTIVE.
 */
export async function seedAgreement(
  harness: ReciprocalServiceHarness,
  options: {
    proposerClubId: string;
    partnerClubId: string;
    status?: AgreementStatus;
    terms?: Partial<AgreementTerms>;
    startsOn?: string;
    endsOn?: string | null;
  },
): Promise<string> {
  const id = uuidv7();
  const now = new Date();
  const status = options.status ?? 'ACTIVE';
  const startsOn = options.startsOn ?? '2026-01-01';
  const endsOn = options.endsOn ?? null;
  await harness.db.transaction(async (tx) => {
    await createAgreementQueries(tx).insert({
      id,
      proposerClubId: options.proposerClubId,
      partnerClubId: options.partnerClubId,
      agreementType: 'BILATERAL',
      status,
      startsOn,
      endsOn,
      terms: { ...DEFAULT_TERMS, ...options.terms },
      notes: null,
      statusReason: null,
      createdBy: uuidv7(),
      createdAt: now,
      updatedAt: now,
    });
    await addToOutbox(tx, RECIPROCAL_SCHEMA, [
      agreementStatusChanged.build({
        tenantId: options.proposerClubId,
        correlationId: null,
        data: {
          agreementId: id,
          proposerClubId: options.proposerClubId,
          partnerClubId: options.partnerClubId,
          from: null,
          to: status,
          reason: null,
          changedBy: null,
          changedAt: now.toISOString(),
          startsOn,
          endsOn,
        },
      }),
    ]);
  });
  const deadline = Date.now() + 5000;
  for (;;) {
    const { rows } = await harness.db.transaction((tx) =>
      tx.query('SELECT 1 FROM member.reciprocal_agreements WHERE agreement_id = $1', [id]),
    );
    if (rows.length > 0) return id;
    if (Date.now() > deadline) throw new Error(`the member service never learned agreement ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
