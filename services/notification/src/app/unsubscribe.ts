import { invalidInput } from '@clubland/errors';
import { MANDATORY_CATEGORIES } from '../domain/notification.ts';
import { verifyUnsubscribeToken } from '../domain/unsubscribe-token.ts';
import {
  createPreferenceQueries,
  DEFAULT_PREFERENCES,
  type PreferenceRow,
} from '../store/preference-queries.ts';
import type { NotificationDeps, UseCaseContext } from './deps.ts';

/**
 * An email's unsubscribe link, followed without signing in (RFC 8058 one-click too): the signed,
 * single-purpose token names the person, the category and the channel. The category is muted on
 * that channel in their preferences (ALL: the channel turned off); following it twice changes
 * nothing more. A forged, expired or other-purpose token changes nothing.
 */
export async function unsubscribeByToken(
  deps: NotificationDeps,
  context: Pick<UseCaseContext, 'clock' | 'newId'>,
  token: string,
): Promise<{ category: string; channel: string }> {
  if (!deps.unsubscribeSecrets) throw invalidInput('token', 'unsubscribe links are not enabled here');
  const checked = verifyUnsubscribeToken(token, { now: context.clock(), secrets: deps.unsubscribeSecrets });
  if (!checked.ok) throw invalidInput('token', `the unsubscribe link is not valid (${checked.reason})`);
  const { userId, clubId, category, channel } = checked.claims;
  if (category !== 'ALL' && MANDATORY_CATEGORIES.has(category))
    throw invalidInput('token', `${category} messages cannot be unsubscribed from`);
  await deps.db.transaction(async (tx) => {
    const preferences = createPreferenceQueries(tx);
    const now = context.clock();
    const current: PreferenceRow = (await preferences.of(userId)) ?? {
      id: context.newId(),
      userId,
      clubId,
      ...DEFAULT_PREFERENCES,
      createdAt: now,
      updatedAt: now,
    };
    const next: PreferenceRow = { ...current, updatedAt: now };
    if (category === 'ALL') {
      if (channel === 'EMAIL') next.emailEnabled = false;
      if (channel === 'SMS') next.smsEnabled = false;
      if (channel === 'PUSH') next.pushEnabled = false;
      if (channel === 'IN_APP') next.inAppEnabled = false;
    } else {
      const muted = current.mutedCategories[channel] ?? [];
      next.mutedCategories = {
        ...current.mutedCategories,
        [channel]: muted.includes(category) ? muted : [...muted, category],
      };
    }
    await preferences.upsert(next);
  });
  return { category, channel };
}
