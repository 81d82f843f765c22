import { invalidInput } from '@clubland/errors';
import type { PersonalChannel } from '../domain/notification.ts';
import { preferencesFromRow } from '../domain/preference-row.ts';
import { unsubscribe } from '../domain/preferences.ts';
import { type UnsubscribeClaims, verifyUnsubscribeToken } from '../domain/unsubscribe-token.ts';
import {
  createPreferenceQueries,
  DEFAULT_PREFERENCES,
  type PreferenceRow,
} from '../store/preference-queries.ts';
import type { NotificationDeps, UseCaseContext } from './deps.ts';

export interface UnsubscribeOutcome {
  category: UnsubscribeClaims['category'];
  channel: PersonalChannel;
  applied: boolean;
}

const ENABLED: Record<PersonalChannel, 'inAppEnabled' | 'emailEnabled' | 'smsEnabled' | 'pushEnabled'> = {
  IN_APP: 'inAppEnabled',
  EMAIL: 'emailEnabled',
  SMS: 'smsEnabled',
  PUSH: 'pushEnabled',
};

/**
 * An unsubscribe link followed, without signing in: the signed token (domain/unsubscribe-token.ts)
 * is the whole authority and names one person, one category (or ALL) and one channel. `apply`
 * false tells what the link would do (the confirmation page); true does it: the category muted on
 * that channel in the person's preferences (stored lower case, as the rows keep categories), or
 * the channel turned off for ALL. Following it twice changes nothing more. A token that is
 * tampered with, expired, signed for another purpose or naming SECURITY is refused before anything
 * is read, and changes nothing.
 */
export async function unsubscribeByToken(
  deps: Pick<NotificationDeps, 'db' | 'unsubscribe'>,
  context: Pick<UseCaseContext, 'clock' | 'newId'>,
  token: string,
  apply: boolean,
): Promise<UnsubscribeOutcome> {
  if (!deps.unsubscribe) throw invalidInput('token', 'unsubscribe links are not enabled here');
  const now = context.clock();
  const check = verifyUnsubscribeToken(token, { now, secrets: deps.unsubscribe.secrets });
  if (!check.ok) throw invalidInput('token', `the unsubscribe link is not valid (${check.reason})`);
  const { userId, category, channel } = check.claims;
  // SECURITY (mandatory) is refused by the rule itself, before any row is touched.
  const allowed = unsubscribe(preferencesFromRow(DEFAULT_PREFERENCES), category, channel);
  if (!allowed.ok) throw invalidInput('token', allowed.message);
  if (!apply) return { category, channel, applied: false };
  await deps.db.transaction(async (tx) => {
    const preferences = createPreferenceQueries(tx);
    const current: PreferenceRow = (await preferences.of(userId)) ?? {
      id: context.newId(),
      userId,
      clubId: check.claims.clubId,
      ...DEFAULT_PREFERENCES,
      createdAt: now,
      updatedAt: now,
    };
    const next: PreferenceRow = { ...current, updatedAt: now };
    if (category === 'ALL') {
      next[ENABLED[channel]] = false;
    } else {
      const name = category.toLowerCase();
      const muted = current.mutedCategories[channel] ?? [];
      next.mutedCategories = {
        ...current.mutedCategories,
        [channel]: muted.includes(name) ? muted : [...muted, name],
      };
    }
    await preferences.upsert(next);
  });
  return { category, channel, applied: true };
}
