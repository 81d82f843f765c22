import { describe, expect, it } from 'vitest';
import { smsNumberOf } from './sms-number.ts';

describe('smsNumberOf', () => {
  it('writes a number with its country code as E.164', () => {
    expect(smsNumberOf('+44 20 7946 0000')).toBe('+442079460000');
    expect(smsNumberOf(' +1 (212) 555-0100 ')).toBe('+12125550100');
    expect(smsNumberOf('+33 1.23.45.67.89')).toBe('+33123456789');
  });

  it('sends to no number whose country is not certain, nor to one too short or too long', () => {
    expect(smsNumberOf('020 7946 0000')).toBeNull();
    expect(smsNumberOf('+0 20 7946 0000')).toBeNull();
    expect(smsNumberOf('+44 20')).toBeNull();
    expect(smsNumberOf('+44 20 7946 0000 0000 00')).toBeNull();
    expect(smsNumberOf('')).toBeNull();
    expect(smsNumberOf(null)).toBeNull();
  });
});
