import { describe, expect, it } from 'vitest';
import { checkClubTemplate, checkTemplateData, overriddenKey, overrideNames } from './club-templates.ts';
import { formatRichHtml } from './message-format.ts';
import { renderClubMessage, renderNotification } from './render-notification.ts';

const input = {
  name: 'Dues reminder',
  channel: 'EMAIL',
  bodyTemplate: 'Dear {firstName}, your dues of {amount, number} are due at {clubName}.',
  htmlTemplate: '<p>Dear <b>{firstName}</b>,</p><p>your dues of {amount, number} are due.</p>',
  variables: ['firstName', 'amount'],
};

describe('a club template', () => {
  it('is saved when it parses and uses only its declared variables (and clubName)', () => {
    expect(checkClubTemplate(null, input)).toEqual({
      ok: true,
      value: { ...input, channel: 'EMAIL', isActive: true },
    });
  });

  it('is refused with the field at fault', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '  ' }, 'input.name'],
      [{ channel: 'FAX' }, 'input.channel'],
      [{ variables: ['first name'] }, 'input.variables.0'],
      [{ variables: ['a', 'a'] }, 'input.variables'],
      [{ bodyTemplate: 'Dear {firstName' }, 'input.bodyTemplate'],
      [{ bodyTemplate: 'Dear {nickname}' }, 'input.bodyTemplate'],
      [{ htmlTemplate: '<script>x</script>' }, 'input.htmlTemplate'],
      [{ htmlTemplate: '<p>{secret}</p>' }, 'input.htmlTemplate'],
      [{ bodyTemplate: '' }, 'input.bodyTemplate'],
    ];
    for (const [change, field] of cases) {
      expect(checkClubTemplate(null, { ...input, ...change })).toMatchObject({ ok: false, field });
    }
  });

  it('is updated field by field, and an empty htmlTemplate clears it', () => {
    const saved = checkClubTemplate(null, input);
    if (!saved.ok) throw new Error(saved.message);
    const updated = checkClubTemplate(saved.value, {
      bodyTemplate: 'Hi {firstName}',
      htmlTemplate: '',
      isActive: false,
    });
    expect(updated).toMatchObject({
      ok: true,
      value: { name: 'Dues reminder', bodyTemplate: 'Hi {firstName}', htmlTemplate: null, isActive: false },
    });
    expect(checkClubTemplate(saved.value, { variables: ['amount'] })).toMatchObject({
      ok: false,
      field: 'input.bodyTemplate',
    });
  });

  it('takes the declared variables of its data, each a plain value', () => {
    expect(checkTemplateData({ firstName: 'Ada', amount: 120, extra: 'dropped' }, input.variables)).toEqual({
      ok: true,
      value: { firstName: 'Ada', amount: 120 },
    });
    expect(checkTemplateData({ firstName: { nested: 1 } }, input.variables)).toMatchObject({
      ok: false,
      field: 'input.templateData.firstName',
    });
    expect(checkTemplateData([1], input.variables)).toMatchObject({ ok: false, field: 'input.templateData' });
    expect(checkTemplateData(null, input.variables)).toEqual({ ok: true, value: {} });
  });

  it('overrides a catalogue text when named after its key', () => {
    expect(overrideNames('booking.status_changed', 'fr')).toEqual([
      'booking.status_changed.fr',
      'booking.status_changed',
    ]);
    expect(overriddenKey('booking.status_changed.fr')).toBe('booking.status_changed');
    expect(overriddenKey('digest')).toBe('digest');
    expect(overriddenKey('Dues reminder')).toBeNull();
  });
});

describe('rich HTML templates', () => {
  const options = { locale: 'en', timeZone: 'UTC' };

  it('makes the allowed tags elements and escapes literals and values', () => {
    expect(
      formatRichHtml(
        '<p>Fish & chips for <b>{name}</b>, {n, plural, one {# guest} other {# guests <i>& more</i>}}</p>',
        { name: '<img src=x onerror=alert(1)>', n: 3 },
        options,
      ),
    ).toEqual({
      ok: true,
      value:
        '<p>Fish &amp; chips for <b>&lt;img src=x onerror=alert(1)&gt;</b>, 3 guests <i>&amp; more</i></p>',
    });
  });

  it('refuses tags outside the list, and data named like a tag cannot replace it', () => {
    expect(formatRichHtml('<script>alert(1)</script>', {}, options)).toMatchObject({ ok: false });
    expect(formatRichHtml('<a>x</a>', {}, options)).toMatchObject({ ok: false });
    expect(formatRichHtml('<b>{x}</b>', { x: 'y', b: 'z' }, options)).toEqual({
      ok: true,
      value: '<b>y</b>',
    });
  });
});

describe('rendering with a club template', () => {
  const brand = { clubName: 'The Athenaeum' };

  it('renders an admin send from the template and its data, HTML body included', () => {
    const result = renderClubMessage({
      locale: 'en',
      timeZone: 'UTC',
      title: 'Dues <reminder>',
      body: 'unused',
      template: { bodyTemplate: input.bodyTemplate, htmlTemplate: input.htmlTemplate },
      values: { firstName: 'Ada & Co', amount: 1200 },
      brand,
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.body).toBe('Dear Ada & Co, your dues of 1,200 are due at The Athenaeum.');
    expect(result.value.email.html).toContain(
      '<p>Dear <b>Ada &amp; Co</b>,</p><p>your dues of 1,200 are due.</p>',
    );
    expect(result.value.email.html).toContain('Dues &lt;reminder&gt;');
    expect(result.value.email.text).toContain('Dear Ada & Co, your dues of 1,200 are due at The Athenaeum.');
  });

  it('renders an admin send without a template as their plain words, escaped', () => {
    const result = renderClubMessage({
      locale: 'fr',
      timeZone: 'UTC',
      title: 'Fermeture',
      body: 'La piscine ferme <demain>.',
      brand,
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.body).toBe('La piscine ferme <demain>.');
    expect(result.value.email.html).toContain('La piscine ferme &lt;demain&gt;.');
  });

  it('refuses an admin send whose data lacks a variable, naming it', () => {
    expect(
      renderClubMessage({
        locale: 'en',
        timeZone: 'UTC',
        title: 'x',
        body: 'x',
        template: { bodyTemplate: input.bodyTemplate, htmlTemplate: null },
        values: { firstName: 'Ada' },
        brand,
      }),
    ).toMatchObject({ ok: false, field: 'input.templateData.amount' });
  });

  it('uses a club override of a catalogue text, keeping the default title', () => {
    const result = renderNotification({
      templateKey: 'member.created',
      locale: 'en',
      timeZone: 'UTC',
      values: { memberNumber: 'A-1', membershipType: 'Full' },
      brand,
      override: { body: 'Number {memberNumber}: see you at the bar.', html: '<p><b>{memberNumber}</b></p>' },
    });
    expect(result).toMatchObject({
      ok: true,
      value: { title: 'Welcome to The Athenaeum', body: 'Number A-1: see you at the bar.' },
    });
    if (result.ok) expect(result.value.email.html).toContain('<p><b>A-1</b></p>');
  });
});
