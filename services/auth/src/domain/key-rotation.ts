/**
 * When signing keys change. A key signs for `rotationDays`; once retired it stays published until
 * every token it signed has expired: retirement + the access-token lifetime, plus a minute for
 * clocks that disagree between instances.
 */
const CLOCK_SKEW_SECONDS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

export function isRotationDue(createdAt: Date, now: Date, rotationDays: number): boolean {
  return now.getTime() - createdAt.getTime() >= rotationDays * DAY_MS;
}

export function verifiableUntil(retiredAt: Date, accessTokenTtlSeconds: number): Date {
  return new Date(retiredAt.getTime() + (accessTokenTtlSeconds + CLOCK_SKEW_SECONDS) * 1000);
}
