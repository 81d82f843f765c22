import type { MessageInitShape } from '@bufbuild/protobuf';
import type {
  Agreement,
  AgreementChange,
  AgreementService,
  AgreementTermsPatchSchema,
} from '@clubland/contract/reciprocal/v1/agreements';
import { isClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { ResolverContext } from '../resolver-context.ts';
import { callerContextOf, type PaginationArg, pageInfoOf, pagingOf } from './members.ts';
import { optionalIso } from './timestamps.ts';

/**
 * Reciprocal agreements: GraphQL in, AgreementService RPC out, the caller carried as in
 * members.ts; the reciprocal service authorises every call again. Money crosses as Floats in major
 * units and is held in minor units: 2 decimal places, true of every currency the network uses
 * today (a currency with 0 or 3 would need its digits from ISO 4217 here).
 */

type AgreementClient = Client<typeof AgreementService>;
type Context = Pick<ResolverContext, 'caller' | 'loaders'>;

const MINOR_DIGITS = 2;
const toMinor = (major: number): bigint => BigInt(Math.round(major * 10 ** MINOR_DIGITS));
const toMajor = (minor: bigint): number => Number(minor) / 10 ** MINOR_DIGITS;

/** A day as the Time scalar sends it: its midnight UTC. */
const timeOfDay = (day: string): string | null => (day ? `${day}T00:00:00.000Z` : null);
const dayOf = (value: Date): string => value.toISOString().slice(0, 10);

async function callerOf(context: Context) {
  return callerContextOf(await context.caller.requirePrincipal());
}

/** Output guard: exactly the fields the SDL declares. */
export type AgreementModel = ReturnType<typeof toAgreement>;

/** Also for a visit's `agreement` field, once visits land. */
export function toAgreement(agreement: Agreement) {
  const terms = agreement.terms;
  const cost = terms?.costSharing;
  const costSharing = {
    guestFee: cost ? toMajor(cost.guestFee) : 0,
    currency: cost?.currency ?? '',
    guestFeeCovered: cost?.guestFeeCovered ?? false,
    facilityFeesCovered: cost?.facilityFeesCovered ?? false,
    foodBeverageCovered: cost?.foodBeverageCovered ?? false,
    percentageCovered: cost?.percentageCovered ?? 0,
    maxAmountCovered: cost?.maxAmountCovered === undefined ? null : toMajor(cost.maxAmountCovered),
  };
  const agreementTerms = {
    maxVisitsPerMonth: terms?.maxVisitsPerMonth ?? null,
    maxVisitsPerYear: terms?.maxVisitsPerYear ?? null,
    maxStayNights: terms?.maxStayNights ?? null,
    minDistanceKm: terms?.minDistanceKm ?? null,
    refuseHostCityResidents: terms?.refuseHostCityResidents ?? false,
    guestsPerVisit: terms?.guestsPerVisit ?? 0,
    allowedFacilities: terms?.allowedFacilities ?? [],
    blackoutDates: terms?.blackoutDates ?? [],
    requiresLetter: terms?.requiresLetter ?? false,
    reciprocalFee: costSharing.guestFee,
    costSharing,
    specialConditions: terms?.specialConditions || null,
  };
  const startDate = timeOfDay(agreement.startsOn);
  const endDate = timeOfDay(agreement.endsOn);
  return {
    id: agreement.id,
    clubId: agreement.proposerClubId,
    partnerClubId: agreement.partnerClubId,
    initiatingClubId: agreement.proposerClubId,
    reciprocatingClubId: agreement.partnerClubId,
    status: agreement.status,
    agreementType: agreement.agreementType,
    terms: agreementTerms,
    agreementTerms,
    effectiveDate: startDate,
    expirationDate: endDate,
    startDate,
    endDate,
    maxVisitsPerYear: agreementTerms.maxVisitsPerYear,
    maxVisitDuration: agreementTerms.maxStayNights,
    allowedFacilities: agreementTerms.allowedFacilities,
    costSharing,
    requiresPreApproval: agreementTerms.requiresLetter,
    notes: agreement.notes || null,
    statusReason: agreement.statusReason || null,
    createdAt: optionalIso(agreement.createdAt),
    updatedAt: optionalIso(agreement.updatedAt),
  };
}

function toChange(change: AgreementChange) {
  return {
    id: change.id,
    agreementId: change.agreementId,
    fromStatus: change.fromStatus || null,
    toStatus: change.toStatus,
    reason: change.reason || null,
    changedBy: change.changedBy || null,
    changedByClubId: change.changedByClubId || null,
    changedAt: optionalIso(change.changedAt),
  };
}

interface CostSharingArg {
  guestFee?: number | null;
  currency?: string | null;
  guestFeeCovered?: boolean | null;
  facilityFeesCovered?: boolean | null;
  foodBeverageCovered?: boolean | null;
  percentageCovered?: number | null;
  maxAmountCovered?: number | null;
}

interface TermsArg {
  maxVisitsPerMonth?: number | null;
  reciprocalFee?: number | null;
  blackoutDates?: string[] | null;
  specialConditions?: string | null;
  maxVisitsPerYear?: number | null;
  maxStayNights?: number | null;
  minDistanceKm?: number | null;
  refuseHostCityResidents?: boolean | null;
  guestsPerVisit?: number | null;
  allowedFacilities?: string[] | null;
  requiresLetter?: boolean | null;
  costSharing?: CostSharingArg | null;
}

const minorOf = (major: number | null | undefined): bigint | undefined =>
  major == null ? undefined : toMinor(major);

/** GraphQL's terms as the RPC's patch: absent stays unset; an explicit null limit means "no limit". */
function termsPatch(
  input: TermsArg | null | undefined,
): MessageInitShape<typeof AgreementTermsPatchSchema> | undefined {
  if (!input) return undefined;
  const cost = input.costSharing ?? {};
  const guestFee = input.reciprocalFee ?? cost.guestFee;
  const clear = (
    [
      ['maxVisitsPerMonth', 'max_visits_per_month'],
      ['maxVisitsPerYear', 'max_visits_per_year'],
      ['maxStayNights', 'max_stay_nights'],
      ['minDistanceKm', 'min_distance_km'],
    ] as const
  )
    .filter(([key]) => input[key] === null)
    .map(([, name]) => name);
  return {
    maxVisitsPerMonth: input.maxVisitsPerMonth ?? undefined,
    maxVisitsPerYear: input.maxVisitsPerYear ?? undefined,
    maxStayNights: input.maxStayNights ?? undefined,
    minDistanceKm: input.minDistanceKm ?? undefined,
    refuseHostCityResidents: input.refuseHostCityResidents ?? undefined,
    guestsPerVisit: input.guestsPerVisit ?? undefined,
    allowedFacilities: input.allowedFacilities ? { values: input.allowedFacilities } : undefined,
    blackoutDates: input.blackoutDates ? { values: input.blackoutDates } : undefined,
    requiresLetter: input.requiresLetter ?? undefined,
    specialConditions: input.specialConditions ?? undefined,
    costSharing: {
      guestFee: minorOf(guestFee),
      currency: cost.currency ?? undefined,
      guestFeeCovered: cost.guestFeeCovered ?? undefined,
      facilityFeesCovered: cost.facilityFeesCovered ?? undefined,
      foodBeverageCovered: cost.foodBeverageCovered ?? undefined,
      percentageCovered: cost.percentageCovered ?? undefined,
      maxAmountCovered: minorOf(cost.maxAmountCovered),
      clearMaxAmountCovered: cost.maxAmountCovered === null,
    },
    clear,
  };
}

/** NOT_FOUND is null where the SDL types the answer as nullable. */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isClubError(error) && error.code === 'entity.not_found') return null;
    throw error;
  }
}

