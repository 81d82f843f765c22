import { describe, expect, it } from 'vitest';
import { checkTemplateSource, formatMessage, pickLocale } from './message-format.ts';

const paris = { locale: 'en', timeZone: 'Europe/Paris' };

/** ICU versions differ on which space goes before AM/PM; the tests care about the time. */
function spaced<T extends { ok: boolean; value?: string }>(result: T): T {
  return result.value === undefined
    ? result
    : { ...result, value: result.value.replace(/[\u202f\u00a0]/g, ' ') };
}

describe('ICU messages', () => {
  it('formats plurals and selects in the locale', () => {
    const source =
      '{count, plural, =0 {no seats} one {# seat} other {# seats}} for {who, select, ADMIN {the admin} other {{who}}}';
    expect(formatMessage(source, { count: 1, who: 'Ada' }, paris)).toEqual({
      ok: true,
      value: '1 seat for Ada',
    });
    expect(formatMessage(source, { count: 1200, who: 'ADMIN' }, paris)).toEqual({
      ok: true,
      value: '1,200 seats for the admin',
    });
    expect(
      formatMessage('{n, plural, one {# place} other {# places}}', { n: 1200 }, { ...paris, locale: 'fr' }),
    ).toEqual({ ok: true, value: '1\u202f200 places' });
  });

  it('shows dates and times in the reader zone, from ISO strings or Dates', () => {
    const at = '2026-12-07T18:30:00Z';
    const source = '{at, date, medium} {at, time, short}';
    expect(spaced(formatMessage(source, { at }, paris))).toEqual({ ok: true, value: 'Dec 7, 2026 7:30 PM' });
    expect(
      formatMessage(source, { at: new Date(at) }, { locale: 'en', timeZone: 'America/New_York' }),
    ).toEqual({
      ok: true,
      value: 'Dec 7, 2026 1:30 PM',
    });
    expect(formatMessage('{at, time, ::HHmm}', { at }, { locale: 'fr', timeZone: 'Asia/Tokyo' })).toEqual({
      ok: true,
      value: '03:30',
    });
  });

  it('keeps a calendar date on its day whatever the reader zone', () => {
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) {
      expect(formatMessage('{on, date, long}', { on: '2026-12-10' }, { locale: 'en', timeZone })).toEqual({
        ok: true,
        value: 'December 10, 2026',
      });
    }
  });

  it('treats angle brackets as text', () => {
    expect(formatMessage('Hello <b>{name}</b>', { name: '<i>Ada</i>' }, paris)).toEqual({
      ok: true,
      value: 'Hello <b><i>Ada</i></b>',
    });
  });

  it('refuses a missing value, a bad date or a broken template, naming the field', () => {
    expect(formatMessage('Hi {name}', {}, { ...paris, field: 'input.templateData' })).toMatchObject({
      ok: false,
      code: 'request.invalid_input',
      field: 'input.templateData.name',
    });
    expect(formatMessage('{at, date}', { at: 'soon' }, paris)).toMatchObject({
      ok: false,
      field: 'template.at',
    });
    expect(formatMessage('Hi {name', { name: 'x' }, paris)).toMatchObject({ ok: false, field: 'template' });
  });

  it('checks an admin template: syntax, length, declared variables', () => {
    expect(
      checkTemplateSource(
        'Hi {name}, {n, plural, one {# seat} other {{n} seats at {club}}}',
        ['name', 'n', 'club'],
        'input.bodyTemplate',
      ),
    ).toEqual({
      ok: true,
      value: { variables: ['name', 'n', 'club'] },
    });
    expect(checkTemplateSource('Hi {name} {secret}', ['name'], 'input.bodyTemplate')).toMatchObject({
      ok: false,
      field: 'input.bodyTemplate',
      message: 'uses undeclared variables: secret',
    });
    expect(checkTemplateSource('Hi {name', null, 'input.bodyTemplate')).toMatchObject({ ok: false });
    expect(checkTemplateSource('x'.repeat(10_001), null, 'input.bodyTemplate')).toMatchObject({ ok: false });
  });

  it('picks the closest locale of those available', () => {
    const available = ['en', 'fr'];
    expect(pickLocale('fr-CA', available, 'en')).toBe('fr');
    expect(pickLocale('FR', available, 'en')).toBe('fr');
    expect(pickLocale('fr_BE', available, 'en')).toBe('fr');
    expect(pickLocale('de-DE', available, 'en')).toBe('en');
    expect(pickLocale('not a locale!', available, 'en')).toBe('en');
    expect(pickLocale(null, available, 'en')).toBe('en');
  });
});
