import { isClubError } from '@clubland/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, parseEnvelope } from './events.ts';

const clubCreated = defineEvent(
  'club.created',
  1,
  z.object({ clubId: z.uuid(), name: z.string().min(1), founded: z.coerce.number().int() }),
);
const clubId = '0190a5e4-2b6c-7d4e-8f00-1234567890ab';

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('defineEvent', () => {
  it('builds an envelope with a UUIDv7 id, the clock time and the parsed data', () => {
    const event = clubCreated.build(
      { tenantId: clubId, correlationId: 'corr-1', data: { clubId, name: 'Reform', founded: '1836' } },
      { clock: () => new Date('2025-01-02T03:04:05.678Z') },
    );
    expect(event).toMatchObject({
      type: 'club.created',
      version: 1,
      tenantId: clubId,
      correlationId: 'corr-1',
      occurredAt: '2025-01-02T03:04:05.678Z',
      data: { clubId, name: 'Reform', founded: 1836 },
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseEnvelope(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('takes ids from the given generator, and time-orders its own', () => {
    const data = { clubId, name: 'Reform', founded: 1836 };
    const fixed = clubCreated.build({ tenantId: null, correlationId: null, data }, { newId: () => clubId });
    expect(fixed.id).toBe(clubId);
    const ids = Array.from(
      { length: 100 },
      () => clubCreated.build({ tenantId: null, correlationId: null, data }).id,
    );
    expect([...ids].sort()).toEqual(ids);
  });

  it('refuses data its schema rejects, as an internal error (a bug in the publisher)', () => {
    const error = errorOf(() =>
      clubCreated.build({
        tenantId: clubId,
        correlationId: null,
        data: { clubId: 'nope', name: 'x', founded: 1 },
      }),
    );
    expect(isClubError(error) && error.code).toBe('internal');
  });

  it('parses a received envelope of its type, and rejects another type or bad data', () => {
    const event = clubCreated.build({
      tenantId: clubId,
      correlationId: null,
      data: { clubId, name: 'R', founded: 1 },
    });
    expect(clubCreated.parse(event).data.name).toBe('R');
    expect(clubCreated.is(event)).toBe(true);
    const other = { ...event, type: 'club.closed' };
    expect(clubCreated.is(other)).toBe(false);
    const wrongType = errorOf(() => clubCreated.parse(other));
    expect(isClubError(wrongType) && wrongType.details.field).toBe('type');
    const badData = errorOf(() => clubCreated.parse({ ...event, data: { ...event.data, name: '' } }));
    expect(isClubError(badData) && badData.code).toBe('request.invalid_input');
    expect(isClubError(badData) && badData.details.field).toBe('data.name');
  });

  it('rejects type names that are not dot-separated lower-case tokens', () => {
    expect(() => defineEvent('Club Created', 1, z.object({}))).toThrow();
    expect(() => defineEvent('club.*', 1, z.object({}))).toThrow();
  });
});

describe('parseEnvelope', () => {
  const valid = {
    id: '0190a5e4-2b6c-7d4e-8f00-1234567890ab',
    type: 'visit.checked_in',
    version: 2,
    tenantId: null,
    occurredAt: '2025-01-02T03:04:05.678Z',
    correlationId: null,
    data: { anything: true },
  };

  it('accepts a well-formed envelope', () => {
    expect(parseEnvelope(valid)).toEqual(valid);
  });

  it.each([
    ['id', { ...valid, id: 'not-a-uuid' }],
    ['type', { ...valid, type: 'nodots' }],
    ['version', { ...valid, version: 0 }],
    ['occurredAt', { ...valid, occurredAt: 'yesterday' }],
    ['tenantId', { ...valid, tenantId: undefined }],
  ])('names the bad field: %s', (field, message) => {
    const error = errorOf(() => parseEnvelope(message));
    expect(isClubError(error) && error.code).toBe('request.invalid_input');
    expect(isClubError(error) && error.details.field).toBe(`envelope.${field}`);
  });

  it('rejects what is not an object', () => {
    expect(() => parseEnvelope('{"id":1}')).toThrow();
    expect(() => parseEnvelope(null)).toThrow();
  });
});
