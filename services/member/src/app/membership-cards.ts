import type { JsonWebKey } from 'node:crypto';
import { assertClubId } from '@clubland/db';
import { ClubError, notFound } from '@clubland/errors';
import {
  type CardCheck,
  generateCardKeyPair,
  signMembershipCard,
  verifyMembershipCard,
} from '../domain/membership-card.ts';
import { createCardKeyQueries } from '../store/card-key-queries.ts';
import { createMemberQueries } from '../store/member-queries.ts';
import { authorizeMemberRead, guardRead } from './access.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';

export interface IssuedCard {
  token: string;
  expiresAt: Date;
  keyId: string;
}

/**
 * Issues a membership card to an ACTIVE member: the member themself (their app) or staff of the
 * club. Valid for the configured minutes, never past the membership's expiry. The club's key pair
 * is created on first use.
 */
export async function issueMembershipCard(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  memberId: string,
): Promise<IssuedCard> {
  const reader = authorizeMemberRead(context.principal, clubId);
  const now = context.clock();
  const { member, key } = await deps.db.withTenant(clubId, async (tx) => {
    const found = await createMemberQueries(tx).findById(clubId, memberId);
    if (!found) throw notFound('member', memberId);
    guardRead(reader, found);
    const keys = createCardKeyQueries(tx);
    let current = await keys.current(clubId);
    if (!current) {
      await keys.insertUnlessPresent(clubId, generateCardKeyPair(context.newId()), now);
      current = await keys.current(clubId);
    }
    return { member: found, key: current! };
  });
  if (member.status !== 'ACTIVE') {
    throw new ClubError('member.not_active', `a ${member.status} member has no valid card`, {
      status: member.status,
    });
  }
  const ttlEnd = new Date(now.getTime() + deps.cardTtlSeconds * 1000);
  const expiresAt = member.expiresAt && member.expiresAt < ttlEnd ? member.expiresAt : ttlEnd;
  if (expiresAt <= now)
    throw new ClubError('member.not_active', 'the membership has expired', { status: 'EXPIRED' });
  const token = await signMembershipCard(
    { memberId: member.id, clubId, cardId: context.newId(), issuedAt: now, validUntil: expiresAt },
    key,
  );
  return { token, expiresAt, keyId: key.kid };
}

/** A club's public card keys: public by design, so any club can verify its cards offline. */
export async function cardSigningKeys(deps: MemberDeps, clubId: string): Promise<JsonWebKey[]> {
  const club = assertClubId(clubId);
  return deps.db.readAtOnce(club, (tx) => createCardKeyQueries(tx).publicKeys(club));
}

/**
 * Online verification at the front desk: the offline check (signature, expiry) and then that the
 * member is ACTIVE right now, which catches a suspension since the card was issued. Any signed-in
 * caller may ask; the answer holds ids and validity only.
 */
export async function checkMembershipCard(
  deps: MemberDeps,
  context: UseCaseContext,
  token: string,
): Promise<CardCheck> {
  if (!context.principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const offline = await verifyMembershipCard(token, (clubId) => safeKeys(deps, clubId), context.clock());
  if (!offline.ok) return offline;
  const status = await deps.db.withTenant(offline.clubId, async (tx) => {
    const member = await createMemberQueries(tx).findById(offline.clubId, offline.memberId);
    return member?.status ?? null;
  });
  return status === 'ACTIVE' ? offline : { ok: false, reason: 'not_active' };
}

async function safeKeys(deps: MemberDeps, clubId: string): Promise<JsonWebKey[]> {
  try {
    return await cardSigningKeys(deps, clubId);
  } catch {
    return []; // a card naming a malformed club id: no keys, so it fails as unknown_key
  }
}
