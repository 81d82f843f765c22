import type { Principal } from '@clubland/authz';
import type { LedgerReader } from '../ledger/ledger-port.ts';

/**
 * How a caller reads the ledger. Network admins read as the network (every payload); a club's
 * staff and admins read as their club, so the parties policy shows them the payloads of entries
 * their club is party to and nothing else; anyone else (a member, an anonymous verifier) reads as
 * no club at all, and sees entries and proofs but never a payload. When the caller works at several
 * clubs, the one party to the entry is used.
 */
export function readerFor(
  principal: Principal | null,
  parties: readonly (string | null)[] = [],
): LedgerReader {
  if (principal?.grants.some((grant) => grant.role === 'NETWORK_ADMIN' && grant.clubId === null))
    return { kind: 'network' };
  const clubs = (principal?.grants ?? [])
    .filter((grant) => (grant.role === 'STAFF' || grant.role === 'CLUB_ADMIN') && grant.clubId !== null)
    .map((grant) => grant.clubId as string);
  const party = clubs.find((clubId) => parties.includes(clubId));
  return { kind: 'club', clubId: party ?? clubs[0] ?? NO_CLUB };
}

/** A club id no club has: row-level security shows its transactions no party's rows. */
const NO_CLUB = '00000000-0000-0000-0000-000000000000';

export function isNetworkAdmin(principal: Principal | null): boolean {
  return readerFor(principal).kind === 'network';
}
