import type { Letter, LetterChange, LetterService } from '@clubland/contract/reciprocal/v1/letters';
import { invalidInput, isClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import { callerContextOf, type PaginationArg, pageInfoOf, pagingOf } from './members.ts';
import { optionalIso } from './timestamps.ts';

/**
 * Letters of introduction: GraphQL in, LetterService RPC out. The caller travels as a
 * CallerContext; the reciprocal service authorises every call again. Types follow
 * contract/graphql/letters.graphql (and its notes on drift from the mobile contract).
 */

type LetterClient = Client<typeof LetterService>;
interface Context {
  caller: Caller;
}

const DAY_MS = 86_400_000;

async function callerOf(context: Context) {
  return callerContextOf(await context.caller.requirePrincipal());
}

/** Output guard: exactly the fields the SDL declares (`history` has its own resolver). */
function toLoi(letter: Letter, code = '') {
  const arrives = Date.parse(`${letter.arrivesOn}T00:00:00Z`);
  const departs = Date.parse(`${letter.departsOn}T00:00:00Z`);
  return {
    id: letter.id,
    memberId: letter.memberId,
    homeClubId: letter.homeClubId,
    visitingClubId: letter.hostClubId,
    purpose: letter.purpose,
    requestedDate: new Date(arrives).toISOString(),
    issuedDate: optionalIso(letter.createdAt),
    expiryDate: new Date(departs + DAY_MS).toISOString(),
    durationDays: Math.round((departs - arrives) / DAY_MS) + 1,
    status: letter.status,
    blockchainTxId: letter.ledgerTxId || null,
    approvedBy: letter.decidedBy || null,
    approvedAt: optionalIso(letter.decidedAt),
    guestCount: letter.guestCount,
    arrivesOn: letter.arrivesOn,
    departsOn: letter.departsOn,
    delivery: letter.delivery,
    statusReason: letter.statusReason || null,
    replacesId: letter.replacesId || null,
    code: code || null,
  };
}
export type LoiModel = ReturnType<typeof toLoi>;

function toChange(change: LetterChange) {
  return {
    id: change.id,
    fromStatus: change.fromStatus || null,
    toStatus: change.toStatus,
    reason: change.reason || null,
    changedBy: change.changedBy || null,
    changedAt: optionalIso(change.changedAt),
  };
}

/** YYYY-MM-DD days from the contract's requestedDate and durationDays. */
function tripOf(requestedDate: Date, durationDays: number): { arrivesOn: string; departsOn: string } {
  if (!Number.isInteger(durationDays) || durationDays < 1 || durationDays > 90)
    throw invalidInput('input.durationDays', 'durationDays must be 1-90');
  const arrivesOn = requestedDate.toISOString().slice(0, 10);
  const first = Date.parse(`${arrivesOn}T00:00:00Z`);
  return { arrivesOn, departsOn: new Date(first + (durationDays - 1) * DAY_MS).toISOString().slice(0, 10) };
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

interface IssueArg {
  memberId: string;
  homeClubId?: string | null;
  visitingClubId: string;
  purpose: string;
  requestedDate: Date;
  durationDays: number;
  guestCount?: number | null;
  delivery?: string | null;
}

interface ReissueArg {
  requestedDate?: Date | null;
  durationDays?: number | null;
  purpose?: string | null;
  guestCount?: number | null;
  delivery?: string | null;
  reason?: string | null;
}

export function letterResolvers(clients: { letters: LetterClient }) {
  const { letters } = clients;

  function connection(page: number, pageSize: number, result: { letters: Letter[]; total: number }) {
    return {
      nodes: result.letters.map((letter) => toLoi(letter)),
      pageInfo: pageInfoOf(page, pageSize, result.total, page * pageSize < result.total),
    };
  }

  return {
    Query: {
      async loi(_root: unknown, args: { id: string }, context: Context) {
        const { letters: found } = await letters.getLetters({
          caller: await callerOf(context),
          ids: [args.id],
        });
        return found[0] ? toLoi(found[0]) : null;
      },
      async verifyLOI(_root: unknown, args: { id: string }, context: Context) {
        const result = await orNull(
          letters.verifyLetter({ caller: await callerOf(context), letterId: args.id }),
        );
        if (!result) return null;
        return {
          valid: result.valid,
          status: result.status,
          message: result.message,
          facilitiesPermitted: result.facilitiesPermitted,
          restrictions: result.restrictions,
        };
      },
      async lettersOfIntroduction(
        _root: unknown,
        args: {
          filter?: { clubId?: string | null; side?: string | null; status?: string | null } | null;
          pagination?: PaginationArg | null;
        },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await letters.listLetters({
          caller: await callerOf(context),
          clubId: args.filter?.clubId ?? '',
          side: args.filter?.side ?? '',
          status: args.filter?.status ?? '',
          page,
          pageSize,
        });
        return connection(page, pageSize, result);
      },
      async myLettersOfIntroduction(
        _root: unknown,
        args: { status?: string | null; pagination?: PaginationArg | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await letters.listMyLetters({
          caller: await callerOf(context),
          status: args.status ?? '',
          page,
          pageSize,
        });
        return connection(page, pageSize, result);
      },
    },
    Mutation: {
      async issueLOI(_root: unknown, { input }: { input: IssueArg }, context: Context) {
        const { letter, code } = await letters.issueLetter({
          caller: await callerOf(context),
          homeClubId: input.homeClubId ?? '',
          memberId: input.memberId,
          hostClubId: input.visitingClubId,
          ...tripOf(input.requestedDate, input.durationDays),
          purpose: input.purpose,
          guestCount: input.guestCount ?? 0,
          delivery: input.delivery ?? '',
        });
        return toLoi(letter!, code);
      },
      async approveLOI(_root: unknown, args: { id: string }, context: Context) {
        const { letter } = await letters.approveLetter({
          caller: await callerOf(context),
          letterId: args.id,
        });
        return toLoi(letter!);
      },
      async declineLOI(_root: unknown, args: { id: string; reason: string }, context: Context) {
        const { letter } = await letters.declineLetter({
          caller: await callerOf(context),
          letterId: args.id,
          reason: args.reason,
        });
        return toLoi(letter!);
      },
      async revokeLOI(_root: unknown, args: { id: string; reason?: string | null }, context: Context) {
        const { letter } = await letters.revokeLetter({
          caller: await callerOf(context),
          letterId: args.id,
          reason: args.reason ?? '',
        });
        return toLoi(letter!);
      },
      async reissueLOI(_root: unknown, args: { id: string; input: ReissueArg }, context: Context) {
        const { input } = args;
        const caller = await callerOf(context);
        let dates = { arrivesOn: '', departsOn: '' };
        if (input.requestedDate || input.durationDays) {
          // One of the two given: the other is the old letter's.
          const { letters: found } = await letters.getLetters({ caller, ids: [args.id] });
          const old = found[0] ? toLoi(found[0]) : null;
          const start = input.requestedDate ?? (old ? new Date(old.requestedDate) : new Date(Number.NaN));
          if (Number.isNaN(start.getTime())) throw invalidInput('id', 'no letter you may see has this id');
          dates = tripOf(start, input.durationDays ?? old?.durationDays ?? 1);
        }
        const { letter, code } = await letters.reissueLetter({
          caller,
          letterId: args.id,
          ...dates,
          purpose: input.purpose ?? '',
          guestCount: input.guestCount ?? undefined,
          delivery: input.delivery ?? '',
          reason: input.reason ?? '',
        });
        return toLoi(letter!, code);
      },
    },
    LOI: {
      async history(parent: LoiModel, _args: unknown, context: Context) {
        const { changes } = await letters.listLetterChanges({
          caller: await callerOf(context),
          letterId: parent.id,
        });
        return changes.map(toChange);
      },
    },
  };
}
