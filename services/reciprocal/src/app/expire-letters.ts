import { todayIn } from '../domain/letter-lifecycle.ts';
import { createLetterQueries, type LetterRow } from '../store/letter-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { recordLetterChange } from './letter-record.ts';

const BATCH = 200;

/**
 * The expiry job: every open letter (PENDING or APPROVED) whose last day has passed in its host's
 * calendar becomes EXPIRED, by the system (changedBy null), with its history, ledger entry and
 * event. Network transactions: the job acts for no club. Candidates are letters ending by today in
 * UTC (no host's today is later than UTC's tomorrow); each is then held to its host's time zone,
 * locked and re-read, so a check-in or revocation that got there first wins. Returns how many expired.
 */
export async function expireLetters(
  deps: ReciprocalDeps,
  world: Pick<UseCaseContext, 'clock' | 'newId'>,
): Promise<number> {
  const now = world.clock();
  const utcToday = now.toISOString().slice(0, 10);
  const context = { ...world, correlationId: null };
  let after: { departsOn: string; id: string } | null = null;
  let expired = 0;
  for (;;) {
    const candidates: LetterRow[] = await deps.db.transaction((tx) =>
      createLetterQueries(tx).findOpenEndingBy(utcToday, after, BATCH),
    );
    if (candidates.length === 0) return expired;
    const last = candidates[candidates.length - 1]!;
    after = { departsOn: last.departsOn, id: last.id };
    const hosts = await deps.clubs.describe(candidates.map((letter) => letter.hostClubId));
    const due = candidates.filter(
      (letter) => letter.departsOn < todayIn(hosts.get(letter.hostClubId)?.timezone ?? 'UTC', now),
    );
    if (due.length > 0) {
      expired += await deps.db.transaction(async (tx) => {
        const letters = createLetterQueries(tx);
        let moved = 0;
        for (const candidate of due) {
          const current = await letters.findById(candidate.id, { forUpdate: true });
          if (!current || (current.status !== 'PENDING' && current.status !== 'APPROVED')) continue;
          const letter = await letters.setStatus(current.id, {
            status: 'EXPIRED',
            statusReason: `its last day, ${current.departsOn}, has passed`,
            updatedAt: now,
          });
          await recordLetterChange(tx, context, letter, {
            from: current.status,
            reason: letter.statusReason,
            changedBy: null,
            actingClubId: letter.homeClubId,
          });
          moved += 1;
        }
        return moved;
      });
      deps.eventsWritten();
    }
    if (candidates.length < BATCH) return expired;
  }
}
