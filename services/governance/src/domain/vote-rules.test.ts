import { describe, expect, it } from 'vitest';
import { voteWindowRefusal } from './vote-rules.ts';

const window = {
  status: 'VOTING_OPEN' as const,
  votingStartsAt: new Date('2026-12-08T00:00:00Z'),
  votingEndsAt: new Date('2026-12-09T00:00:00Z'),
};

describe('the vote window', () => {
  it('opens at the start instant and closes at the end instant', () => {
    expect(voteWindowRefusal(window, new Date('2026-12-07T23:59:59Z'))).toMatch(/opens at/);
    expect(voteWindowRefusal(window, new Date('2026-12-08T00:00:00Z'))).toBeNull();
    expect(voteWindowRefusal(window, new Date('2026-12-09T00:00:00Z'))).toMatch(/closed at/);
  });

  it('takes votes only while VOTING_OPEN', () => {
    const inside = new Date('2026-12-08T12:00:00Z');
    expect(voteWindowRefusal({ ...window, status: 'SUBMITTED' }, inside)).toMatch(/not open/);
    expect(voteWindowRefusal({ ...window, status: 'APPROVED' }, inside)).toMatch(/vote is over/);
  });
});
