import { authorize, can, type Principal } from '@clubland/authz';
import { assertClubId } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import type { NotificationRow } from '../store/notification-queries.ts';
import { createRecipientQueries } from '../store/recipient-queries.ts';
import { createTemplateQueries } from '../store/template-queries.ts';
import { createNotifications } from './create-notifications.ts';
import {
  CHANNELS,
  type Channel,
  type NotificationDeps,
  PRIORITIES,
  type Priority,
  type UseCaseContext,
} from './deps.ts';
import { idOf, signedIn } from './inbox.ts';

/** What a club's staff write: the contract's SendNotificationInput without its recipient. */
export interface DraftInput {
  channel: string;
  priority: string;
  title: string;
  body: string;
  templateId: string;
  templateDataJson: string;
  scheduledFor: Date | null;
  expiresAt: Date | null;
}

const MAX_BULK = 10_000;

/**
 * A club's staff (notification:send there) write to members of their own club, and nobody else:
 * every recipient must hold a member record at the club (this service's read model of
 * member.created / member.status_changed), else FORBIDDEN and nothing is sent. Without a club named,
 * the club is the first of the caller's where every recipient is a member.
 */
export async function sendNotifications(
  deps: NotificationDeps,
  context: UseCaseContext,
  input: { clubId: string; userIds: readonly string[]; draft: DraftInput },
): Promise<NotificationRow[]> {
  const principal = signedIn(context.principal);
  if (input.userIds.length === 0) throw invalidInput('userIds', 'name at least one recipient');
  if (input.userIds.length > MAX_BULK) throw invalidInput('userIds', `at most ${MAX_BULK} recipients a send`);
  const userIds = [...new Set(input.userIds.map((id) => idOf(id, 'userId')))];
  const draft = validDraft(input.draft, context.clock());
  const candidates = clubsToSendFrom(principal, input.clubId);
  const clubId = await deps.db.transaction(async (tx) => {
    const recipients = createRecipientQueries(tx);
    for (const candidate of candidates) {
      const members = await recipients.membersAmong(candidate, userIds);
      if (members.size === userIds.length) return candidate;
    }
    return null;
  });
  if (clubId === null)
    throw new ClubError('request.forbidden', 'a club sends notifications to its own members only');
  if (draft.templateId) {
    const templateId = draft.templateId;
    const found = await deps.db.readAtOnce(clubId, (tx) => createTemplateQueries(tx).find(templateId));
    if (!found) throw notFound('notificationTemplate', templateId);
  }
  return deps.db.transaction(async (tx) => {
    return createNotifications(
      tx,
      deps,
      context,
      userIds.map((userId) => ({
        clubId,
        userId,
        type: 'announcement',
        category: 'announcements',
        title: draft.title,
        body: draft.body,
        priority: draft.priority,
        // Every notice shows in the app; the channel asked for carries it as well.
        channels: draft.channel === 'IN_APP' ? ['IN_APP'] : ['IN_APP', draft.channel],
        sourceEventId: null,
        sentBy: principal.userId,
        templateId: draft.templateId,
        templateData: draft.templateData,
        scheduledFor: draft.scheduledFor,
        expiresAt: draft.expiresAt,
      })),
    );
  });
}

/** The clubs a send may come from: the one named (checked), else every club where the caller may send. */
function clubsToSendFrom(principal: Principal, requested: string): string[] {
  if (requested !== '') {
    const clubId = assertClubId(requested);
    authorize(principal, 'notification:send', clubId);
    return [clubId];
  }
  const clubs = new Set<string>();
  if (principal.homeClubId && can(principal, 'notification:send', principal.homeClubId))
    clubs.add(principal.homeClubId);
  for (const grant of principal.grants)
    if (grant.clubId && can(principal, 'notification:send', grant.clubId)) clubs.add(grant.clubId);
  if (clubs.size === 0) authorize(principal, 'notification:send', principal.homeClubId ?? null);
  return [...clubs];
}

interface ValidDraft {
  channel: Channel;
  priority: Priority;
  title: string;
  body: string;
  templateId: string | null;
  templateData: Record<string, unknown> | null;
  scheduledFor: Date | null;
  expiresAt: Date | null;
}

export function validDraft(draft: DraftInput, now: Date): ValidDraft {
  if (!(CHANNELS as readonly string[]).includes(draft.channel))
    throw invalidInput('channel', `channel must be one of ${CHANNELS.join(', ')}`);
  const priority = draft.priority === '' ? 'NORMAL' : draft.priority;
  if (!(PRIORITIES as readonly string[]).includes(priority))
    throw invalidInput('priority', `priority must be one of ${PRIORITIES.join(', ')}`);
  const title = draft.title.trim();
  if (title.length < 1 || title.length > 200) throw invalidInput('title', 'title must be 1-200 characters');
  const body = draft.body.trim();
  if (body.length < 1 || body.length > 5000) throw invalidInput('body', 'body must be 1-5000 characters');
  let templateData: Record<string, unknown> | null = null;
  if (draft.templateDataJson !== '') {
    try {
      const parsed: unknown = JSON.parse(draft.templateDataJson);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      templateData = parsed as Record<string, unknown>;
    } catch {
      throw invalidInput('templateData', 'templateData must be a JSON object');
    }
  }
  if (draft.expiresAt && draft.expiresAt <= now)
    throw invalidInput('expiresAt', 'expiresAt must be in the future');
  if (draft.scheduledFor && draft.expiresAt && draft.expiresAt <= draft.scheduledFor)
    throw invalidInput('expiresAt', 'expiresAt must be after scheduledFor');
  return {
    channel: draft.channel as Channel,
    priority: priority as Priority,
    title,
    body,
    templateId: draft.templateId === '' ? null : idOf(draft.templateId, 'templateId'),
    templateData,
    scheduledFor: draft.scheduledFor,
    expiresAt: draft.expiresAt,
  };
}
