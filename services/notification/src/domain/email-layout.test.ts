import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIMARY_COLOUR, renderEmail } from './email-layout.ts';

const brand = {
  clubName: 'The Athenaeum',
  primaryColour: '#0b2545',
  accentColour: '#c9a227',
  logoUrl: 'https://athenaeum.example/logo.png',
  websiteUrl: 'https://athenaeum.example/',
};

const content = {
  locale: 'en',
  title: 'Your booking is confirmed',
  text: 'Hello Ada,\n\nTennis court 1 is yours.',
  action: { label: 'View booking', url: 'https://app.example/bookings/1' },
  unsubscribeUrl: 'https://api.example/unsubscribe?token=abc',
};

describe('the branded email layout', () => {
  it('puts the club branding, the message, the button and the unsubscribe link in the HTML', () => {
    const { subject, html } = renderEmail(content, brand);
    expect(subject).toBe('Your booking is confirmed');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('background:#0b2545');
    expect(html).toContain('background:#c9a227');
    expect(html).toContain('<img src="https://athenaeum.example/logo.png" alt="The Athenaeum"');
    expect(html).toContain('<h1 style="font-size:22px;margin:0 0 16px 0">Your booking is confirmed</h1>');
    expect(html).toContain('<p style="margin:0 0 16px 0">Tennis court 1 is yours.</p>');
    expect(html).toContain('href="https://app.example/bookings/1"');
    expect(html).toContain('href="https://api.example/unsubscribe?token=abc"');
  });

  it('gives a text part complete on its own', () => {
    const { text } = renderEmail(content, brand);
    expect(text).toBe(
      [
        'Your booking is confirmed',
        '',
        'Hello Ada,',
        '',
        'Tennis court 1 is yours.',
        '',
        'View booking: https://app.example/bookings/1',
        '',
        '--',
        'You receive this message as a member of The Athenaeum, through Clubland.',
        'Stop these messages: https://api.example/unsubscribe?token=abc',
        '',
      ].join('\n'),
    );
  });

  it('escapes a hostile club name, title and text, and drops unsafe URLs and colours', () => {
    const { html } = renderEmail(
      {
        locale: 'en" onload="x',
        title: '<img src=x onerror=alert(1)>',
        text: '</td><script>steal()</script>',
        action: { label: '<b>Go</b>', url: 'javascript:alert(1)' },
        unsubscribeUrl: 'data:text/html,<script>',
      },
      {
        clubName: '"><script>alert("club")</script>',
        primaryColour: 'red;background:url(https://evil.example)',
        accentColour: '#123',
        logoUrl: 'javascript:alert(2)',
      },
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('data:text');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('evil.example');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(&quot;club&quot;)&lt;/script&gt;');
    expect(html).toContain('<html lang="en&quot; onload=&quot;x">');
    expect(html).toContain(`background:${DEFAULT_PRIMARY_COLOUR}`);
    expect(html).not.toContain('<b>Go</b>');
  });

  it('keeps the subject on one line', () => {
    expect(renderEmail({ ...content, title: 'Hi\r\nBcc: victim@example.com' }, brand).subject).toBe(
      'Hi Bcc: victim@example.com',
    );
  });

  it('speaks the footer in French and leaves the unsubscribe link out when there is none', () => {
    const { text, html } = renderEmail({ ...content, locale: 'fr-CA', unsubscribeUrl: null }, brand);
    expect(text).toContain('Vous recevez ce message en tant que membre du club The Athenaeum, via Clubland.');
    expect(text).not.toContain('unsubscribe');
    expect(html).not.toContain('Ne plus recevoir');
  });
});
