import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createReplayGuard,
  newWebhookSecret,
  secretKey,
  signWebhook,
  verifyWebhook,
} from './webhook-signature.ts';

// The example of the Standard Webhooks specification (its reference libraries' tests use it too).
const specSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const specId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const specBody = '{"test": 2432232314}';
const specTimestamp = 1614265330;

describe('webhook signatures (Standard Webhooks)', () => {
  it('signs the specification example as the specification does', () => {
    const headers = signWebhook({
      id: specId,
      at: new Date(specTimestamp * 1000),
      body: specBody,
      secret: specSecret,
    });
    expect(headers).toEqual({
      'webhook-id': specId,
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('computes the HMAC over id.timestamp.body with the decoded secret', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook({ id: 'm1', at: new Date(10_000), body: 'hello', secret });
    const expected = createHmac('sha256', secretKey(secret)!).update('m1.10.hello').digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  const now = new Date('2030-06-01T12:00:00Z');
  const secret = newWebhookSecret();
  const signed = (at: Date, body = '{"type":"member.created"}') => ({
    headers: signWebhook({ id: 'msg_1', at, body, secret }),
    body,
  });

  it('accepts a fresh call signed with the secret', () => {
    const call = signed(now);
    expect(verifyWebhook({ ...call, secret, now })).toEqual({ ok: true, id: 'msg_1', timestamp: now });
  });

  it('accepts headers in any case, as arrays, or as fetch Headers', () => {
    const call = signed(now);
    const upper = Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(verifyWebhook({ headers: upper, body: call.body, secret, now }).ok).toBe(true);
    expect(
      verifyWebhook({ headers: new Headers({ ...call.headers }), body: call.body, secret, now }).ok,
    ).toBe(true);
  });

  it('refuses a replay older than the window, and a timestamp too far ahead', () => {
    const old = signed(new Date(now.getTime() - 301_000));
    expect(verifyWebhook({ ...old, secret, now })).toEqual({ ok: false, reason: 'too_old' });
    expect(verifyWebhook({ ...old, secret, now, toleranceSeconds: 600 }).ok).toBe(true);
    const ahead = signed(new Date(now.getTime() + 301_000));
    expect(verifyWebhook({ ...ahead, secret, now })).toEqual({ ok: false, reason: 'too_new' });
  });

  it('refuses a refreshed timestamp, a changed body, another secret or a missing header', () => {
    const call = signed(new Date(now.getTime() - 3_600_000));
    const refreshed = { ...call.headers, 'webhook-timestamp': String(now.getTime() / 1000) };
    expect(verifyWebhook({ headers: refreshed, body: call.body, secret, now })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const fresh = signed(now);
    expect(verifyWebhook({ ...fresh, body: `${fresh.body} `, secret, now }).ok).toBe(false);
    expect(verifyWebhook({ ...fresh, secret: newWebhookSecret(), now }).ok).toBe(false);
    const { 'webhook-signature': _, ...unsigned } = fresh.headers;
    expect(verifyWebhook({ headers: unsigned, body: fresh.body, secret, now })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(
      verifyWebhook({
        headers: { ...fresh.headers, 'webhook-timestamp': '1e9' },
        body: fresh.body,
        secret,
        now,
      }),
    ).toEqual({ ok: false, reason: 'bad_timestamp' });
  });

  it('accepts any listed signature that matches one of the secrets being rotated', () => {
    const call = signed(now);
    const headers = { ...call.headers, 'webhook-signature': `v1,AAAA ${call.headers['webhook-signature']}` };
    expect(verifyWebhook({ headers, body: call.body, secret: [newWebhookSecret(), secret], now }).ok).toBe(
      true,
    );
  });

  it('with a replay guard, refuses the same message id a second time inside the window', () => {
    const guard = createReplayGuard();
    const call = signed(now);
    expect(verifyWebhook({ ...call, secret, now, replayGuard: guard }).ok).toBe(true);
    expect(verifyWebhook({ ...call, secret, now, replayGuard: guard })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    // A forged call with a bad signature is refused for its signature and does not burn a real id.
    const forged = { ...signed(now), headers: { ...signed(now).headers, 'webhook-id': 'msg_2' } };
    expect(verifyWebhook({ ...forged, secret, now, replayGuard: guard })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const real = { headers: signWebhook({ id: 'msg_2', at: now, body: 'x', secret }), body: 'x' };
    expect(verifyWebhook({ ...real, secret, now, replayGuard: guard }).ok).toBe(true);
    // A receiver that failed to process msg_2 forgets it, so the sender's retry gets through.
    guard.forget('msg_2');
    expect(verifyWebhook({ ...real, secret, now, replayGuard: guard }).ok).toBe(true);
  });

  it('forgets an id once its timestamp has left the window (the window alone refuses it then)', () => {
    const guard = createReplayGuard(60);
    const call = signed(now);
    expect(verifyWebhook({ ...call, secret, now, replayGuard: guard }).ok).toBe(true);
    const later = new Date(now.getTime() + 61_000);
    expect(guard.firstSight('msg_1', now, later)).toBe(true);
    expect(verifyWebhook({ ...call, secret, now: later, toleranceSeconds: 60, replayGuard: guard })).toEqual({
      ok: false,
      reason: 'too_old',
    });
  });

  it('refuses secrets that are not whsec_ base64', () => {
    expect(secretKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBeNull();
    expect(secretKey('whsec_short')).toBeNull();
    expect(() => signWebhook({ id: 'm', at: now, body: '', secret: 'nope' })).toThrow(TypeError);
  });
});
