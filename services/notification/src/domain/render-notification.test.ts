import { describe, expect, it } from 'vitest';
import { CATALOGUE_LOCALES, DEFAULT_TEMPLATES, TEMPLATE_KEYS, type TemplateKey } from './catalogue.ts';
import { checkTemplateSource, type MessageValues } from './message-format.ts';
import { renderNotification, SMS_MAX_LENGTH, shorten } from './render-notification.ts';

const brand = {
  clubName: 'The Athenaeum',
  primaryColour: '#0b2545',
  logoUrl: 'https://athenaeum.example/l.png',
};

/** One realistic set of values per template, as event-rules.ts and the auth mails give them. */
const SAMPLES: Record<TemplateKey, MessageValues> = {
  'auth.verify-email': {
    firstName: 'Ada',
    link: 'https://app.example/verify?token=t',
    expiresAt: '2026-12-08T10:00:00Z',
  },
  'auth.reset-password': {
    firstName: 'Ada',
    link: 'https://app.example/reset?token=t',
    expiresAt: '2026-12-08T10:00:00Z',
  },
  'auth.club-invitation': {
    role: 'STAFF',
    link: 'https://app.example/invite?token=t',
    expiresAt: '2026-12-14T10:00:00Z',
  },
  'member.created': { memberNumber: 'A-0042', membershipType: 'Full' },
  'member.status_changed': { from: 'PENDING', to: 'ACTIVE', reason: 'Approved by the committee' },
  'user.role_granted': { role: 'CLUB_ADMIN' },
  'club.status_changed': { from: 'ACTIVE', to: 'SUSPENDED', reason: 'Unpaid network dues' },
  'booking.status_changed': {
    from: 'REQUESTED',
    to: 'CONFIRMED',
    facilityName: 'Court 1',
    startsAt: '2026-12-10T17:00:00Z',
    endsAt: '2026-12-10T18:00:00Z',
    guestCount: 2,
    reason: 'none',
  },
  'club_event.status_changed': {
    from: 'REGISTRATION_OPEN',
    to: 'CANCELLED',
    startsAt: '2026-12-24T19:00:00Z',
    reason: 'Storm warning',
    eventTitle: 'Christmas dinner',
  },
  'rsvp.status_changed': {
    from: 'WAITLISTED',
    to: 'CONFIRMED',
    response: 'YES',
    seats: 1,
    reason: 'none',
    eventTitle: 'Christmas dinner',
  },
  'proposal.status_changed': {
    to: 'VOTING_OPEN',
    title: 'One guest fee across the network',
    reason: 'none',
    votingEndsAt: '2026-12-22T12:00:00Z',
    yay: 0,
    nay: 0,
    abstain: 0,
  },
  'policy.changed': { name: 'Dress code', version: '2', effectiveDate: '2027-01-01T00:00:00Z' },
  'agreement.status_changed': {
    from: 'DRAFT',
    to: 'PENDING',
    reason: 'none',
    startsOn: '2027-01-01',
    otherClubName: 'Reform Club',
  },
  'letter.status_changed': {
    from: 'PENDING',
    to: 'APPROVED',
    reason: 'none',
    arrivesOn: '2027-02-01',
    departsOn: '2027-02-05',
    otherClubName: 'Reform Club',
  },
  'visit.status_changed': {
    from: 'PLANNED',
    to: 'CHECKED_IN',
    reason: 'none',
    guestCount: 1,
    otherClubName: 'Reform Club',
  },
  'ledger.entry_status_changed': { entityKind: 'visit', error: 'peer unreachable' },
  digest: { count: 3 },
};

function render(key: TemplateKey, locale: string, values = SAMPLES[key]) {
  const result = renderNotification({ templateKey: key, locale, timeZone: 'Europe/Paris', values, brand });
  if (!result.ok) throw new Error(`${key}/${locale}: ${result.field} ${result.message}`);
  return result.value;
}

describe('the default catalogue', () => {
  it.each(TEMPLATE_KEYS)('%s parses in every locale, and every locale uses the same variables', (key) => {
    const variablesOf = (source: string) => {
      const checked = checkTemplateSource(source, null, key);
      if (!checked.ok) throw new Error(checked.message);
      return [...checked.value.variables].sort();
    };
    const [first, ...others] = CATALOGUE_LOCALES.map((locale) => {
      const template = DEFAULT_TEMPLATES[key][locale];
      return [template.title, template.body, template.action ?? ''].map(variablesOf);
    });
    for (const other of others) expect(other).toEqual(first);
  });

  it.each(TEMPLATE_KEYS.flatMap((key) => CATALOGUE_LOCALES.map((locale) => [key, locale] as const)))(
    '%s renders in %s with no placeholder left',
    (key, locale) => {
      const rendered = render(key, locale);
      for (const text of [rendered.title, rendered.body, rendered.email.html]) {
        expect(text).not.toMatch(/[{}]/);
        expect(text).not.toContain('undefined');
      }
    },
  );
});

