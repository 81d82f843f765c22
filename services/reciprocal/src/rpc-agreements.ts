import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import {
  type Agreement,
  AgreementSchema,
  AgreementService,
} from '@clubland/contract/reciprocal/v1/agreements';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { ReciprocalDeps, UseCaseContext } from './app/deps.ts';
import { getAgreements } from './app/get-agreements.ts';
import { isUuid } from './rpc-ids.ts';
import type { AgreementRow } from './store/agreement-queries.ts';

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
