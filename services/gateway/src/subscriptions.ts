import { randomUUID } from 'node:crypto';
import { can, type Principal } from '@clubland/authz';
import type { Bus, EventEnvelope, Subscription } from '@clubland/bus';
import { bookingStatusChanged } from '@clubland/contract/events/booking';
import { proposalStatusChanged, voteRecorded } from '@clubland/contract/events/governance';
import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import { memberStatusChanged } from '@clubland/contract/events/member';
import { notificationCreated } from '@clubland/contract/events/notification';
import { visitStatusChanged } from '@clubland/contract/events/reciprocal';
import type { ClubRegistryService } from '@clubland/contract/member/v1';
import { ClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { FastifyInstance } from 'fastify';
import mercurius, { type MercuriusContext } from 'mercurius';
import type { ClubCache } from './club-cache.ts';
import type { MemberStatusChange, SubscriptionMemberStatusChangedArgs } from './generated/graphql.ts';
import { bookingFromEvent, type FacilityBookingModel } from './resolvers/bookings.ts';
import { toGraphql } from './resolvers/clubs.ts';
import type { VoteModel } from './resolvers/governance.ts';
import {
  type BlockchainTransactionModel,
  type LedgerClient,
  NO_CHAINCODE,
  toBlockchainTransaction,
} from './resolvers/ledger.ts';
import { type NotificationModel, notificationFromEvent } from './resolvers/notifications.ts';
import { type VisitModel, visitFromEvent } from './resolvers/visits.ts';

const CLUB_CREATED = 'club.created';
const CLUB_UPDATED = 'club.updated';
const CLUB_STATUS_CHANGED = 'club.status_changed';
const MEMBER_STATUS_CHANGED = 'member.status_changed';
const VISIT_STATUS_CHANGED = 'visit.status_changed';
const LEDGER_ENTRY_STATUS_CHANGED = 'ledger.entry_status_changed';
const BOOKING_STATUS_CHANGED = 'booking.status_changed';
const NOTIFICATION_CREATED = 'notification.created';
const PROPOSAL_STATUS_CHANGED = 'proposal.status_changed';
const VOTE_RECORDED = 'vote.recorded';
/** The in-process topics the governance subscriptions listen to (resolvers/governance.ts). */
export const PROPOSAL_UPDATED_TOPIC = 'governance.proposal_updated';
export const VOTE_RECEIVED_TOPIC = 'governance.vote_received';

/** A tenant's event as published to the in-process pubsub: the club it belongs to travels beside it. */
interface TenantMessage {
  clubId: string;
  memberStatusChanged?: MemberStatusChange;
}

/**
 * Domain events become GraphQL subscription messages: this gateway instance consumes the bus
 * with a consumer of its own (every instance serves its own sockets) and publishes each event
 * once to the in-process pubsub, which fans it out to the matching subscribers. A club's change
 * also clears it from the instance's club cache.
 */
export function feedSubscriptionsFromBus(
  app: FastifyInstance,
  bus: Bus,
  clubRegistry: Client<typeof ClubRegistryService>,
  clubCache: ClubCache,
  ledger: LedgerClient,
  /** Whether anyone on this instance listens to a topic now: what costs a lookup is skipped when nobody does. */
  hasListeners: (topic: string) => boolean = () => true,
): void {
  let subscription: Subscription | undefined;
  const forgetClub = async (event: EventEnvelope) => {
    const { clubId } = event.data as { clubId?: unknown };
    if (typeof clubId === 'string') clubCache.forget(clubId);
  };
  const handlers: Record<string, (event: EventEnvelope) => Promise<void>> = {
    [CLUB_UPDATED]: forgetClub,
    [CLUB_STATUS_CHANGED]: forgetClub,
    async [CLUB_CREATED](event) {
      const { clubId } = event.data as { clubId: string };
      const { club } = await clubRegistry.getClub({ id: clubId });
      if (!club) return;
      await app.graphql.pubsub.publish({ topic: CLUB_CREATED, payload: { clubCreated: toGraphql(club) } });
    },
    async [MEMBER_STATUS_CHANGED](event) {
      const { data } = memberStatusChanged.parse(event);
      const payload: TenantMessage = {
        clubId: data.clubId,
        memberStatusChanged: {
          id: event.id,
          memberId: data.memberId,
          fromStatus: data.from,
          toStatus: data.to,
          reason: data.reason,
          changedBy: data.changedBy,
          changedAt: data.changedAt,
        },
      };
      await app.graphql.pubsub.publish({ topic: MEMBER_STATUS_CHANGED, payload });
    },
    async [VISIT_STATUS_CHANGED](event) {
      const { data } = visitStatusChanged.parse(event);
      const visit = visitFromEvent(data);
      const payload: VisitMessage = {
        hostClubId: data.hostClubId,
        homeClubId: data.homeClubId,
        memberUserId: data.memberUserId,
        visitId: data.visitId,
        to: data.to,
        visitStatusChanged: visit,
        visitCheckedIn: visit,
        visitCheckedOut: visit,
      };
      await app.graphql.pubsub.publish({ topic: VISIT_STATUS_CHANGED, payload });
    },
    async [BOOKING_STATUS_CHANGED](event) {
      const { data } = bookingStatusChanged.parse(event);
      const payload: BookingMessage = {
        clubId: data.clubId,
        memberUserId: data.memberUserId,
        bookingUpdates: bookingFromEvent(data),
      };
      await app.graphql.pubsub.publish({ topic: BOOKING_STATUS_CHANGED, payload });
    },
    async [NOTIFICATION_CREATED](event) {
      if (!hasListeners(NOTIFICATION_CREATED)) return;
      const { data } = notificationCreated.parse(event);
      const payload: NotificationMessage = {
        userId: data.userId,
        notificationReceived: notificationFromEvent(data),
      };
      await app.graphql.pubsub.publish({ topic: NOTIFICATION_CREATED, payload });
    },
    async [PROPOSAL_STATUS_CHANGED](event) {
      const { data } = proposalStatusChanged.parse(event);
      const payload: ProposalUpdatedMessage = {
        proposalId: data.proposalId,
        clubId: data.clubId,
        draft: data.to === 'DRAFT',
      };
      await app.graphql.pubsub.publish({ topic: PROPOSAL_UPDATED_TOPIC, payload });
    },
    async [VOTE_RECORDED](event) {
      const { data } = voteRecorded.parse(event);
      // A vote moves its proposal's tally: the proposal's followers hear of it too.
      const updated: ProposalUpdatedMessage = {
        proposalId: data.proposalId,
        clubId: data.proposerClubId,
        draft: false,
      };
      await app.graphql.pubsub.publish({ topic: PROPOSAL_UPDATED_TOPIC, payload: updated });
      if (data.action === 'WITHDRAWN') return;
      const received: VoteReceivedMessage = {
        proposalId: data.proposalId,
        voteReceived: {
          id: data.voteId,
          clubId: data.clubId,
          proposalId: data.proposalId,
          // An anonymous vote's event names no officer.
          voterId: data.voterMemberId ?? '',
          voteValue: data.choice,
          choice: data.choice,
          weight: data.weight,
          comments: null,
          isAnonymous: data.isAnonymous,
          castAt: data.castAt,
          createdAt: data.createdAt,
        },
      };
      await app.graphql.pubsub.publish({ topic: VOTE_RECEIVED_TOPIC, payload: received });
    },
    async [LEDGER_ENTRY_STATUS_CHANGED](event) {
      // Every entry's every step passes here: ask the ledger only when this instance has a subscriber.
      if (!hasListeners(LEDGER_ENTRY_STATUS_CHANGED)) return;
      const { data } = ledgerEntryStatusChanged.parse(event);
      // The event names the step; the entry's fact and time come from the ledger, asked once per
      // event (not per subscriber), without its payload.
      const {
        transactions: [transaction],
      } = await ledger.getTransactionHeaders({ txIds: [data.entryId] });
      if (!transaction) {
        app.log.warn({ txId: data.entryId }, 'a ledger entry announced is unknown to the ledger service');
        return;
      }
      const entry = toBlockchainTransaction(transaction);
      const payload: LedgerMessage = {
        txId: data.entryId,
        clubIds: data.counterpartyClubId === null ? [data.clubId] : [data.clubId, data.counterpartyClubId],
        transactionStatusChanged: {
          id: data.entryId,
          entityType: data.entityKind,
          entityId: data.entityId,
          txId: data.entryId,
          // This step's, not the ledger's present status: a subscriber sees every step in turn.
          status: data.status,
          submittedAt: entry.submittedAt,
          confirmedAt: data.status === 'CONFIRMED' ? (entry.confirmedAt ?? data.at) : null,
          blockNumber: data.blockNumber,
          error: data.error ?? null,
          type: entry.type,
          ...NO_CHAINCODE,
          timestamp: data.at,
          createdAt: entry.submittedAt,
        },
      };
      await app.graphql.pubsub.publish({ topic: LEDGER_ENTRY_STATUS_CHANGED, payload });
    },
  };
  app.addHook('onReady', async () => {
    subscription = await bus.subscribe({
      consumer: `gateway-${randomUUID()}`,
      perInstance: true,
      types: Object.keys(handlers),
      handler: (event) => handlers[event.type]?.(event) ?? Promise.resolve(),
    });
  });
  app.addHook('onClose', async () => {
    await subscription?.close();
  });
}

/** A proposal's change as published to the in-process pubsub: its club, and whether it is a DRAFT. */
export interface ProposalUpdatedMessage {
  proposalId: string;
  clubId: string;
  draft: boolean;
}

/** A vote as published to the in-process pubsub. */
export interface VoteReceivedMessage {
  proposalId: string;
  voteReceived: VoteModel;
}

/**
 * The subscriber as their token says now: the connection's caller verifies it again on each call
 * (caller.ts), so an event is not delivered under a session revoked, a role removed or an account
 * suspended since the subscription began. Null when the token no longer holds; the socket guard
 * closes such a socket.
 */
export async function currentPrincipal(caller: MercuriusContext['caller']): Promise<Principal | null> {
  try {
    return await caller.principal();
  } catch {
    return null;
  }
}

/**
 * A subscription to one tenant-scoped topic: the caller must be signed in; `clubId`, when given,
 * must be a club where the caller holds `member:read`; and every message is delivered only if the
 * caller may read its club, by their grants at that moment. The check runs per message, so one
 * topic serves every tenant.
 */
function tenantScoped(topic: string) {
  // mercurius is CommonJS: its helpers hang off the default export.
  return mercurius.withFilter(
    async (
      _root: unknown,
      args: SubscriptionMemberStatusChangedArgs,
      { caller, pubsub }: MercuriusContext,
    ) => {
      const principal = await caller.requirePrincipal();
      if (args.clubId && !can(principal, 'member:read', args.clubId)) {
        throw new ClubError('request.forbidden', 'missing permission member:read at that club', {
          permission: 'member:read',
        });
      }
      return pubsub.subscribe(topic);
    },
    async (
      message: TenantMessage,
      args: SubscriptionMemberStatusChangedArgs,
      { caller }: MercuriusContext,
    ) => {
      if (args.clubId && message.clubId !== args.clubId) return false;
      return can(await currentPrincipal(caller), 'member:read', message.clubId);
    },
  );
}

/** A visit's event as published to the in-process pubsub: both of its clubs and its member travel beside it. */
interface VisitMessage {
  hostClubId: string;
  homeClubId: string;
  memberUserId: string | null;
  visitId: string;
  to: string;
  visitStatusChanged: VisitModel;
  visitCheckedIn: VisitModel;
  visitCheckedOut: VisitModel;
}

/**
 * Who may see a visit's event: either club's staff (visit:manage at the host or the home club),
 * or the member themselves. Checked per message with the subscriber's grants at that moment, as
 * tenantScoped does, so one topic serves every club.
 */
function maySeeVisit(principal: Principal | null, message: VisitMessage): boolean {
  if (principal === null) return false;
  return (
    can(principal, 'visit:manage', message.hostClubId) ||
    can(principal, 'visit:manage', message.homeClubId) ||
    (message.memberUserId !== null && message.memberUserId === principal.userId)
  );
}

type VisitStatusChangedArgs = { visitId?: string | null; clubId?: string | null };

/** visitStatusChanged(visitId, clubId): one visit, or a club's (as host or home); a member gets only their own. */
const visitStatusChangedSubscription = mercurius.withFilter(
  async (_root: unknown, _args: VisitStatusChangedArgs, { caller, pubsub }: MercuriusContext) => {
    await caller.requirePrincipal();
    return pubsub.subscribe(VISIT_STATUS_CHANGED);
  },
  async (message: VisitMessage, args: VisitStatusChangedArgs, { caller }: MercuriusContext) => {
    if (args.visitId && message.visitId !== args.visitId) return false;
    if (args.clubId && message.hostClubId !== args.clubId && message.homeClubId !== args.clubId) return false;
    return maySeeVisit(await currentPrincipal(caller), message);
  },
);

/** A host desk's feed of one status (visitCheckedIn, visitCheckedOut): visit:manage at the club, checked again per message. */
function hostDeskFeed(status: 'CHECKED_IN' | 'CHECKED_OUT') {
  return mercurius.withFilter(
    async (_root: unknown, args: { clubId: string }, { caller, pubsub }: MercuriusContext) => {
      const principal = await caller.requirePrincipal();
      if (!can(principal, 'visit:manage', args.clubId)) {
        throw new ClubError('request.forbidden', 'missing permission visit:manage at that club', {
          permission: 'visit:manage',
        });
      }
      return pubsub.subscribe(VISIT_STATUS_CHANGED);
    },
    async (message: VisitMessage, args: { clubId: string }, { caller }: MercuriusContext) =>
      message.to === status &&
      message.hostClubId === args.clubId &&
      can(await currentPrincipal(caller), 'visit:manage', args.clubId),
  );
}

/** A ledger entry's step as published to the in-process pubsub: its clubs travel beside it. */
interface LedgerMessage {
  txId: string;
  /** The submitting club, and the counterparty when there is one. */
  clubIds: string[];
  transactionStatusChanged: BlockchainTransactionModel;
}

/**
 * Who may follow an entry: staff of either of its clubs and network admins, the readers the ledger
 * service shows its payload to (visit:manage is what staff, club admins and network admins hold
 * and members do not). Checked per message with the subscriber's grants at that moment.
 */
function maySeeLedgerEntry(principal: Principal | null, message: LedgerMessage): boolean {
  return message.clubIds.some((clubId) => can(principal, 'visit:manage', clubId));
}

type TransactionStatusChangedArgs = { txId?: string | null };

/** transactionStatusChanged(txId): every step of one entry, or of every entry the subscriber may follow. */
const transactionStatusChangedSubscription = mercurius.withFilter(
  async (_root: unknown, _args: TransactionStatusChangedArgs, { caller, pubsub }: MercuriusContext) => {
    await caller.requirePrincipal();
    return pubsub.subscribe(LEDGER_ENTRY_STATUS_CHANGED);
  },
  async (message: LedgerMessage, args: TransactionStatusChangedArgs, { caller }: MercuriusContext) => {
    if (args.txId && message.txId !== args.txId.toLowerCase()) return false;
    return maySeeLedgerEntry(await currentPrincipal(caller), message);
  },
);

/** A booking's event as published to the in-process pubsub: its club and its member's account travel beside it. */
interface BookingMessage {
  clubId: string;
  memberUserId: string | null;
  bookingUpdates: FacilityBookingModel;
}

type BookingUpdatesArgs = { clubId?: string | null; userId?: string | null };

/**
 * bookingUpdates(clubId, userId): a booking's changes go to its member and to the club's staff
 * (booking:manage there), nobody else, checked per message with the subscriber's grants at that
 * moment; clubId and userId narrow the feed.
 */
const bookingUpdatesSubscription = mercurius.withFilter(
  async (_root: unknown, _args: BookingUpdatesArgs, { caller, pubsub }: MercuriusContext) => {
    await caller.requirePrincipal();
    return pubsub.subscribe(BOOKING_STATUS_CHANGED);
  },
  async (message: BookingMessage, args: BookingUpdatesArgs, { caller }: MercuriusContext) => {
    if (args.clubId && message.clubId !== args.clubId) return false;
    if (args.userId && message.memberUserId !== args.userId) return false;
    const principal = await currentPrincipal(caller);
    if (principal === null) return false;
    return (
      can(principal, 'booking:manage', message.clubId) ||
      (message.memberUserId !== null && message.memberUserId === principal.userId)
    );
  },
);

/** A notification as published to the in-process pubsub: the one account it is for travels beside it. */
interface NotificationMessage {
  userId: string;
  notificationReceived: NotificationModel;
}

/**
 * notificationReceived: the subscriber's own notifications, nobody else's — the message's account
 * must be the subscriber's, checked per message with their token as it stands at that moment.
 */
const notificationReceivedSubscription = mercurius.withFilter(
  async (_root: unknown, _args: unknown, { caller, pubsub }: MercuriusContext) => {
    await caller.requirePrincipal();
    return pubsub.subscribe(NOTIFICATION_CREATED);
  },
  async (message: NotificationMessage, _args: unknown, { caller }: MercuriusContext) => {
    const principal = await currentPrincipal(caller);
    return principal !== null && principal.userId === message.userId;
  },
);

export const subscriptionResolvers = {
  Subscription: {
    // Clubs are the network's public directory: every signed-in caller may see a new one, while
    // their token holds.
    clubCreated: {
      subscribe: mercurius.withFilter(
        async (_root: unknown, _args: unknown, { caller, pubsub }: MercuriusContext) => {
          await caller.requirePrincipal();
          return pubsub.subscribe(CLUB_CREATED);
        },
        async (_message: unknown, _args: unknown, { caller }: MercuriusContext) =>
          (await currentPrincipal(caller)) !== null,
      ),
    },
    memberStatusChanged: { subscribe: tenantScoped(MEMBER_STATUS_CHANGED) },
    visitStatusChanged: { subscribe: visitStatusChangedSubscription },
    visitCheckedIn: { subscribe: hostDeskFeed('CHECKED_IN') },
    visitCheckedOut: { subscribe: hostDeskFeed('CHECKED_OUT') },
    transactionStatusChanged: { subscribe: transactionStatusChangedSubscription },
    bookingUpdates: { subscribe: bookingUpdatesSubscription },
    notificationReceived: { subscribe: notificationReceivedSubscription },
  },
};
