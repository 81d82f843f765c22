import { z } from 'zod';
import { maskUrl, quote } from './mask.ts';

/**
 * Field helpers for environment schemas. Each takes the raw string (or undefined when unset) and
 * returns a typed value; a problem is reported as "must be ... (got "...")" so `loadConfig` can
 * prefix the variable name. A helper without a default makes the variable required; `.optional()`
 * makes it optional (unset → undefined). Empty strings count as unset (see `loadConfig`).
 */
export type EnvVar<T> = z.ZodType<T, string | undefined>;

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function envVar<T>(parse: (raw: string) => Parsed<T>, fallback: T | undefined): EnvVar<T> {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      if (raw === undefined) {
        if (fallback !== undefined) return fallback;
        ctx.issues.push({ code: 'custom', message: 'is required but not set', input: raw });
        return z.NEVER;
      }
      const parsed = parse(raw);
      if (parsed.ok) return parsed.value;
      ctx.issues.push({ code: 'custom', message: parsed.problem, input: raw });
      return z.NEVER;
    });
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (problem: string): Parsed<never> => ({ ok: false, problem });

export interface StringVarOptions {
  default?: string;
  minLength?: number;
  /** A secret's value is never echoed in an error. */
  secret?: boolean;
}

export function stringVar(options: StringVarOptions = {}): EnvVar<string> {
  const minLength = options.minLength ?? 1;
  return envVar((raw) => {
    if (raw.length >= minLength) return ok(raw);
    const got = options.secret ? `${raw.length} characters` : quote(raw);
    return fail(`must be at least ${minLength} characters long (got ${got})`);
  }, options.default);
}

export interface UrlVarOptions {
  /** Accepted schemes with their colon, as `URL.protocol` spells them: `['postgres:', 'postgresql:']`. */
  protocols: readonly string[];
  default?: string;
}

/** A URL with one of the given schemes. Errors show the value with any password masked. */
export function urlVar(options: UrlVarOptions): EnvVar<string> {
  const expected = options.protocols.map((p) => `${p}//`).join(' or ');
  return envVar((raw) => {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (url !== undefined && url.host !== '' && options.protocols.includes(url.protocol)) return ok(raw);
    return fail(`must be a ${expected} URL (got ${quote(maskUrl(raw))})`);
  }, options.default);
}

export interface IntVarOptions {
  min?: number;
  max?: number;
  default?: number;
}

export function intVar(options: IntVarOptions = {}): EnvVar<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  const range =
    options.min !== undefined && options.max !== undefined
      ? ` between ${min} and ${max}`
      : options.min !== undefined
        ? ` of at least ${min}`
        : options.max !== undefined
          ? ` of at most ${max}`
          : '';
  return envVar((raw) => {
    const value = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (Number.isSafeInteger(value) && value >= min && value <= max) return ok(value);
    return fail(`must be a whole number${range} (got ${quote(raw)})`);
  }, options.default);
}

/** A TCP port; 0 asks the OS for a free one (handy in tests). */
export function portVar(fallback?: number): EnvVar<number> {
  return envVar((raw) => {
    const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (Number.isInteger(value) && value >= 0 && value <= 65_535) return ok(value);
    return fail(`must be a port number between 0 and 65535 (got ${quote(raw)})`);
  }, fallback);
}

/** `true`/`false`/`1`/`0`, any case. Nothing else, so a typo like `ture` is not silently false. */
export function boolVar(fallback?: boolean): EnvVar<boolean> {
  return envVar((raw) => {
    const value = raw.trim().toLowerCase();
    if (value === 'true' || value === '1') return ok(true);
    if (value === 'false' || value === '0') return ok(false);
    return fail(`must be true, false, 1 or 0 (got ${quote(raw)})`);
  }, fallback);
}

export function enumVar<const T extends string>(values: readonly [T, ...T[]], fallback?: T): EnvVar<T> {
  return envVar((raw) => {
    const found = values.find((v) => v === raw.trim());
    if (found !== undefined) return ok(found);
    return fail(`must be one of ${values.join(', ')} (got ${quote(raw)})`);
  }, fallback);
}
