import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/**
 * Events the governance service publishes. Ids, statuses and counts: no text of the proposal beyond
 * its title, no voter's name. An anonymous vote's event does not name the person who cast it.
 */

export const PROPOSAL_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'UNDER_REVIEW',
  'VOTING_OPEN',
  'VOTING_CLOSED',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
  'EXPIRED',
] as const;

export const VOTE_CHOICES = ['YAY', 'NAY', 'ABSTAIN'] as const;

/** A proposal was created (`from` null), moved on, or decided (with its tally). */
export const proposalStatusChanged = defineEvent(
  'proposal.status_changed',
  1,
  z.object({
    proposalId: z.uuid(),
    /** The proposing club. */
    clubId: z.uuid(),
    title: z.string(),
    from: z.enum(PROPOSAL_STATUSES).nullable(),
    to: z.enum(PROPOSAL_STATUSES),
    reason: z.string().nullable(),
    /** The acting account; null for the system (the vote's end, an expiry). */
    changedBy: z.uuid().nullable(),
    changedAt: z.iso.datetime({ offset: true }),
    votingEndsAt: z.iso.datetime({ offset: true }),
    votes: z.number().int().min(0),
    yay: z.number().int().min(0),
    nay: z.number().int().min(0),
    abstain: z.number().int().min(0),
  }),
);

/** A club's vote was cast, changed or withdrawn. */
export const voteRecorded = defineEvent(
  'vote.recorded',
  1,
  z.object({
    voteId: z.uuid(),
    proposalId: z.uuid(),
    /** The voting club. */
    clubId: z.uuid(),
    /** The proposing club. */
    proposerClubId: z.uuid(),
    action: z.enum(['CAST', 'CHANGED', 'WITHDRAWN']),
    choice: z.enum(VOTE_CHOICES),
    weight: z.number().int().min(1),
    isAnonymous: z.boolean(),
    /** The officer who cast it; null when anonymous. */
    voterMemberId: z.uuid().nullable(),
    voterUserId: z.uuid().nullable(),
    castAt: z.iso.datetime({ offset: true }),
    createdAt: z.iso.datetime({ offset: true }),
  }),
);

/** A club's policy was created, edited, activated or deactivated; the club is the tenant. */
export const policyChanged = defineEvent(
  'policy.changed',
  1,
  z.object({
    policyId: z.uuid(),
    clubId: z.uuid(),
    name: z.string(),
    version: z.string(),
    change: z.enum(['CREATED', 'UPDATED', 'ACTIVATED', 'DEACTIVATED']),
    isActive: z.boolean(),
    requiresAcknowledgment: z.boolean(),
    effectiveDate: z.iso.datetime({ offset: true }),
  }),
);
