import type { MessageInitShape } from '@bufbuild/protobuf';
import type { visitStatusChanged } from '@clubland/contract/events/reciprocal';
import {
  type IdentificationSchema,
  RefusalReason,
  type VerifyVisitorResponse,
  type Visit,
  type VisitorProjection,
  type VisitService,
} from '@clubland/contract/reciprocal/v1/visits';
import { invalidInput, isClubError, notFound } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import type { RequestLoaders } from '../request-loaders.ts';
import { NO_CHAINCODE } from './ledger.ts';
import { callerContextOf, type PaginationArg, pageInfoOf, pagingOf } from './members.ts';
import { optionalIso, requiredIso } from './timestamps.ts';

/**
 * Visits: GraphQL in, VisitService RPC out. The reciprocal service authorises every call again;
 * amounts cross the RPC in minor units and reach the client in major units of the visit's currency.
 */

type VisitClient = Client<typeof VisitService>;
interface Context {
  caller: Caller;
  loaders: RequestLoaders;
}

const callerOf = async (context: Context) => callerContextOf(await context.caller.requirePrincipal());

/** A visit as the Visit type's fields read it (club, memberClub and hostClub resolve from the ids). */
export interface VisitModel {
  id: string;
  memberId: string;
  clubId: string;
  visitingClubId: string;
  memberClubId: string;
  hostClubId: string;
  agreementId: string | null;
  checkInTime: string;
  checkOutTime: string | null;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  status: string;
  guestCount: number;
  purpose: string | null;
  facilitiesUsed: string[] | null;
  services: string[] | null;
  costs: VisitCostsModel | null;
  cost: number | null;
  verified: boolean;
  notes: string | null;
  blockchainTxId: string | null;
  qrCode: null;
  verificationCode: null;
  createdAt: string;
  updatedAt: string;
}

interface VisitCostsModel {
  guestFee: number;
  facilityFees: number;
  foodBeverage: number;
  other: number;
  total: number;
  currency: string;
  paidBy: string | null;
  paidAt: string | null;
  homeClubShare: number;
  memberShare: number;
}

const digitsByCurrency = new Map<string, number>();

