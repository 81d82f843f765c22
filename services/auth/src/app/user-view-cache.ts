import type { AuthDeps } from './deps.ts';
import type { UserView } from './user-view.ts';

/**
 * The caller's own view (`me`, asked on every app screen) from the cache, so the hot path reads no
 * database. Every use case that changes what a view shows refreshes or forgets it after its commit;
 * the TTL bounds what a missed path could leave stale (lastLoginAt is the one field left to it).
 */
const TTL_SECONDS = 30;

export function userViewKey(userId: string): string {
  return `auth:user-view:${userId}`;
}

export async function readCachedView(
  deps: Pick<AuthDeps, 'cache'>,
  userId: string,
): Promise<UserView | null> {
  const cached = await deps.cache.get(userViewKey(userId));
  if (cached === null) return null;
  const view = JSON.parse(cached) as UserView & {
    createdAt: string;
    updatedAt: string;
    lastLoginAt: string | null;
  };
  return {
    ...view,
    createdAt: new Date(view.createdAt),
    updatedAt: new Date(view.updatedAt),
    lastLoginAt: view.lastLoginAt === null ? null : new Date(view.lastLoginAt),
  };
}

/** Call after the commit that produced `view`. */
export async function rememberView(deps: Pick<AuthDeps, 'cache'>, view: UserView): Promise<void> {
  await deps.cache.set(userViewKey(view.id), JSON.stringify(view), TTL_SECONDS);
}

/** Call after the commit that changed these users. */
export async function forgetViews(deps: Pick<AuthDeps, 'cache'>, userIds: readonly string[]): Promise<void> {
  await Promise.all(userIds.map((id) => deps.cache.delete(userViewKey(id))));
}
