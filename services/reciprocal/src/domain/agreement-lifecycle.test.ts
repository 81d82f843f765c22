import { describe, expect, it } from 'vitest';
import type { AgreementStatus } from './agreement.ts';
import {
  type AgreementAction,
  type AgreementSide,
  agreementFact,
  checkAgreementAction,
  checkTermsEdit,
} from './agreement-lifecycle.ts';

const ALL: AgreementStatus[] = [
  'DRAFT',
  'PENDING',
  'APPROVED',
  'REJECTED',
  'ACTIVE',
  'SUSPENDED',
  'EXPIRED',
  'CANCELLED',
  'TERMINATED',
];

const check = (
  action: AgreementAction,
  from: AgreementStatus,
  by: AgreementSide,
  reason: string | null = null,
) => checkAgreementAction({ action, from, by, reason });

describe('the agreement lifecycle', () => {
  it('walks a proposal through to an agreement in force and out again', () => {
    expect(check('submit', 'DRAFT', 'proposer')).toEqual({ ok: true, from: 'DRAFT', to: 'PENDING' });
    expect(check('approve', 'PENDING', 'partner')).toEqual({ ok: true, from: 'PENDING', to: 'APPROVED' });
    expect(check('activate', 'APPROVED', 'system')).toEqual({ ok: true, from: 'APPROVED', to: 'ACTIVE' });
    expect(check('suspend', 'ACTIVE', 'partner', 'unpaid fees')).toMatchObject({ ok: true, to: 'SUSPENDED' });
    expect(check('reinstate', 'SUSPENDED', 'partner')).toMatchObject({ ok: true, to: 'ACTIVE' });
    expect(check('terminate', 'ACTIVE', 'proposer')).toMatchObject({ ok: true, to: 'TERMINATED' });
  });

  it('lets only the partner approve or reject, never the proposer or the network', () => {
    for (const action of ['approve', 'reject'] as const) {
      for (const by of ['proposer', 'network', 'system'] as const) {
        expect(check(action, 'PENDING', by)).toMatchObject({
          ok: false,
          code: 'agreement.not_your_decision',
        });
      }
      expect(check(action, 'PENDING', 'partner').ok).toBe(true);
    }
  });

  it('lets only the proposer submit and cancel', () => {
    expect(check('submit', 'DRAFT', 'partner')).toMatchObject({ code: 'agreement.not_your_decision' });
    expect(check('cancel', 'PENDING', 'partner')).toMatchObject({ code: 'agreement.not_your_decision' });
    expect(check('cancel', 'APPROVED', 'proposer')).toMatchObject({ ok: true, to: 'CANCELLED' });
  });

  it('refuses cancelling an agreement in force: it is terminated instead', () => {
    expect(check('cancel', 'ACTIVE', 'proposer')).toMatchObject({ code: 'agreement.transition_refused' });
    expect(check('terminate', 'SUSPENDED', 'partner')).toMatchObject({ ok: true, to: 'TERMINATED' });
  });

  it('leaves activation and expiry to the scheduled job', () => {
    for (const by of ['proposer', 'partner', 'network'] as const) {
      expect(check('activate', 'APPROVED', by)).toMatchObject({ code: 'agreement.not_your_decision' });
      expect(check('expire', 'ACTIVE', by)).toMatchObject({ code: 'agreement.not_your_decision' });
    }
    for (const from of ['APPROVED', 'ACTIVE', 'SUSPENDED'] as const) {
      expect(check('expire', from, 'system')).toMatchObject({ ok: true, to: 'EXPIRED' });
    }
  });

  it('requires a reason to suspend', () => {
    expect(check('suspend', 'ACTIVE', 'proposer', '  ')).toMatchObject({
      ok: false,
      code: 'reason_required',
    });
    expect(check('suspend', 'ACTIVE', 'proposer', null)).toMatchObject({
      ok: false,
      code: 'reason_required',
    });
  });

  it('lifts a suspension only by the side that made it, or the network', () => {
    const reinstate = (by: AgreementSide, suspendedBy: AgreementSide) =>
      checkAgreementAction({ action: 'reinstate', from: 'SUSPENDED', by, reason: null, suspendedBy });
    expect(reinstate('proposer', 'partner')).toMatchObject({ code: 'agreement.not_your_decision' });
    expect(reinstate('partner', 'partner').ok).toBe(true);
    expect(reinstate('network', 'partner').ok).toBe(true);
  });

  it('keeps REJECTED, EXPIRED, CANCELLED and TERMINATED final', () => {
    const actions: AgreementAction[] = [
      'submit',
      'approve',
      'reject',
      'activate',
      'suspend',
      'reinstate',
      'expire',
      'cancel',
      'terminate',
    ];
    const sides: AgreementSide[] = ['proposer', 'partner', 'network', 'system'];
    for (const from of ['REJECTED', 'EXPIRED', 'CANCELLED', 'TERMINATED'] as const) {
      for (const action of actions) {
        for (const by of sides) {
          expect(check(action, from, by, 'why')).toMatchObject({
            ok: false,
            code: 'agreement.transition_refused',
          });
        }
      }
    }
  });

  it('checks the status before the side, so a refused transition reads the same to everyone', () => {
    expect(check('approve', 'ACTIVE', 'proposer')).toMatchObject({ code: 'agreement.transition_refused' });
    expect(check('approve', 'APPROVED', 'partner')).toMatchObject({
      ok: false,
      message: 'the agreement is already APPROVED',
    });
  });

  it('reaches every status from DRAFT', () => {
    const reached = new Set<AgreementStatus>(['DRAFT']);
    const actions: AgreementAction[] = [
      'submit',
      'approve',
      'reject',
      'activate',
      'suspend',
      'reinstate',
      'expire',
      'cancel',
      'terminate',
    ];
    for (let round = 0; round < 5; round++) {
      for (const from of [...reached]) {
        for (const action of actions) {
          for (const by of ['proposer', 'partner', 'network', 'system'] as const) {
            const result = check(action, from, by, 'why');
            if (result.ok) reached.add(result.to);
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...ALL].sort());
  });

  it('lets only the proposer (or the network) change terms, and only before a decision', () => {
    expect(checkTermsEdit('DRAFT', 'proposer')).toEqual({ ok: true });
    expect(checkTermsEdit('PENDING', 'network')).toEqual({ ok: true });
    expect(checkTermsEdit('PENDING', 'partner')).toMatchObject({ code: 'agreement.not_your_decision' });
    expect(checkTermsEdit('APPROVED', 'proposer')).toMatchObject({ code: 'agreement.transition_refused' });
  });

  it('names each fact for the ledger', () => {
    expect(agreementFact('propose')).toBe('agreement.proposed');
    expect(agreementFact('reinstate')).toBe('agreement.reinstated');
  });
});
