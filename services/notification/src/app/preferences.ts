import { authorize } from '@clubland/authz';
import { invalidInput, notFound } from '@clubland/errors';
import {
  createPreferenceQueries,
  DEFAULT_PREFERENCES,
  type PreferenceRow,
} from '../store/preference-queries.ts';
import { createRecipientQueries } from '../store/recipient-queries.ts';
import type { NotificationDeps, UseCaseContext } from './deps.ts';
import { idOf, signedIn } from './inbox.ts';

export interface PreferenceInput {
  emailEnabled?: boolean | undefined;
  smsEnabled?: boolean | undefined;
  pushEnabled?: boolean | undefined;
  inAppEnabled?: boolean | undefined;
  quietHoursEnabled?: boolean | undefined;
  quietHoursStart?: string | undefined;
  quietHoursEnd?: string | undefined;
  digestEnabled?: boolean | undefined;
  digestFrequency?: string | undefined;
  timezone?: string | undefined;
}

const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A person's preferences as they stand (the defaults until they change one), never stored by reading. */
function defaultsFor(userId: string, clubId: string | null, now: Date): PreferenceRow {
  return { id: userId, userId, clubId, ...DEFAULT_PREFERENCES, createdAt: now, updatedAt: now };
}

/**
 * The caller's own preferences, or (userId named) a member's as their club's staff see them:
 * notification:send at the person's home club.
 */
export async function getPreferences(
  deps: NotificationDeps,
  context: UseCaseContext,
  userId: string,
): Promise<PreferenceRow> {
  const principal = signedIn(context.principal);
  const target = userId === '' ? principal.userId : idOf(userId, 'userId');
  return deps.db.transaction(async (tx) => {
    const homeClubId = await createRecipientQueries(tx).homeClubOf(target);
    if (target !== principal.userId) {
      if (!homeClubId) throw notFound('notificationPreference', target);
      authorize(principal, 'notification:send', homeClubId);
    }
    const row = await createPreferenceQueries(tx).of(target);
    return row ?? defaultsFor(target, homeClubId ?? principal.homeClubId ?? null, context.clock());
  });
}

export async function updatePreferences(
  deps: NotificationDeps,
  context: UseCaseContext,
  input: PreferenceInput,
): Promise<PreferenceRow> {
  const principal = signedIn(context.principal);
  for (const field of ['quietHoursStart', 'quietHoursEnd'] as const) {
    const value = input[field];
    if (value !== undefined && value !== '' && !HH_MM.test(value))
      throw invalidInput(field, `${field} must be HH:MM`);
  }
  if (
    input.digestFrequency !== undefined &&
    input.digestFrequency !== '' &&
    !['DAILY', 'WEEKLY'].includes(input.digestFrequency)
  )
    throw invalidInput('digestFrequency', 'digestFrequency must be DAILY or WEEKLY');
  if (input.timezone !== undefined && !isTimeZone(input.timezone))
    throw invalidInput('timezone', 'timezone must be an IANA time zone');
  return deps.db.transaction(async (tx) => {
    const preferences = createPreferenceQueries(tx);
    const now = context.clock();
    const current = (await preferences.of(principal.userId)) ?? {
      ...defaultsFor(principal.userId, principal.homeClubId ?? null, now),
      id: context.newId(),
    };
    const blankToNull = (value: string | undefined, was: string | null) =>
      value === undefined ? was : value === '' ? null : value;
    const next: PreferenceRow = {
      ...current,
      emailEnabled: input.emailEnabled ?? current.emailEnabled,
      smsEnabled: input.smsEnabled ?? current.smsEnabled,
      pushEnabled: input.pushEnabled ?? current.pushEnabled,
      inAppEnabled: input.inAppEnabled ?? current.inAppEnabled,
      quietHoursEnabled: input.quietHoursEnabled ?? current.quietHoursEnabled,
      quietHoursStart: blankToNull(input.quietHoursStart, current.quietHoursStart),
      quietHoursEnd: blankToNull(input.quietHoursEnd, current.quietHoursEnd),
      digestEnabled: input.digestEnabled ?? current.digestEnabled,
      digestFrequency: blankToNull(input.digestFrequency, current.digestFrequency),
      timezone: input.timezone ?? current.timezone,
      updatedAt: now,
    };
    if ((next.quietHoursStart === null) !== (next.quietHoursEnd === null))
      throw invalidInput('quietHoursEnd', 'quietHoursStart and quietHoursEnd are set together');
    if (next.quietHoursEnabled && next.quietHoursStart === null)
      throw invalidInput('quietHoursStart', 'quiet hours need quietHoursStart and quietHoursEnd');
    return preferences.upsert(next);
  });
}