/** Minor units per major unit of an ISO 4217 currency: 2 for GBP, 0 for JPY, 3 for BHD. */
function decimalsOf(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

const toMajor = (minor: bigint, currency: string) => Number(minor) / 10 ** decimalsOf(currency);

/** Major units the client typed, as whole minor units (rounded half away from zero). */
function toMinor(major: number | null | undefined, currency: string, field: string): bigint {
  if (major === null || major === undefined) return 0n;
  if (!Number.isFinite(major) || major < 0) throw invalidInput(field, `${field} must be 0 or more`);
  return BigInt(Math.round(major * 10 ** decimalsOf(currency)));
}

/** Output guard: exactly the fields the SDL declares. */
export function toVisit(visit: Visit): VisitModel {
  const checkedInAt = optionalIso(visit.checkedInAt);
  const checkedOutAt = optionalIso(visit.checkedOutAt);
  const createdAt = requiredIso(visit.createdAt, 'a visit creation time');
  const costs = visit.costs;
  const costsModel: VisitCostsModel | null = costs
    ? {
        guestFee: toMajor(costs.guestFee, costs.currency),
        facilityFees: toMajor(costs.facilityFees, costs.currency),
        foodBeverage: toMajor(costs.foodBeverage, costs.currency),
        other: toMajor(costs.other, costs.currency),
        total: toMajor(costs.total, costs.currency),
        currency: costs.currency,
        paidBy:
          costs.total === 0n
            ? null
            : costs.homeClubShare === costs.total
              ? 'HOME_CLUB'
              : costs.memberShare === costs.total
                ? 'MEMBER'
                : 'SHARED',
        paidAt: checkedOutAt,
        homeClubShare: toMajor(costs.homeClubShare, costs.currency),
        memberShare: toMajor(costs.memberShare, costs.currency),
      }
    : null;
  return {
    id: visit.id,
    memberId: visit.memberId,
    clubId: visit.homeClubId,
    visitingClubId: visit.hostClubId,
    memberClubId: visit.homeClubId,
    hostClubId: visit.hostClubId,
    agreementId: visit.agreementId || null,
    checkInTime: checkedInAt ?? createdAt,
    checkOutTime: checkedOutAt,
    checkedInAt,
    checkedOutAt,
    status: visit.status,
    guestCount: visit.guestCount,
    purpose: visit.purpose || null,
    facilitiesUsed: visit.facilitiesUsed,
    services: visit.facilitiesUsed,
    costs: costsModel,
    cost: costsModel?.total ?? null,
    verified: checkedInAt !== null,
    notes: visit.notes || null,
    blockchainTxId: visit.ledgerTxId || null,
    qrCode: null,
    verificationCode: null,
    createdAt,
    updatedAt: requiredIso(visit.updatedAt, 'a visit update time'),
  };
}

type VisitEvent = ReturnType<typeof visitStatusChanged.parse>['data'];

/** A visit as its visit.status_changed event tells it (subscriptions): costs and notes are not carried. */
export function visitFromEvent(data: VisitEvent): VisitModel {
  const checkedInAt = data.checkedInAt ?? (data.to === 'CHECKED_IN' ? data.changedAt : null);
  const checkedOutAt = data.checkedOutAt ?? (data.to === 'CHECKED_OUT' ? data.changedAt : null);
  const createdAt = data.createdAt ?? data.changedAt;
  return {
    id: data.visitId,
    memberId: data.memberId,
    clubId: data.homeClubId,
    visitingClubId: data.hostClubId,
    memberClubId: data.homeClubId,
    hostClubId: data.hostClubId,
    agreementId: data.agreementId,
    checkInTime: checkedInAt ?? createdAt,
    checkOutTime: checkedOutAt,
    checkedInAt,
    checkedOutAt,
    status: data.to,
    guestCount: data.guestCount ?? 0,
    purpose: null,
    facilitiesUsed: null,
    services: null,
    costs: null,
    cost: null,
    verified: checkedInAt !== null,
    notes: null,
    blockchainTxId: null,
    qrCode: null,
    verificationCode: null,
    createdAt,
    updatedAt: data.changedAt,
  };
}

function toProjection(visitor: VisitorProjection | undefined) {
  if (!visitor) return null;
  return {
    memberId: visitor.memberId,
    homeClubId: visitor.homeClubId,
    homeClubName: visitor.homeClubName,
    firstName: visitor.firstName,
    lastName: visitor.lastName,
    photoUrl: visitor.photoUrl || null,
    membershipType: visitor.membershipType,
    standing: visitor.standing,
    memberNumber: visitor.memberNumber,
  };
}

function toVerification(response: VerifyVisitorResponse) {
  return {
    allowed: response.allowed,
    reasons: response.reasons.map((reason) => RefusalReason[reason]).filter((name) => name !== undefined),
    visitor: toProjection(response.visitor),
    agreementId: response.agreementId || null,
    letterId: response.letterId || null,
  };
}

/** YYYY-MM-DD of an instant the client sent (its UTC day), or '' for none. */
const dayOf = (value: Date | null | undefined) => (value ? value.toISOString().slice(0, 10) : '');

function connectionOf(visits: Visit[], total: number, page: number, pageSize: number) {
  return {
    nodes: visits.map(toVisit),
    pageInfo: pageInfoOf(page, pageSize, total, page * pageSize < total),
  };
}

type Identification = MessageInitShape<typeof IdentificationSchema>;

interface CheckInArgs {
  hostClubId: string;
  guestCount?: number | null;
  purpose?: string | null;
  notes?: string | null;
  nights?: number | null;
  card?: string | null;
  homeClubId?: string | null;
  memberNumber?: string | null;
  memberId?: string | null;
  visitCode?: string | null;
}

/** How the desk identified the visitor; none given: the signed-in member checks themselves in. */
function identificationOf(input: CheckInArgs): Identification {
  if (input.card) return { by: { case: 'card', value: input.card } };
  if (input.visitCode) return { by: { case: 'visitCode', value: input.visitCode } };
  if (input.memberNumber) {
    if (!input.homeClubId) throw invalidInput('homeClubId', 'homeClubId is needed with memberNumber');
    return {
      by: { case: 'memberNumber', value: { homeClubId: input.homeClubId, memberNumber: input.memberNumber } },
    };
  }
  if (input.memberId)
    return {
      by: { case: 'member', value: { homeClubId: input.homeClubId ?? '', memberId: input.memberId } },
    };
  return { by: { case: 'self', value: true } };
}

interface CheckOutArgs {
  visitId: string;
  facilitiesUsed?: string[] | null;
  services?: string[] | null;
  notes?: string | null;
  facilityFees?: number | null;
  foodBeverage?: number | null;
  other?: number | null;
  currency?: string | null;
}

export function visitResolvers(clients: { visits: VisitClient }) {
  const { visits } = clients;

  async function visitOrMissing(context: Context, id: string): Promise<Visit | null> {
    const { visits: found } = await visits.getVisits({ caller: await callerOf(context), ids: [id] });
    return found[0] ?? null;
  }

  async function checkIn(context: Context, input: CheckInArgs) {
    const { visit } = await visits.checkIn({
      caller: await callerOf(context),
      hostClubId: input.hostClubId,
      identification: identificationOf(input),
      guestCount: input.guestCount ?? 0,
      nights: input.nights ?? 0,
      purpose: input.purpose ?? '',
      notes: input.notes ?? '',
    });
    return toVisit(visit!);
  }

  /** Prices arrive in major units of the visit's currency (the agreement's): asked first. */
  async function checkOut(context: Context, input: CheckOutArgs) {
    const current = await visitOrMissing(context, input.visitId);
    if (!current) throw notFound('visit', input.visitId);
    const currency = input.currency?.toUpperCase() || current.currency;
    if (currency !== current.currency)
      throw invalidInput('currency', `the agreement's costs are in ${current.currency}`);
    const { visit } = await visits.checkOut({
      caller: await callerOf(context),
      visitId: input.visitId,
      facilitiesUsed: [...new Set([...(input.facilitiesUsed ?? []), ...(input.services ?? [])])],
      facilityFees: toMinor(input.facilityFees, currency, 'facilityFees'),
      foodBeverage: toMinor(input.foodBeverage, currency, 'foodBeverage'),
      other: toMinor(input.other, currency, 'other'),
      currency,
      notes: input.notes ?? '',
    });
    return toVisit(visit!);
  }

  async function listClub(
    context: Context,
    request: { clubId?: string | null; side: string; status?: string | null; from?: string; to?: string },
    pagination: PaginationArg | null | undefined,
  ) {
    const { page, pageSize } = pagingOf(pagination);
    const response = await visits.listVisits({
      caller: await callerOf(context),
      clubId: request.clubId ?? '',
      side: request.side,
      status: request.status ?? '',
      from: request.from ?? '',
      to: request.to ?? '',
      page,
      pageSize,
    });
    return connectionOf(response.visits, response.total, page, pageSize);
  }

  const clubOf = (id: string, context: Context) => context.loaders.club(id);

  return {
    Query: {
      visits: (
        _: unknown,
        args: {
          pagination?: PaginationArg | null;
          status?: string | null;
          startDate?: Date | null;
          endDate?: Date | null;
          clubId?: string | null;
        },
        context: Context,
      ) =>
        listClub(
          context,
          {
            clubId: args.clubId,
            side: 'BOTH',
            status: args.status,
            from: dayOf(args.startDate),
            to: dayOf(args.endDate),
          },
          args.pagination,
        ),
      async myVisits(
        _: unknown,
        args: { pagination?: PaginationArg | null; status?: string | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const response = await visits.listMyVisits({
          caller: await callerOf(context),
          status: args.status ?? '',
          page,
          pageSize,
        });
        return connectionOf(response.visits, response.total, page, pageSize);
      },
      async visit(_: unknown, args: { id: string }, context: Context) {
        const visit = await visitOrMissing(context, args.id);
        return visit ? toVisit(visit) : null;
      },
      visitsByClub: (
        _: unknown,
        args: { clubId: string; asHost?: boolean | null; pagination?: PaginationArg | null },
        context: Context,
      ) =>
        listClub(
          context,
          { clubId: args.clubId, side: args.asHost === false ? 'HOME' : 'HOST' },
          args.pagination,
        ),
      async activeVisits(_: unknown, args: { clubId?: string | null }, context: Context) {
        const connection = await listClub(
          context,
          { clubId: args.clubId, side: 'HOST', status: 'CHECKED_IN' },
          { page: 1, pageSize: 100 },
        );
        return connection.nodes;
      },
      async visitBlockchainStatus(_: unknown, args: { visitId: string }, context: Context) {
        const visit = await visitOrMissing(context, args.visitId);
        if (!visit?.ledgerTxId) return null;
        // The reciprocal service's copy of the entry: PENDING until the ledger takes it, then as
        // the ledger announces it (block and time once CONFIRMED).
        const submittedAt =
          optionalIso(visit.ledgerRecordedAt) ?? requiredIso(visit.updatedAt, 'a visit update time');
        const confirmedAt = optionalIso(visit.ledgerConfirmedAt);
        return {
          id: visit.ledgerTxId,
          entityType: 'visit',
          entityId: visit.id,
          txId: visit.ledgerTxId,
          status: visit.ledgerStatus || 'PENDING',
          submittedAt,
          confirmedAt,
          blockNumber: visit.ledgerBlockNumber === undefined ? null : Number(visit.ledgerBlockNumber),
          error: visit.ledgerError || null,
          type: visit.ledgerFact,
          ...NO_CHAINCODE,
          timestamp: confirmedAt ?? submittedAt,
          createdAt: submittedAt,
        };
      },
    },
    Mutation: {
      recordVisit: (
        _: unknown,
        args: {
          input: {
            memberId: string;
            visitingClubId: string;
            homeClubId?: string | null;
            purpose?: string | null;
            guestCount?: number | null;
          };
        },
        context: Context,
      ) =>
        checkIn(context, {
          hostClubId: args.input.visitingClubId,
          memberId: args.input.memberId,
          homeClubId: args.input.homeClubId ?? null,
          purpose: args.input.purpose ?? null,
          guestCount: args.input.guestCount ?? 0,
        }),
      async checkInToClub(_: unknown, args: { clubId: string }, context: Context) {
        try {
          const visit = await checkIn(context, { hostClubId: args.clubId });
          return { success: true, message: 'Checked in', visit, reasons: [] };
        } catch (error) {
          // A refusal is an answer the app shows, not a failure: success false with the reasons.
          if (!isClubError(error) || error.code !== 'visit.refused') throw error;
          const reasons = Array.isArray(error.details.reasons) ? (error.details.reasons as string[]) : [];
          return { success: false, message: error.message, visit: null, reasons };
        }
      },
      checkIn: (_: unknown, args: { input: CheckInArgs }, context: Context) => checkIn(context, args.input),
      checkOutVisit: (
        _: unknown,
        args: { input: CheckOutArgs & { cost?: number | null } },
        context: Context,
      ) => {
        const { cost, ...input } = args.input;
        if (cost != null && input.other != null) throw invalidInput('cost', 'give cost or other, not both');
        return checkOut(context, { ...input, other: input.other ?? cost });
      },
      checkOut: (
        _: unknown,
        args: {
          visitId: string;
          input: {
            costs?: {
              facilityFees?: number | null;
              foodBeverage?: number | null;
              other?: number | null;
              currency: string;
            } | null;
            facilitiesUsed?: string[] | null;
            notes?: string | null;
          };
        },
        context: Context,
      ) =>
        checkOut(context, {
          visitId: args.visitId,
          facilitiesUsed: args.input.facilitiesUsed ?? null,
          notes: args.input.notes ?? null,
          facilityFees: args.input.costs?.facilityFees ?? null,
          foodBeverage: args.input.costs?.foodBeverage ?? null,
          other: args.input.costs?.other ?? null,
          currency: args.input.costs?.currency ?? null,
        }),
      async cancelVisit(_: unknown, args: { visitId: string; reason: string }, context: Context) {
        const { visit } = await visits.cancelVisit({
          caller: await callerOf(context),
          visitId: args.visitId,
          reason: args.reason,
        });
        return toVisit(visit!);
      },
      async markVisitNoShow(_: unknown, args: { visitId: string; reason?: string | null }, context: Context) {
        const { visit } = await visits.markNoShow({
          caller: await callerOf(context),
          visitId: args.visitId,
          reason: args.reason ?? '',
        });
        return toVisit(visit!);
      },
      async generateVisitQRCode(
        _: unknown,
        args: { visitId?: string | null; hostClubId?: string | null },
        context: Context,
      ) {
        let hostClubId = args.hostClubId ?? '';
        if (hostClubId === '' && args.visitId) {
          const visit = await visitOrMissing(context, args.visitId);
          if (!visit) throw notFound('visit', args.visitId);
          hostClubId = visit.hostClubId;
        }
        if (hostClubId === '') throw invalidInput('hostClubId', 'give hostClubId or visitId');
        const { code } = await visits.issueVisitCode({ caller: await callerOf(context), hostClubId });
        return code;
      },
      async verifyVisit(_: unknown, args: { qrCode: string; hostClubId?: string | null }, context: Context) {
        const principal = await context.caller.requirePrincipal();
        const response = await visits.verifyVisitor({
          caller: callerContextOf(principal),
          hostClubId: args.hostClubId ?? principal.homeClubId ?? '',
          identification: { by: { case: 'visitCode', value: args.qrCode } },
        });
        return toVerification(response);
      },
      async verifyVisitor(
        _: unknown,
        args: {
          hostClubId?: string | null;
          card?: string | null;
          homeClubId?: string | null;
          memberNumber?: string | null;
          guestCount?: number | null;
          nights?: number | null;
        },
        context: Context,
      ) {
        if (!args.card && !args.memberNumber) {
          throw invalidInput('card', 'give card, or homeClubId and memberNumber');
        }
        const principal = await context.caller.requirePrincipal();
        const response = await visits.verifyVisitor({
          caller: callerContextOf(principal),
          hostClubId: args.hostClubId ?? principal.homeClubId ?? '',
          identification: identificationOf({ ...args, hostClubId: '' }),
          guestCount: args.guestCount ?? 0,
          nights: args.nights ?? 0,
        });
        return toVerification(response);
      },
    },
    Visit: {
      club: (visit: VisitModel, _: unknown, context: Context) => clubOf(visit.hostClubId, context),
      hostClub: (visit: VisitModel, _: unknown, context: Context) => clubOf(visit.hostClubId, context),
      memberClub: (visit: VisitModel, _: unknown, context: Context) => clubOf(visit.memberClubId, context),
    },
  };
}
