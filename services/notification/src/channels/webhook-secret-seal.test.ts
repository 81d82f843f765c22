import { describe, expect, it } from 'vitest';
import { createWebhookSecretSeal } from './webhook-secret-seal.ts';

const OLD = 'old-notification-service-secret-0123456789abcdef';
const NEW = 'new-notification-service-secret-0123456789abcdef';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ENDPOINT = '0193a000-0000-7000-8000-000000000001';
const OTHER_ENDPOINT = '0193a000-0000-7000-8000-000000000002';

describe('webhook secrets at rest', () => {
  it('seals so that only the keys open it, differently each time, bound to its endpoint', () => {
    const seal = createWebhookSecretSeal([NEW]);
    const a = seal.seal(ENDPOINT, SECRET);
    const b = seal.seal(ENDPOINT, SECRET);
    expect(a).toMatch(/^sealed\.v1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('MfKQ9r8');
    expect(seal.open(ENDPOINT, a)).toBe(SECRET);
    // Moved to another endpoint's row, it does not open.
    expect(() => seal.open(OTHER_ENDPOINT, a)).toThrow(/opens with none/);
    // Nor under another service's keys.
    expect(() => createWebhookSecretSeal([OLD]).open(ENDPOINT, a)).toThrow(/opens with none/);
    // Altered, it does not open either: one character of the tag changed (to a character it is not).
    const at = a.length - 3;
    const altered = `${a.slice(0, at)}${a[at] === 'A' ? 'B' : 'A'}${a.slice(at + 1)}`;
    expect(altered).not.toBe(a);
    expect(() => seal.open(ENDPOINT, altered)).toThrow(/opens with none/);
  });

  it('opens what an earlier first key sealed after a rotation, and says it is due for re-sealing', () => {
    const before = createWebhookSecretSeal([OLD]);
    const sealed = before.seal(ENDPOINT, SECRET);
    expect(before.isCurrent(ENDPOINT, sealed)).toBe(true);
    const after = createWebhookSecretSeal([NEW, OLD]);
    expect(after.open(ENDPOINT, sealed)).toBe(SECRET);
    expect(after.isCurrent(ENDPOINT, sealed)).toBe(false);
    const resealed = after.seal(ENDPOINT, after.open(ENDPOINT, sealed));
    expect(after.isCurrent(ENDPOINT, resealed)).toBe(true);
    expect(createWebhookSecretSeal([NEW]).open(ENDPOINT, resealed)).toBe(SECRET);
  });

  it('reads a secret stored before sealing as it is, and marks it for sealing', () => {
    const seal = createWebhookSecretSeal([NEW]);
    expect(seal.open(ENDPOINT, SECRET)).toBe(SECRET);
    expect(seal.isCurrent(ENDPOINT, SECRET)).toBe(false);
  });
});
