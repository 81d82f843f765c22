import type { BackoffLimiter } from '@clubland/cache';
import { ClubError } from '@clubland/errors';
import type { Logger } from '@clubland/log';
import { networkOf } from '../domain/address.ts';
import type { SignInThrottles } from './deps.ts';

/** Where a password attempt comes from, as the throttles see it. */
export interface SignInSource {
  /** accountKey() of the email tried, existing or not (the limits must not tell them apart). */
  account: string;
  ip: string;
  /** A known device of that account (known-devices.ts), or null. */
  deviceId: string | null;
}

/** An attempt the throttles let through; it counts as failed unless `succeeded` is called. */
export interface AdmittedAttempt {
  succeeded(): Promise<void>;
}

/**
 * Asks every throttle that applies to this source at once. A known device is held back only by
 * its own failures; any other source also by the account's failures from everywhere else and by
 * its network's failures across accounts. If one refuses, the others take their count back and
 * the longest wait is the answer.
 */
export async function admitSignInAttempt(
  throttles: SignInThrottles,
  source: SignInSource,
  log: Logger,
): Promise<AdmittedAttempt> {
  const network = networkOf(source.ip);
  const checks: [BackoffLimiter, string][] =
    source.deviceId === null
      ? [
          [throttles.perSource, `${source.account}:net:${network}`],
          [throttles.perAccount, source.account],
          [throttles.perAddress, network],
        ]
      : [[throttles.perSource, `${source.account}:device:${source.deviceId}`]];

  const outcomes = await Promise.allSettled(checks.map(([limiter, key]) => limiter.attempt(key)));
  const admitted = checks.filter((_, i) => outcomes[i]!.status === 'fulfilled');
  if (admitted.length < checks.length) {
    // Best effort: the same cache has just answered; a count that stays only errs on the safe side.
    await Promise.allSettled(admitted.map(([limiter, key]) => limiter.withdraw(key)));
    throw refusal(outcomes);
  }
  return {
    async succeeded() {
      const forgiven = await Promise.allSettled(admitted.map(([limiter, key]) => limiter.succeeded(key)));
      // The password was right: a cache that cannot take the count back must not turn that into a failure.
      for (const outcome of forgiven) {
        if (outcome.status === 'rejected')
          log.warn({ err: outcome.reason }, 'sign-in failure count not taken back');
      }
    },
  };
}

/** The refusal to report: a rate limit with the longest wait, or the cache's own failure. */
function refusal(outcomes: PromiseSettledResult<void>[]): unknown {
  const reasons = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
  const limited = reasons.filter(
    (reason): reason is ClubError => reason instanceof ClubError && reason.code === 'request.rate_limited',
  );
  if (limited.length < reasons.length)
    return reasons.find((reason) => !limited.includes(reason as ClubError));
  return limited.reduce((longest, next) =>
    (next.details.retryAfterSeconds ?? 0) > (longest.details.retryAfterSeconds ?? 0) ? next : longest,
  );
}