const MAX_BY_CLUB = 1000;

export function agreementResolvers(clients: { agreements: AgreementClient }) {
  const { agreements } = clients;

  type Command = 'submit' | 'approve' | 'reject' | 'suspend' | 'reinstate' | 'cancel' | 'terminate';
  async function command(
    name: Command,
    args: { id: string; reason?: string | null; clubId?: string | null },
    context: Context,
  ) {
    const request = {
      caller: await callerOf(context),
      clubId: args.clubId ?? '',
      id: args.id,
      reason: args.reason ?? '',
    };
    const calls = {
      submit: () => agreements.submitAgreement(request),
      approve: () => agreements.approveAgreement(request),
      reject: () => agreements.rejectAgreement(request),
      suspend: () => agreements.suspendAgreement(request),
      reinstate: () => agreements.reinstateAgreement(request),
      cancel: () => agreements.cancelAgreement(request),
      terminate: () => agreements.terminateAgreement(request),
    };
    const { agreement } = await calls[name]();
    return toAgreement(agreement!);
  }

  type CommandArgs = { id: string; reason?: string | null; clubId?: string | null };
  const commandResolver = (name: Command) => (_root: unknown, args: CommandArgs, context: Context) =>
    command(name, args, context);

  const club = (id: string, context: Context) => context.loaders.club(id);

  return {
    Query: {
      async reciprocalAgreements(
        _root: unknown,
        args: { pagination?: PaginationArg | null; status?: string | null; clubId?: string | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await agreements.listAgreements({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          status: args.status ?? '',
          page,
          pageSize,
        });
        return {
          nodes: result.agreements.map(toAgreement),
          pageInfo: pageInfoOf(
            result.page,
            result.pageSize,
            result.total,
            result.page * result.pageSize < result.total,
          ),
        };
      },
      async reciprocalAgreement(
        _root: unknown,
        args: { id: string; clubId?: string | null },
        context: Context,
      ) {
        const found = await orNull(
          agreements.getAgreement({
            caller: await callerOf(context),
            clubId: args.clubId ?? '',
            id: args.id,
          }),
        );
        return found?.agreement ? toAgreement(found.agreement) : null;
      },
      async agreementsByClub(
        _root: unknown,
        args: { clubId: string; status?: string | null },
        context: Context,
      ) {
        const caller = await callerOf(context);
        const found: AgreementModel[] = [];
        for (let page = 1; found.length < MAX_BY_CLUB; page++) {
          const result = await agreements.listAgreements({
            caller,
            clubId: args.clubId,
            status: args.status ?? '',
            page,
            pageSize: 100,
          });
          found.push(...result.agreements.map(toAgreement));
          if (page * 100 >= result.total) break;
        }
        return found.slice(0, MAX_BY_CLUB);
      },
      async agreementHistory(_root: unknown, args: { id: string; clubId?: string | null }, context: Context) {
        const { changes } = await agreements.listAgreementChanges({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          id: args.id,
        });
        return changes.map(toChange);
      },
    },
    Mutation: {
      async createReciprocalAgreement(
        _root: unknown,
        {
          input,
        }: {
          input: {
            partnerClubId: string;
            agreementType: string;
            effectiveDate?: Date | null;
            expirationDate?: Date | null;
            terms?: TermsArg | null;
            notes?: string | null;
            clubId?: string | null;
            submit?: boolean | null;
          };
        },
        context: Context,
      ) {
        const { agreement } = await agreements.proposeAgreement({
          caller: await callerOf(context),
          clubId: input.clubId ?? '',
          partnerClubId: input.partnerClubId,
          agreementType: input.agreementType,
          startsOn: input.effectiveDate ? dayOf(input.effectiveDate) : '',
          endsOn: input.expirationDate ? dayOf(input.expirationDate) : '',
          terms: termsPatch(input.terms),
          notes: input.notes ?? '',
          submit: input.submit ?? true,
        });
        return toAgreement(agreement!);
      },
      async updateReciprocalAgreement(
        _root: unknown,
        args: {
          id: string;
          clubId?: string | null;
          input: {
            effectiveDate?: Date | null;
            expirationDate?: Date | null;
            terms?: TermsArg | null;
            notes?: string | null;
          };
        },
        context: Context,
      ) {
        const { input } = args;
        const { agreement } = await agreements.updateAgreementTerms({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          id: args.id,
          startsOn: input.effectiveDate ? dayOf(input.effectiveDate) : undefined,
          // An explicit null makes the agreement open-ended.
          endsOn:
            input.expirationDate === undefined
              ? undefined
              : input.expirationDate
                ? dayOf(input.expirationDate)
                : '',
          terms: termsPatch(input.terms),
          notes: input.notes === undefined ? undefined : (input.notes ?? ''),
        });
        return toAgreement(agreement!);
      },
      submitReciprocalAgreement: commandResolver('submit'),
      approveReciprocalAgreement: commandResolver('approve'),
      rejectReciprocalAgreement: commandResolver('reject'),
      suspendReciprocalAgreement: commandResolver('suspend'),
      reinstateReciprocalAgreement: commandResolver('reinstate'),
      cancelReciprocalAgreement: commandResolver('cancel'),
      terminateReciprocalAgreement: commandResolver('terminate'),
    },
    ReciprocalAgreement: {
      partnerClub: (parent: AgreementModel, _args: unknown, context: Context) =>
        club(parent.partnerClubId, context),
      initiatingClub: (parent: AgreementModel, _args: unknown, context: Context) =>
        club(parent.clubId, context),
      reciprocatingClub: (parent: AgreementModel, _args: unknown, context: Context) =>
        club(parent.partnerClubId, context),
    },
  };
}
