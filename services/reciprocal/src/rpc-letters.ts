import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { LETTER_STATUSES } from '@clubland/contract/events/reciprocal';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import {
  type Letter,
  type LetterChange,
  LetterChangeSchema,
  LetterSchema,
  LetterService,
} from '@clubland/contract/reciprocal/v1/letters';
import { invalidInput, isUuid, requireUuid } from '@clubland/errors';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { changeLetterStatus } from './app/change-letter-status.ts';
import type { ReciprocalDeps, UseCaseContext } from './app/deps.ts';
import {
  getLetters,
  type LetterView,
  listLetterChanges,
  listLetters,
  listMyLetters,
  verifyLetter,
} from './app/get-letters.ts';
import { DELIVERIES, issueLetter } from './app/issue-letter.ts';
import { reissueLetter } from './app/reissue-letter.ts';
import type { LetterDelivery, LetterStatus } from './domain/letter-lifecycle.ts';
import type { LetterChangeRow } from './store/letter-queries.ts';

const MAX_BATCH = 500;
const SIDES = ['HOST', 'HOME', 'BOTH'] as const;

/** LetterService: protobuf in, use case, protobuf out. No rules here. */
export function registerLetterRpc(
  router: ConnectRouter,
  deps: ReciprocalDeps,
  contextOf: (handler: HandlerContext, caller?: CallerContext) => UseCaseContext,
): void {
  router.service(LetterService, {
    async issueLetter(request, handler) {
      const context = contextOf(handler, request.caller);
      const issued = await issueLetter(deps, context, {
        homeClubId: requireUuid(request.homeClubId || (context.principal?.homeClubId ?? ''), 'homeClubId'),
        memberId: requireUuid(request.memberId, 'memberId'),
        hostClubId: requireUuid(request.hostClubId, 'hostClubId'),
        arrivesOn: request.arrivesOn,
        departsOn: request.departsOn,
        purpose: request.purpose,
        guestCount: request.guestCount,
        delivery: deliveryOf(request.delivery) ?? 'EMAIL',
      });
      return {
        letter: letterMessage({ ...issued.letter, ledgerTxId: issued.ledgerTxId }),
        code: issued.code ?? '',
      };
    },

    async approveLetter(request, handler) {
      return move(request.letterId, 'APPROVED', request.reason, contextOf(handler, request.caller));
    },
    async declineLetter(request, handler) {
      return move(request.letterId, 'DECLINED', request.reason, contextOf(handler, request.caller));
    },
    async revokeLetter(request, handler) {
      return move(request.letterId, 'REVOKED', request.reason, contextOf(handler, request.caller));
    },

    async reissueLetter(request, handler) {
      const issued = await reissueLetter(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.letterId, 'letterId'),
        {
          arrivesOn: request.arrivesOn || undefined,
          departsOn: request.departsOn || undefined,
          purpose: request.purpose || undefined,
          guestCount: request.guestCount,
          delivery: deliveryOf(request.delivery),
          reason: request.reason,
        },
      );
      return {
        letter: letterMessage({ ...issued.letter, ledgerTxId: issued.ledgerTxId }),
        code: issued.code ?? '',
      };
    },

    async getLetters(request, handler) {
      const ids = request.ids
        .slice(0, MAX_BATCH)
        .filter(isUuid)
        .map((id) => id.toLowerCase());
      const letters = await getLetters(deps, contextOf(handler, request.caller), ids);
      return { letters: letters.map(letterMessage) };
    },

    async verifyLetter(request, handler) {
      const result = await verifyLetter(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.letterId, 'letterId'),
      );
      return { ...result, letter: letterMessage(result.letter) };
    },

    async listLetters(request, handler) {
      const context = contextOf(handler, request.caller);
      const side = request.side === '' ? 'BOTH' : request.side;
      if (!(SIDES as readonly string[]).includes(side))
        throw invalidInput('side', 'side must be HOST, HOME or BOTH');
      const page = await listLetters(
        deps,
        context,
        requireUuid(request.clubId || (context.principal?.homeClubId ?? ''), 'clubId'),
        {
          side: side as (typeof SIDES)[number],
          status: statusOf(request.status),
          page: request.page,
          pageSize: request.pageSize,
        },
      );
      return { letters: page.letters.map(letterMessage), total: page.total };
    },

    async listMyLetters(request, handler) {
      const page = await listMyLetters(deps, contextOf(handler, request.caller), {
        status: statusOf(request.status),
        page: request.page,
        pageSize: request.pageSize,
      });
      return { letters: page.letters.map(letterMessage), total: page.total };
    },

    async listLetterChanges(request, handler) {
      const changes = await listLetterChanges(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.letterId, 'letterId'),
      );
      return { changes: changes.map(changeMessage) };
    },
  });

  async function move(
    letterId: string,
    to: 'APPROVED' | 'DECLINED' | 'REVOKED',
    reason: string,
    context: UseCaseContext,
  ) {
    const result = await changeLetterStatus(deps, context, requireUuid(letterId, 'letterId'), to, reason);
    return { letter: letterMessage({ ...result.letter, ledgerTxId: result.ledgerTxId }) };
  }
}

function deliveryOf(value: string): LetterDelivery | undefined {
  if (value === '') return undefined;
  if (!(DELIVERIES as readonly string[]).includes(value))
    throw invalidInput('delivery', `delivery must be one of ${DELIVERIES.join(', ')}`);
  return value as LetterDelivery;
}

function statusOf(value: string): LetterStatus | null {
  if (value === '') return null;
  if (!(LETTER_STATUSES as readonly string[]).includes(value))
    throw invalidInput('status', `status must be one of ${LETTER_STATUSES.join(', ')}`);
  return value as LetterStatus;
}

/** Output guard: only the fields the contract names leave the service (not the member's account id). */
export function letterMessage(letter: LetterView): Letter {
  return create(LetterSchema, {
    id: letter.id,
    homeClubId: letter.homeClubId,
    hostClubId: letter.hostClubId,
    memberId: letter.memberId,
    agreementId: letter.agreementId ?? '',
    arrivesOn: letter.arrivesOn,
    departsOn: letter.departsOn,
    purpose: letter.purpose,
    guestCount: letter.guestCount,
    delivery: letter.delivery,
    status: letter.status,
    replacesId: letter.replacesId ?? '',
    issuedBy: letter.issuedBy,
    decidedBy: letter.decidedBy ?? '',
    decidedAt: letter.decidedAt ? timestampFromDate(letter.decidedAt) : undefined,
    statusReason: letter.statusReason ?? '',
    usedAt: letter.usedAt ? timestampFromDate(letter.usedAt) : undefined,
    createdAt: timestampFromDate(letter.createdAt),
    updatedAt: timestampFromDate(letter.updatedAt),
    ledgerTxId: letter.ledgerTxId ?? '',
  });
}

function changeMessage(change: LetterChangeRow): LetterChange {
  return create(LetterChangeSchema, {
    id: change.id,
    letterId: change.letterId,
    fromStatus: change.fromStatus ?? '',
    toStatus: change.toStatus,
    reason: change.reason ?? '',
    changedBy: change.changedBy ?? '',
    changedAt: timestampFromDate(change.changedAt),
  });
}
