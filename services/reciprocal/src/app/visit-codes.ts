import { authorize } from '@clubland/authz';
import { ClubError } from '@clubland/errors';
import {
  DEFAULT_VISIT_CODE_TTL_SECONDS,
  keyIdOf,
  signVisitCode,
  verifyVisitCode,
} from '../domain/visit-code.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';

export interface IssuedVisitCode {
  code: string;
  expiresAt: Date;
}

/**
 * A visit code for the signed-in member to show at `hostClubId`'s desk: their own ACTIVE record at
 * their home club, under an ACTIVE agreement with the host (the member service answers only then).
 * Short-lived (two minutes): the app asks again rather than a screenshot living on.
 */
export async function issueVisitCode(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  hostClubId: string,
): Promise<IssuedVisitCode> {
  const principal = context.principal;
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  // The member acting for themselves, as at a self check-in (check-in.ts authorizeDesk).
  authorize(principal, 'visit:request', principal.homeClubId);
  const hosts = await deps.clubs.describe([hostClubId]);
  const host = hosts.get(hostClubId);
  if (!host) throw new ClubError('club.not_found', `club ${hostClubId} was not found`, { id: hostClubId });
  const lookup = await deps.visitors.describe(principal, {
    hostClubId,
    identification: { by: 'self' },
    hostCity: host.city,
  });
  if (!lookup.found) {
    throw new ClubError('visit.visitor_unknown', 'you hold no member record at your home club', {
      reason: lookup.failure,
    });
  }
  if (!lookup.isAgreementActive) {
    throw new ClubError('visit.refused', 'your club has no active agreement with this club', {
      reasons: ['AGREEMENT_INACTIVE'],
    });
  }
  if (lookup.visitor.standing !== 'ACTIVE') {
    throw new ClubError('visit.refused', 'your membership is not active', { reasons: ['MEMBER_NOT_ACTIVE'] });
  }
  const now = context.clock();
  const expiresAt = new Date(
    now.getTime() + (deps.visitCodeTtlSeconds ?? DEFAULT_VISIT_CODE_TTL_SECONDS) * 1000,
  );
  const key = await deps.visitCodeKeys.current(now, context.newId);
  const code = await signVisitCode(
    {
      memberId: lookup.visitor.memberId,
      homeClubId: lookup.homeClubId,
      hostClubId,
      codeId: context.newId(),
      issuedAt: now,
      expiresAt,
    },
    key,
  );
  return { code, expiresAt };
}

/** Who a visit code names, for `hostClubId`'s desk; `visit.code_invalid` when it does not hold. */
export async function readVisitCode(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  code: string,
  hostClubId: string,
): Promise<{ memberId: string; homeClubId: string }> {
  const keys = await deps.visitCodeKeys.publicKeys(keyIdOf(code));
  const check = await verifyVisitCode(code, keys, context.clock());
  if (!check.ok) {
    throw new ClubError('visit.code_invalid', `the visit code is not valid (${check.reason})`, {
      reason: check.reason,
    });
  }
  if (check.hostClubId !== hostClubId) {
    throw new ClubError('visit.code_invalid', 'the visit code is for another club', { reason: 'other_host' });
  }
  return { memberId: check.memberId, homeClubId: check.homeClubId };
}
