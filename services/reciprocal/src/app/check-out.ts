import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { checkCharges, shareCosts } from '../domain/cost-sharing.ts';
import { createAgreementQueries } from '../store/agreement-queries.ts';
import type { VisitView } from '../store/visit-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { requireVisitActor } from './visit-access.ts';
import { lockVisit, optionalText, recordVisitTransition, requireTransition } from './visit-transition.ts';

export interface CheckOutInput {
  visitId: string;
  facilitiesUsed: string[];
  /** Minor units of the agreement's currency. */
  facilityFees: number;
  foodBeverage: number;
  other: number;
  /** The currency the desk priced in; '' takes the agreement's. Must match it. */
  currency: string;
  notes: string;
}

const MAX_FACILITIES = 50;

/**
 * CHECKED_IN → CHECKED_OUT at the host's desk (visit:manage at the host): records the facilities
 * used and the costs, split under the agreement's cost sharing (domain/cost-sharing.ts: the guest
 * fee comes from the terms, the desk gives the rest), with its history, ledger entry and event in
 * one host transaction. A refused transition or bad input writes nothing.
 */
export async function checkOut(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: CheckOutInput,
): Promise<VisitView> {
  const principal = context.principal;
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const charges = {
    guestCount: 0,
    facilityFees: input.facilityFees,
    foodBeverage: input.foodBeverage,
    other: input.other,
  };
  const valid = checkCharges(charges);
  if (!valid.ok) throw invalidInput(valid.field, valid.message);
  const facilities = facilitiesOf(input.facilitiesUsed);
  const notes = optionalText(input.notes, 'notes', 2000);
  const { visit: seen } = await requireVisitActor(deps, principal, input.visitId, ['host']);

  const visit = await deps.db.withTenant(seen.hostClubId, async (tx) => {
    const current = await lockVisit(tx, input.visitId);
    requireTransition(current, 'CHECKED_OUT');
    const agreement = await createAgreementQueries(tx).findById(current.agreementId);
    if (!agreement) throw notFound('agreement', current.agreementId);
    const { costSharing, allowedFacilities } = agreement.terms;
    if (input.currency !== '' && input.currency.toUpperCase() !== costSharing.currency) {
      throw invalidInput('currency', `the agreement's costs are in ${costSharing.currency}`);
    }
    const allowed = new Set(allowedFacilities.map((name) => name.toUpperCase()));
    const refused = facilities.filter((name) => allowed.size > 0 && !allowed.has(name.toUpperCase()));
    if (refused.length > 0) {
      throw invalidInput('facilitiesUsed', `not allowed under the agreement: ${refused.join(', ')}`);
    }
    return recordVisitTransition(tx, context, current, 'CHECKED_OUT', null, costSharing.currency, {
      checkedOutAt: context.clock(),
      facilitiesUsed: facilities,
      costs: shareCosts(costSharing, { ...charges, guestCount: current.guestCount }),
      ...(notes === null ? {} : { notes }),
    });
  });
  deps.eventsWritten();
  return visit;
}

function facilitiesOf(names: readonly string[]): string[] {
  const facilities = [...new Set(names.map((name) => name.trim()).filter((name) => name !== ''))];
  if (facilities.length > MAX_FACILITIES || facilities.some((name) => name.length > 100)) {
    throw invalidInput('facilitiesUsed', `at most ${MAX_FACILITIES} facilities, each 1-100 characters`);
  }
  return facilities;
}