describe('rendering a notification', () => {
  it('speaks English with times in the member zone', () => {
    const rendered = render('booking.status_changed', 'en-GB');
    expect(rendered.locale).toBe('en');
    expect(rendered.title).toBe('Booking confirmed: Court 1');
    expect(rendered.body.replace(/[\u202f\u00a0]/g, ' ')).toBe(
      'Court 1 is yours on Thursday, December 10, 2026, 6:00 PM to 7:00 PM, with 2 guests.',
    );
  });

  it('speaks French to a fr-CA reader', () => {
    const rendered = render('booking.status_changed', 'fr-CA');
    expect(rendered.locale).toBe('fr');
    expect(rendered.title).toBe('Réservation confirmée : Court 1');
    expect(rendered.body).toBe(
      'Court 1 vous est réservé le jeudi 10 décembre 2026, de 18:00 à 19:00, avec 2 invités.',
    );
  });

  it('falls back to a neutral phrase when a lookup could not be made', () => {
    const { eventTitle: _, ...withoutTitle } = SAMPLES['rsvp.status_changed'];
    expect(render('rsvp.status_changed', 'en', withoutTitle).title).toBe('You are in: your event');
    expect(render('rsvp.status_changed', 'fr', withoutTitle).title).toBe('C’est confirmé : votre événement');
  });

  it('leaves out a reason that was not given, and shows one that was', () => {
    const suspended = { from: 'ACTIVE', to: 'SUSPENDED' };
    expect(render('member.status_changed', 'en', { ...suspended, reason: 'none' }).body).toBe(
      'Your membership was suspended.',
    );
    expect(render('member.status_changed', 'fr', { ...suspended, reason: 'Cotisation impayée' }).body).toBe(
      'Votre adhésion a été suspendue. Motif : Cotisation impayée',
    );
  });

  it('uses the club name from its branding, escaped in the HTML', () => {
    const result = renderNotification({
      templateKey: 'member.created',
      locale: 'en',
      timeZone: 'UTC',
      values: SAMPLES['member.created'],
      brand: { clubName: '<Club & "Co">' },
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.title).toBe('Welcome to <Club & "Co">');
    expect(result.value.email.html).toContain('Welcome to &lt;Club &amp; &quot;Co&quot;&gt;');
    expect(result.value.email.html).not.toContain('<Club');
  });

  it('adds the button only with a URL, and the unsubscribe link when given', () => {
    const result = renderNotification({
      templateKey: 'booking.status_changed',
      locale: 'en',
      timeZone: 'UTC',
      values: SAMPLES['booking.status_changed'],
      brand,
      actionUrl: 'https://app.example/bookings/1',
      unsubscribeUrl: 'https://api.example/notifications/unsubscribe?token=x',
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.email.text).toContain('View my bookings: https://app.example/bookings/1');
    expect(result.value.email.html).toContain('href="https://api.example/notifications/unsubscribe?token=x"');
    expect(render('booking.status_changed', 'en').email.text).not.toContain('View my bookings');
  });

  it('renders a club template in place of the default, refusing a missing variable', () => {
    const override = { title: 'Court news', body: 'See you on court, {memberName}.' };
    const base = {
      templateKey: 'booking.status_changed' as const,
      locale: 'en',
      timeZone: 'UTC',
      brand,
      override,
    };
    expect(renderNotification({ ...base, values: { memberName: 'Ada' } })).toMatchObject({
      ok: true,
      value: { title: 'Court news', body: 'See you on court, Ada.' },
    });
    expect(renderNotification({ ...base, values: {} })).toMatchObject({
      ok: false,
      field: 'booking.status_changed.body.memberName',
    });
  });

  it('gives an SMS within three segments and a one-line push body', () => {
    const long = render('club.status_changed', 'en', {
      ...SAMPLES['club.status_changed'],
      reason: 'x '.repeat(400),
    });
    expect([...long.sms].length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
    expect(long.sms.endsWith('…')).toBe(true);
    expect(long.push.body).not.toContain('\n');
    expect(
      render('auth.verify-email', 'en').sms.startsWith(
        'The Athenaeum: Confirm your Clubland email address. Hello Ada,',
      ),
    ).toBe(true);
  });

  it('shortens by code points, never splitting an emoji', () => {
    expect(shorten('ab🎾cd', 4)).toBe('ab🎾…');
    expect(shorten('abc', 3)).toBe('abc');
  });
});
