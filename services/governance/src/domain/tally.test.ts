import { describe, expect, it } from 'vitest';
import { countVote, decide, EMPTY_TALLY, type TallyCounts, type TallyRules } from './tally.ts';

const rules = (method: TallyRules['method'], quorumRequired = 1, approvalThreshold = 0.5): TallyRules => ({
  method,
  quorumRequired,
  approvalThreshold,
});
const counts = (yay: number, nay: number, abstain = 0, votes = yay + nay + abstain): TallyCounts => ({
  votes,
  yay,
  nay,
  abstain,
});

describe('the tally', () => {
  it('rejects below quorum, abstentions counting towards it', () => {
    expect(decide(rules('SIMPLE_MAJORITY', 3), counts(2, 0))).toMatchObject({
      outcome: 'REJECTED',
      quorumMet: false,
    });
    expect(decide(rules('SIMPLE_MAJORITY', 3), counts(2, 0, 1))).toMatchObject({
      outcome: 'APPROVED',
      quorumMet: true,
    });
  });

  it('passes a simple majority only above the threshold, abstentions left out of the share', () => {
    expect(decide(rules('SIMPLE_MAJORITY'), counts(2, 2)).outcome).toBe('REJECTED');
    expect(decide(rules('SIMPLE_MAJORITY'), counts(3, 2, 10)).outcome).toBe('APPROVED');
    expect(decide(rules('SIMPLE_MAJORITY', 1, 0.6), counts(3, 2)).outcome).toBe('REJECTED');
  });

  it('counts abstentions against an absolute majority, a tie at half passing as the contract says (>= 50%)', () => {
    expect(decide(rules('ABSOLUTE_MAJORITY'), counts(3, 1, 3)).outcome).toBe('REJECTED');
    expect(decide(rules('ABSOLUTE_MAJORITY'), counts(3, 1, 2)).outcome).toBe('APPROVED');
  });

  it('compares two thirds and three quarters exactly', () => {
    expect(decide(rules('TWO_THIRDS_MAJORITY'), counts(2, 1)).outcome).toBe('APPROVED');
    expect(decide(rules('TWO_THIRDS_MAJORITY'), counts(3, 2)).outcome).toBe('REJECTED');
    expect(decide(rules('THREE_QUARTERS'), counts(3, 1)).outcome).toBe('APPROVED');
    expect(decide(rules('THREE_QUARTERS'), counts(5, 2)).outcome).toBe('REJECTED');
  });

  it('needs no NAY for unanimity, and never passes with nothing in favour', () => {
    expect(decide(rules('UNANIMOUS'), counts(5, 1)).outcome).toBe('REJECTED');
    expect(decide(rules('UNANIMOUS'), counts(5, 0, 2)).outcome).toBe('APPROVED');
    expect(decide(rules('UNANIMOUS'), counts(0, 0, 3)).outcome).toBe('REJECTED');
    expect(decide(rules('ABSOLUTE_MAJORITY'), counts(0, 0, 0, 0)).outcome).toBe('REJECTED');
  });

  it('weighs WEIGHTED votes by their weights, and counts a vote in and out', () => {
    let tally = EMPTY_TALLY;
    tally = countVote(tally, 'YAY', 120);
    tally = countVote(tally, 'NAY', 40);
    tally = countVote(tally, 'NAY', 90);
    expect(tally).toEqual({ votes: 3, yay: 120, nay: 130, abstain: 0 });
    expect(decide(rules('WEIGHTED'), tally).outcome).toBe('REJECTED');
    tally = countVote(tally, 'NAY', 90, -1);
    expect(decide(rules('WEIGHTED'), tally)).toMatchObject({ outcome: 'APPROVED', share: 0.75 });
  });

  it('refuses to count RANKED_CHOICE', () => {
    expect(() => decide(rules('RANKED_CHOICE'), counts(1, 0))).toThrow(/RANKED_CHOICE/);
  });
});
