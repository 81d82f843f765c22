/**
 * Why a session ended, as auth.sessions.revoked_reason records it, and what a client is told when
 * it presents a refresh token of that session. The refresh error names the reason (extensions.reason)
 * so an app can say what happened instead of guessing.
 */
export const SESSION_END_REASONS = [
  'logout',
  'token_reused',
  'password_reset',
  'account_disabled',
  'account_closed',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

const MESSAGES: Record<SessionEndReason, string> = {
  logout: 'this session was closed by signing out; sign in again',
  password_reset: 'this session was closed by a password reset; sign in with the new password',
  token_reused:
    'this session was closed because one of its refresh tokens was used twice (a sign of theft); sign in again',
  account_disabled:
    'this session was closed when an administrator suspended or deactivated the account; contact your club',
  account_closed: 'this session was closed because the account was closed when its member data was erased',
};

/** The message for a session closed for `reason`; a reason this build does not know reads plainly. */
export function sessionClosedMessage(reason: string): string {
  return (MESSAGES as Record<string, string | undefined>)[reason] ?? 'this session was closed; sign in again';
}
