import type { VoteChoice, VotingMethod } from './proposal.ts';

/**
 * Counting a vote. One vote per club; a vote's weight is 1, except under WEIGHTED where it is the
 * voting club's number of ACTIVE members when it voted. `yay`, `nay` and `abstain` are sums of
 * weights, `votes` the number of clubs that voted.
 *
 * The quorum is a number of clubs that voted (abstentions count: they took part). Below it the
 * proposal is REJECTED ("quorum not met"). Above it, the share in favour decides:
 * - SIMPLE_MAJORITY and WEIGHTED: yay / (yay + nay) must exceed the approval threshold (0.5 by
 *   default); abstentions are left out of the share.
 * - ABSOLUTE_MAJORITY: yay must be at least half of every vote cast, abstentions included.
 * - TWO_THIRDS_MAJORITY, THREE_QUARTERS: yay / (yay + nay) at least 2/3, 3/4.
 * - UNANIMOUS: at least one YAY and no NAY.
 * Nothing in favour never passes. Pure.
 */
export interface TallyCounts {
  votes: number;
  yay: number;
  nay: number;
  abstain: number;
}

export interface TallyRules {
  method: VotingMethod;
  approvalThreshold: number;
  quorumRequired: number;
}

export interface TallyOutcome {
  outcome: 'APPROVED' | 'REJECTED';
  quorumMet: boolean;
  /** Share in favour as the method measures it (0 when nothing was counted). */
  share: number;
  /** One line for the proposal's resolution notes. */
  summary: string;
}

export const EMPTY_TALLY: TallyCounts = { votes: 0, yay: 0, nay: 0, abstain: 0 };

/** Adds a vote (or takes it away, `sign` -1) to counts. */
export function countVote(
  counts: TallyCounts,
  choice: VoteChoice,
  weight: number,
  sign: 1 | -1 = 1,
): TallyCounts {
  return {
    votes: counts.votes + sign,
    yay: counts.yay + (choice === 'YAY' ? sign * weight : 0),
    nay: counts.nay + (choice === 'NAY' ? sign * weight : 0),
    abstain: counts.abstain + (choice === 'ABSTAIN' ? sign * weight : 0),
  };
}

export function decide(rules: TallyRules, counts: TallyCounts): TallyOutcome {
  const decided = counts.yay + counts.nay;
  const cast = decided + counts.abstain;
  const tallyLine = `${counts.yay} in favour, ${counts.nay} against, ${counts.abstain} abstaining (${counts.votes} ${counts.votes === 1 ? 'club' : 'clubs'})`;
  if (counts.votes < rules.quorumRequired) {
    return {
      outcome: 'REJECTED',
      quorumMet: false,
      share: decided === 0 ? 0 : counts.yay / decided,
      summary: `quorum not met: ${counts.votes} of ${rules.quorumRequired} clubs voted; ${tallyLine}`,
    };
  }
  let share: number;
  let passes: boolean;
  switch (rules.method) {
    case 'ABSOLUTE_MAJORITY':
      share = cast === 0 ? 0 : counts.yay / cast;
      passes = share >= 0.5;
      break;
    case 'TWO_THIRDS_MAJORITY':
      share = decided === 0 ? 0 : counts.yay / decided;
      // Integers compared, not 0.666…: 2 of 3 is two thirds exactly.
      passes = decided > 0 && 3 * counts.yay >= 2 * decided;
      break;
    case 'THREE_QUARTERS':
      share = decided === 0 ? 0 : counts.yay / decided;
      passes = decided > 0 && 4 * counts.yay >= 3 * decided;
      break;
    case 'UNANIMOUS':
      share = decided === 0 ? 0 : counts.yay / decided;
      passes = counts.yay > 0 && counts.nay === 0;
      break;
    case 'SIMPLE_MAJORITY':
    case 'WEIGHTED':
      share = decided === 0 ? 0 : counts.yay / decided;
      passes = share > rules.approvalThreshold;
      break;
    case 'RANKED_CHOICE':
      throw new Error('RANKED_CHOICE proposals are refused at creation and never counted');
  }
  passes &&= counts.yay > 0;
  return {
    outcome: passes ? 'APPROVED' : 'REJECTED',
    quorumMet: true,
    share,
    summary: `${passes ? 'approved' : 'rejected'} under ${rules.method}: ${tallyLine}`,
  };
}
