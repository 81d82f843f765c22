import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import {
  type Agreement,
  type AgreementActionRequest,
  type AgreementChange,
  AgreementChangeSchema,
  AgreementSchema,
  AgreementService,
  type AgreementTermsPatch,
} from '@clubland/contract/reciprocal/v1/agreements';
import { isUuid, notFound } from '@clubland/errors';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { type AgreementCommand, changeAgreementStatus } from './app/change-agreement-status.ts';
import type { ReciprocalDeps, UseCaseContext } from './app/deps.ts';
import { getAgreements } from './app/get-agreements.ts';
import { agreementHistory, getAgreement, listAgreements } from './app/list-agreements.ts';
import { proposeAgreement, updateAgreementTerms } from './app/propose-agreement.ts';
import type { AgreementTermsInput } from './domain/agreement-terms.ts';
import type { AgreementChangeRow, AgreementRow } from './store/agreement-queries.ts';

const MAX_BATCH = 500;

export function registerAgreementRpc(
  router: ConnectRouter,
  deps: ReciprocalDeps,
  contextOf: (handler: HandlerContext, caller?: CallerContext) => UseCaseContext,
): void {
  router.service(AgreementService, {
    async getAgreements(request, handler) {
      const ids = request.ids
        .slice(0, MAX_BATCH)
        .filter(isUuid)
        .map((id) => id.toLowerCase());
      const rows = await getAgreements(deps, contextOf(handler, request.caller), ids);
      return { agreements: rows.map(agreementMessage) };
    },
    async getAgreement(request, handler) {
      const id = knownId(request.id);
      const row = await getAgreement(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        id,
      });
      return { agreement: agreementMessage(row) };
    },
    async listAgreements(request, handler) {
      const page = await listAgreements(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        status: request.status,
        page: request.page || 1,
        pageSize: request.pageSize || 10,
      });
      return {
        agreements: page.agreements.map(agreementMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
    async listAgreementChanges(request, handler) {
      const id = knownId(request.id);
      const changes = await agreementHistory(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        id,
      });
      return { changes: changes.map(changeMessage) };
    },
    async proposeAgreement(request, handler) {
      const row = await proposeAgreement(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        partnerClubId: request.partnerClubId,
        agreementType: request.agreementType,
        startsOn: request.startsOn || null,
        endsOn: request.endsOn || null,
        terms: termsInput(request.terms),
        notes: request.notes || null,
        submit: request.submit,
      });
      return { agreement: agreementMessage(row) };
    },
    async updateAgreementTerms(request, handler) {
      const id = knownId(request.id);
      const row = await updateAgreementTerms(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        id,
        startsOn: request.startsOn,
        endsOn: request.endsOn === undefined ? undefined : request.endsOn || null,
        terms: termsInput(request.terms),
        notes: request.notes,
      });
      return { agreement: agreementMessage(row) };
    },
    submitAgreement: (request, handler) => command('submit', request, handler),
    approveAgreement: (request, handler) => command('approve', request, handler),
    rejectAgreement: (request, handler) => command('reject', request, handler),
    suspendAgreement: (request, handler) => command('suspend', request, handler),
    reinstateAgreement: (request, handler) => command('reinstate', request, handler),
    cancelAgreement: (request, handler) => command('cancel', request, handler),
    terminateAgreement: (request, handler) => command('terminate', request, handler),
  });

  async function command(name: AgreementCommand, request: AgreementActionRequest, handler: HandlerContext) {
    const row = await changeAgreementStatus(deps, contextOf(handler, request.caller), {
      clubId: request.clubId,
      id: knownId(request.id),
      command: name,
      reason: request.reason || null,
    });
    return { agreement: agreementMessage(row) };
  }
}

/** A malformed id names no agreement: NOT_FOUND, as an unknown one. */
function knownId(id: string): string {
  if (!isUuid(id)) throw notFound('agreement', id);
  return id.toLowerCase();
}

