import { describe, expect, it } from 'vitest';
import { checkProposalAction, type ProposalActionRequest } from './proposal-lifecycle.ts';

const now = new Date('2026-12-08T12:00:00Z');
const base = (overrides: Partial<ProposalActionRequest>): ProposalActionRequest => ({
  action: 'submit',
  from: 'DRAFT',
  by: 'proposer',
  reason: null,
  now,
  votingEndsAt: new Date('2026-12-10T12:00:00Z'),
  ...overrides,
});

describe('the proposal lifecycle', () => {
  it('walks DRAFT, SUBMITTED, VOTING_OPEN to the outcome', () => {
    expect(checkProposalAction(base({}))).toEqual({ ok: true, from: 'DRAFT', to: 'SUBMITTED' });
    expect(checkProposalAction(base({ action: 'open', from: 'SUBMITTED', by: 'network' }))).toMatchObject({
      ok: true,
      to: 'VOTING_OPEN',
    });
    expect(
      checkProposalAction(base({ action: 'close', from: 'VOTING_OPEN', by: 'network', outcome: 'REJECTED' })),
    ).toMatchObject({ ok: true, to: 'REJECTED' });
  });

  it('lets only the network open a vote, and only the proposer submit', () => {
    expect(checkProposalAction(base({ action: 'open', from: 'SUBMITTED', by: 'proposer' }))).toMatchObject({
      ok: false,
      code: 'request.forbidden',
    });
    expect(checkProposalAction(base({ by: 'network' }))).toMatchObject({
      ok: false,
      code: 'request.forbidden',
    });
  });

  it('lets the proposer close only once the end time has passed', () => {
    const early = base({ action: 'close', from: 'VOTING_OPEN', outcome: 'APPROVED' });
    expect(checkProposalAction(early)).toMatchObject({ ok: false, code: 'request.forbidden' });
    expect(checkProposalAction({ ...early, now: new Date('2026-12-10T12:00:00Z') })).toMatchObject({
      ok: true,
      to: 'APPROVED',
    });
  });

  it('needs a reason to withdraw, and refuses moves from final statuses', () => {
    expect(checkProposalAction(base({ action: 'withdraw', from: 'VOTING_OPEN', reason: ' ' }))).toMatchObject(
      {
        ok: false,
        code: 'reason_required',
      },
    );
    expect(
      checkProposalAction(base({ action: 'withdraw', from: 'VOTING_OPEN', reason: 'superseded' })),
    ).toMatchObject({
      ok: true,
      to: 'WITHDRAWN',
    });
    for (const from of ['APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED'] as const)
      expect(
        checkProposalAction(base({ action: 'withdraw', from, by: 'network', reason: 'x' })),
      ).toMatchObject({
        ok: false,
        code: 'proposal.transition_refused',
      });
    expect(checkProposalAction(base({ action: 'expire', from: 'VOTING_OPEN', by: 'system' }))).toMatchObject({
      ok: false,
      code: 'proposal.transition_refused',
    });
  });
});
