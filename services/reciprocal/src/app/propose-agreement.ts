import { SQL_STATE, sqlStateOf } from '@clubland/db';
import { ClubError, invalidInput, isUuid, notFound } from '@clubland/errors';
import { AGREEMENT_TYPES, type AgreementType } from '../domain/agreement.ts';
import { checkTermsEdit } from '../domain/agreement-lifecycle.ts';
import {
  type AgreementTermsInput,
  checkAgreementDates,
  checkAgreementTerms,
  dayOf,
  defaultTerms,
} from '../domain/agreement-terms.ts';
import { type AgreementRow, createAgreementQueries } from '../store/agreement-queries.ts';
import { actingFor, inScopeOf, sideOf } from './agreement-access.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { recordAgreementChange } from './record-agreement-change.ts';

const MAX_NOTES = 2000;

export interface ProposeAgreementInput {
  /** The proposing club; '' for the caller's home club. */
  clubId: string;
  partnerClubId: string;
  agreementType: string;
  /** YYYY-MM-DD; null: today. */
  startsOn: string | null;
  endsOn: string | null;
  terms: AgreementTermsInput;
  notes: string | null;
  /** Send it to the partner at once (PENDING) rather than keep it as a DRAFT. */
  submit: boolean;
}

/**
 * A club proposes an agreement to another: checked, then written as DRAFT (and, with `submit`,
 * moved on to PENDING for the partner to decide) in one transaction of the proposer's, with its
 * history, ledger entries and events. The partner must exist and be ACTIVE; a second live
 * agreement for the same pair is CONFLICT (the partial unique index decides, not a read first).
 */
export async function proposeAgreement(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: ProposeAgreementInput,
): Promise<AgreementRow> {
  const acting = actingFor(context.principal, input.clubId);
  const proposerClubId = acting.clubId;
  if (proposerClubId === null) throw invalidInput('clubId', 'name the club that proposes the agreement');
  if (!(AGREEMENT_TYPES as readonly string[]).includes(input.agreementType)) {
    throw invalidInput('agreementType', `agreementType must be one of ${AGREEMENT_TYPES.join(', ')}`);
  }
  const partnerClubId = input.partnerClubId.toLowerCase();
  if (!isUuid(partnerClubId)) throw invalidInput('partnerClubId', 'partnerClubId must be a club id');
  if (partnerClubId === proposerClubId) {
    throw invalidInput('partnerClubId', 'a club cannot make an agreement with itself');
  }
  const notes = input.notes?.trim() || null;
  if (notes && notes.length > MAX_NOTES)
    throw invalidInput('notes', `notes must be at most ${MAX_NOTES} characters`);
  const now = context.clock();
  const dates = checkAgreementDates(input.startsOn, input.endsOn, dayOf(now));
  if (!dates.ok) throw invalidInput(dates.field, dates.message);

  const clubs = await deps.clubs.describe([proposerClubId, partnerClubId]);
  const partner = clubs.get(partnerClubId);
  if (!partner) throw invalidInput('partnerClubId', `no club has the id ${partnerClubId}`);
  if (partner.status !== 'ACTIVE') {
    throw new ClubError(
      'agreement.partner_not_active',
      `${partner.name} is ${partner.status}: it cannot agree now`,
    );
  }
  const terms = checkAgreementTerms(input.terms, defaultTerms(clubs.get(proposerClubId)?.currency ?? 'USD'));
  if (!terms.ok) throw invalidInput(terms.field, terms.message);

  const principal = acting.principal;
  const change = { reason: null, changedBy: principal.userId, changedByClubId: proposerClubId };
  const agreement = await deps.db
    .withTenant(proposerClubId, async (tx) => {
      const drafted: AgreementRow = {
        id: context.newId(),
        proposerClubId,
        partnerClubId,
        agreementType: input.agreementType as AgreementType,
        status: 'DRAFT',
        startsOn: dates.value.startsOn,
        endsOn: dates.value.endsOn,
        terms: terms.value,
        notes,
        statusReason: null,
        createdBy: principal.userId,
        createdAt: now,
        updatedAt: now,
      };
      await createAgreementQueries(tx).insert(drafted);
      let row = await recordAgreementChange(tx, context, drafted, {
        ...change,
        action: 'propose',
        from: null,
        to: 'DRAFT',
      });
      if (input.submit) {
        row = await recordAgreementChange(tx, context, row, {
          ...change,
          action: 'submit',
          from: 'DRAFT',
          to: 'PENDING',
        });
      }
      return row;
    })
    .catch((error: unknown) => {
      if (sqlStateOf(error) === SQL_STATE.uniqueViolation) {
        throw new ClubError(
          'agreement.already_live',
          'these two clubs already have an agreement open or in force: change or end that one first',
          {},
          error,
        );
      }
      throw error;
    });
  deps.eventsWritten();
  return agreement;
}

export interface UpdateAgreementTermsInput {
  clubId: string;
  id: string;
  startsOn: string | null | undefined;
  /** undefined: keep; null: open-ended. */
  endsOn: string | null | undefined;
  terms: AgreementTermsInput;
  notes: string | null | undefined;
}

/**
 * The proposer changes the terms or dates while the agreement is DRAFT or PENDING (the partner has
 * not decided yet). Not a transition: no history row or event, the terms travel with the approval.
 */
export async function updateAgreementTerms(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: UpdateAgreementTermsInput,
): Promise<AgreementRow> {
  const acting = actingFor(context.principal, input.clubId);
  const now = context.clock();
  const notes = input.notes === undefined ? undefined : input.notes?.trim() || null;
  if (notes && notes.length > MAX_NOTES)
    throw invalidInput('notes', `notes must be at most ${MAX_NOTES} characters`);
  return inScopeOf(deps.db, acting, async (tx) => {
    const agreements = createAgreementQueries(tx);
    // FOR UPDATE: a submission or decision in flight waits, and the terms it decides on are these.
    const current = await agreements.findById(input.id, { forUpdate: true });
    if (!current) throw notFound('agreement', input.id);
    const allowed = checkTermsEdit(current.status, sideOf(acting, current));
    if (!allowed.ok) throw new ClubError(allowed.code, allowed.message, { from: current.status });
    const dates = checkAgreementDates(
      input.startsOn === undefined ? current.startsOn : input.startsOn,
      input.endsOn === undefined ? current.endsOn : input.endsOn,
      dayOf(now),
    );
    if (!dates.ok) throw invalidInput(dates.field, dates.message);
    const terms = checkAgreementTerms(input.terms, current.terms);
    if (!terms.ok) throw invalidInput(terms.field, terms.message);
    const updated = await agreements.update(current.id, {
      startsOn: dates.value.startsOn,
      endsOn: dates.value.endsOn,
      terms: terms.value,
      ...(notes === undefined ? {} : { notes }),
      updatedAt: now,
    });
    return updated!;
  });
}
