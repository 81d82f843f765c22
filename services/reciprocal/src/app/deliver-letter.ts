import type { LetterRow } from '../store/letter-queries.ts';
import type { ClubFact, MemberFact, ReciprocalDeps } from './deps.ts';

/**
 * For QR_CODE (and ALL) delivery: what the member's app shows as a QR code at the host's desk. It
 * names the letter and nothing else; the desk still identifies the member (card or number) and
 * the letter counts only once the host has approved it.
 */
export function letterCode(letter: LetterRow): string | null {
  return letter.delivery === 'QR_CODE' || letter.delivery === 'ALL' ? `clubland:loi:${letter.id}` : null;
}

/**
 * Sends a newly issued letter to the member by email (EMAIL, ALL) through the notification port;
 * QR_CODE and API send nothing (the code comes back in the answer; API callers read the letter).
 * Called after the letter committed: a failure to send is logged and does not undo the letter,
 * which stands and can be read (myLettersOfIntroduction) or reissued.
 */
export async function deliverLetter(
  deps: ReciprocalDeps,
  letter: LetterRow,
  member: MemberFact,
  clubs: ReadonlyMap<string, ClubFact>,
): Promise<void> {
  if (letter.delivery !== 'EMAIL' && letter.delivery !== 'ALL') return;
  if (member.email === '') {
    deps.log.warn(
      { letterId: letter.id },
      'letter of introduction not emailed: the member has no email address',
    );
    return;
  }
  const host = clubs.get(letter.hostClubId)?.name ?? 'the host club';
  const home = clubs.get(letter.homeClubId)?.name ?? 'your club';
  try {
    await deps.notifier.send({
      to: member.email,
      channel: 'email',
      template: 'reciprocal.letter-issued',
      subject: `Letter of introduction to ${host}`,
      text: [
        `Dear ${member.firstName},`,
        '',
        `${home} has issued a letter of introduction for your visit to ${host},`,
        `from ${letter.arrivesOn} to ${letter.departsOn}${letter.guestCount > 0 ? ` with ${letter.guestCount} guest(s)` : ''}.`,
        `Purpose: ${letter.purpose}`,
        '',
        `${host} reviews it before your visit; the letter counts at its desk once approved.`,
        `Reference: ${letter.id}`,
      ].join('\n'),
      data: {
        letterId: letter.id,
        homeClubName: home,
        hostClubName: host,
        arrivesOn: letter.arrivesOn,
        departsOn: letter.departsOn,
        guestCount: letter.guestCount,
        status: letter.status,
        code: letterCode(letter),
      },
    });
  } catch (error) {
    deps.log.error(
      { err: error, letterId: letter.id },
      'letter of introduction not emailed; the letter stands',
    );
  }
}
