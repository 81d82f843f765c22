import type { Principal } from '@clubland/authz';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { createNotificationQueries, type NotificationRow } from '../store/notification-queries.ts';
import { type NotificationDeps, type NotificationStatus, STATUSES, type UseCaseContext } from './deps.ts';

/**
 * A person's own inbox. Every read and write is by the caller's account (user_id = theirs), in a
 * network transaction: one person hears from several clubs. Another person's notification is
 * NOT_FOUND exactly as an unknown id is.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function signedIn(principal: Principal | null): Principal {
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  return principal;
}

export function idOf(value: string, field = 'id'): string {
  if (!UUID.test(value)) throw invalidInput(field, `${field} must be a UUID`);
  return value.toLowerCase();
}

export interface PageInput {
  page: number;
  pageSize: number;
}

export function pageOf(input: PageInput, defaultSize = 20): { page: number; pageSize: number } {
  const page = input.page === 0 ? 1 : input.page;
  const pageSize = input.pageSize === 0 ? defaultSize : input.pageSize;
  if (!Number.isInteger(page) || page < 1 || page > 10_000)
    throw invalidInput('page', 'page must be 1-10000');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    throw invalidInput('pageSize', 'pageSize must be 1-100');
  return { page, pageSize };
}

export async function listNotifications(
  deps: NotificationDeps,
  context: UseCaseContext,
  input: PageInput & { unreadOnly: boolean; status: string },
): Promise<{ rows: NotificationRow[]; total: number; page: number; pageSize: number }> {
  const principal = signedIn(context.principal);
  const { page, pageSize } = pageOf(input);
  let status: NotificationStatus | null = null;
  if (input.status !== '') {
    if (!(STATUSES as readonly string[]).includes(input.status))
      throw invalidInput('status', `status must be one of ${STATUSES.join(', ')}`);
    status = input.status as NotificationStatus;
  }
  const result = await deps.db.transaction((tx) =>
    createNotificationQueries(tx).page(principal.userId, context.clock(), {
      unreadOnly: input.unreadOnly,
      status,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    }),
  );
  return { ...result, page, pageSize };
}

export async function getNotification(
  deps: NotificationDeps,
  context: UseCaseContext,
  id: string,
): Promise<NotificationRow> {
  const principal = signedIn(context.principal);
  const row = await deps.db.transaction((tx) =>
    createNotificationQueries(tx).findOwn(principal.userId, idOf(id)),
  );
  if (!row) throw notFound('notification', id);
  return row;
}

export async function countUnread(deps: NotificationDeps, context: UseCaseContext): Promise<number> {
  const principal = signedIn(context.principal);
  return deps.db.transaction((tx) =>
    createNotificationQueries(tx).countUnread(principal.userId, context.clock()),
  );
}

export async function listPending(
  deps: NotificationDeps,
  context: UseCaseContext,
  limit: number,
): Promise<NotificationRow[]> {
  const principal = signedIn(context.principal);
  const size = limit === 0 ? 10 : limit;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw invalidInput('limit', 'limit must be 1-100');
  return deps.db.transaction((tx) => createNotificationQueries(tx).pendingOf(principal.userId, size));
}

/** Marks one of the caller's notifications read; one still scheduled (not yet shown) is NOT_FOUND. */
export async function markNotificationRead(
  deps: NotificationDeps,
  context: UseCaseContext,
  id: string,
): Promise<NotificationRow> {
  const principal = signedIn(context.principal);
  const row = await deps.db.transaction((tx) =>
    createNotificationQueries(tx).markRead(principal.userId, idOf(id), context.clock()),
  );
  if (!row) throw notFound('notification', id);
  return row;
}

export async function markAllNotificationsRead(
  deps: NotificationDeps,
  context: UseCaseContext,
): Promise<number> {
  const principal = signedIn(context.principal);
  return deps.db.transaction((tx) =>
    createNotificationQueries(tx).markAllRead(principal.userId, context.clock()),
  );
}
