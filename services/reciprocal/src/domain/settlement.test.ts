import { describe, expect, it } from 'vitest';
import {
  checkAdjustment,
  checkDispute,
  disputableUntil,
  periodBounds,
  statementHash,
  statementTotals,
  visitLinesOf,
} from './settlement.ts';

const visit = (visitId: string, visitDate: string, homeClubShare: number) => ({
  visitId,
  agreementId: 'agreement',
  visitDate,
  homeClubId: 'A',
  hostClubId: 'B',
  homeClubShare,
  currency: 'GBP',
});

describe('settlement rules', () => {
  it('bounds a period by its calendar month, leap days included', () => {
    expect(periodBounds('2028-02')).toEqual({ startsOn: '2028-02-01', endsOn: '2028-02-29' });
    expect(periodBounds('2026-12')).toEqual({ startsOn: '2026-12-01', endsOn: '2026-12-31' });
    expect(() => periodBounds('2026-13')).toThrow(RangeError);
  });

  it('gives the same lines and hash whatever order the visits arrive in', () => {
    const visits = [
      visit('v3', '2026-03-09', 10),
      visit('v1', '2026-03-02', 20),
      visit('v2', '2026-03-09', 30),
    ];
    const lines = visitLinesOf(visits);
    expect(lines.map((line) => [line.lineNo, line.visitId])).toEqual([
      [1, 'v1'],
      [2, 'v2'],
      [3, 'v3'],
    ]);
    const hash = (list: typeof lines) =>
      statementHash({ period: '2026-03', clubA: 'A', clubB: 'B', lines: list });
    expect(hash(visitLinesOf([...visits].reverse()))).toBe(hash(lines));
    expect(hash(visitLinesOf([visits[0]!, visits[1]!, { ...visits[2]!, homeClubShare: 31 }]))).not.toBe(
      hash(lines),
    );
  });

  it('totals from one club’s side, per currency', () => {
    expect(
      statementTotals('A', [
        { payerClubId: 'A', amount: 100, currency: 'GBP' },
        { payerClubId: 'B', amount: 30, currency: 'GBP' },
        { payerClubId: 'A', amount: -20, currency: 'GBP' },
      ]),
    ).toEqual([{ currency: 'GBP', owedByClub: 80, owedToClub: 30, net: -50 }]);
  });

  it('closes the dispute window 14 days after issue, to the millisecond', () => {
    const issuedAt = new Date('2026-04-02T09:00:00Z');
    const until = disputableUntil(issuedAt);
    expect(checkDispute({ kind: 'VISIT' }, until, until)).toEqual({ ok: true });
    expect(checkDispute({ kind: 'VISIT' }, until, new Date(until.getTime() + 1))).toMatchObject({
      ok: false,
      code: 'settlement.dispute_window_closed',
    });
    expect(checkDispute({ kind: 'ADJUSTMENT' }, until, issuedAt)).toMatchObject({
      code: 'settlement.line_not_disputable',
    });
  });

  it('lets an adjustment give back at most what the line charged', () => {
    expect(checkAdjustment(1500, -1500)).toEqual({ ok: true });
    expect(checkAdjustment(1500, 0)).toEqual({ ok: true });
    expect(checkAdjustment(1500, -1501)).toMatchObject({ ok: false });
    expect(checkAdjustment(1500, 0.5)).toMatchObject({ ok: false });
  });
});