const CLEARABLE = ['maxVisitsPerMonth', 'maxVisitsPerYear', 'maxStayNights', 'minDistanceKm'] as const;
const CLEAR_NAMES: Record<string, (typeof CLEARABLE)[number]> = {
  max_visits_per_month: 'maxVisitsPerMonth',
  max_visits_per_year: 'maxVisitsPerYear',
  max_stay_nights: 'maxStayNights',
  min_distance_km: 'minDistanceKm',
};

/** The patch as the domain takes it: unset stays undefined, `clear` sets a limit to none. */
function termsInput(patch: AgreementTermsPatch | undefined): AgreementTermsInput {
  if (!patch) return {};
  const cost = patch.costSharing;
  const input: AgreementTermsInput = {
    maxVisitsPerMonth: patch.maxVisitsPerMonth,
    maxVisitsPerYear: patch.maxVisitsPerYear,
    maxStayNights: patch.maxStayNights,
    minDistanceKm: patch.minDistanceKm,
    refuseHostCityResidents: patch.refuseHostCityResidents,
    guestsPerVisit: patch.guestsPerVisit,
    allowedFacilities: patch.allowedFacilities?.values,
    blackoutDates: patch.blackoutDates?.values,
    requiresLetter: patch.requiresLetter,
    specialConditions: patch.specialConditions,
    costSharing: cost && {
      guestFee: cost.guestFee === undefined ? undefined : Number(cost.guestFee),
      currency: cost.currency,
      guestFeeCovered: cost.guestFeeCovered,
      facilityFeesCovered: cost.facilityFeesCovered,
      foodBeverageCovered: cost.foodBeverageCovered,
      percentageCovered: cost.percentageCovered,
      maxAmountCovered: cost.clearMaxAmountCovered
        ? null
        : cost.maxAmountCovered === undefined
          ? undefined
          : Number(cost.maxAmountCovered),
    },
  };
  for (const name of patch.clear) {
    const key = CLEAR_NAMES[name];
    if (key) input[key] = null;
  }
  return input;
}

function changeMessage(row: AgreementChangeRow): AgreementChange {
  return create(AgreementChangeSchema, {
    id: row.id,
    agreementId: row.agreementId,
    fromStatus: row.fromStatus ?? '',
    toStatus: row.toStatus,
    reason: row.reason ?? '',
    changedBy: row.changedBy ?? '',
    changedByClubId: row.changedByClubId ?? '',
    changedAt: timestampFromDate(row.changedAt),
  });
}

export function agreementMessage(row: AgreementRow): Agreement {
  const terms = row.terms;
  return create(AgreementSchema, {
    id: row.id,
    proposerClubId: row.proposerClubId,
    partnerClubId: row.partnerClubId,
    agreementType: row.agreementType,
    status: row.status,
    startsOn: row.startsOn,
    endsOn: row.endsOn ?? '',
    terms: {
      maxVisitsPerMonth: terms.maxVisitsPerMonth ?? undefined,
      maxVisitsPerYear: terms.maxVisitsPerYear ?? undefined,
      maxStayNights: terms.maxStayNights ?? undefined,
      minDistanceKm: terms.minDistanceKm ?? undefined,
      refuseHostCityResidents: terms.refuseHostCityResidents,
      guestsPerVisit: terms.guestsPerVisit,
      allowedFacilities: terms.allowedFacilities,
      blackoutDates: terms.blackoutDates,
      requiresLetter: terms.requiresLetter,
      costSharing: {
        guestFee: BigInt(terms.costSharing.guestFee),
        currency: terms.costSharing.currency,
        guestFeeCovered: terms.costSharing.guestFeeCovered,
        facilityFeesCovered: terms.costSharing.facilityFeesCovered,
        foodBeverageCovered: terms.costSharing.foodBeverageCovered,
        percentageCovered: terms.costSharing.percentageCovered,
        maxAmountCovered:
          terms.costSharing.maxAmountCovered === null
            ? undefined
            : BigInt(terms.costSharing.maxAmountCovered),
      },
      specialConditions: terms.specialConditions ?? '',
    },
    notes: row.notes ?? '',
    statusReason: row.statusReason ?? '',
    createdBy: row.createdBy,
    createdAt: timestampFromDate(row.createdAt),
    updatedAt: timestampFromDate(row.updatedAt),
  });
}
