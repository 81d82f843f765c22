import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { BootstrapOutcome, NetworkAdminBootstrap } from '@clubland/auth-service';
import type { AuthService, SignInResponse, User } from '@clubland/contract/auth/v1';
import type { ClubRegistryService } from '@clubland/contract/member/v1';
import { type CallerContext, CallerContextSchema } from '@clubland/contract/member/v1/caller';
import type { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import { type Member, type MemberService, MemberStatus } from '@clubland/contract/member/v1/members';
import { isClubError } from '@clubland/errors';
import type { Logger } from '@clubland/log';
import type { Client } from '@connectrpc/connect';
import type { MailWatch, NotifierTap } from '../notifier-tap.ts';
import {
  DEMO_CLUBS,
  DEMO_NETWORK_ADMIN,
  DEMO_PASSWORD,
  type DemoClub,
  type DemoMemberStatus,
  type DemoPerson,
  demoEmail,
} from './demo-network.ts';
import {
  type ClubOperationsClients,
  type DemoClubOperationsResult,
  seedClubOperations,
} from './seed-club-operations.ts';
import { type DemoGovernanceResult, type GovernanceClients, seedGovernance } from './seed-governance.ts';
import { type NotificationClients, seedNotifications } from './seed-notifications.ts';
import {
  type ClubActors,
  type DemoReciprocalResult,
  type ReciprocalClients,
  seedReciprocal,
} from './seed-reciprocal.ts';

/**
 * Loads the demo network through the services' own use cases, over their RPC clients, as a
 * network administrator would through the gateway: createClub and updateClubProfile, invitations
 * (sent through the notification port and accepted from the tapped mail) for every club admin,
 * staff and member, createMember and changeMemberStatus for the rosters, reviewClub and
 * toggleFavouriteClub; then the agreements, the letter and the visits among the clubs
 * (seed-reciprocal.ts); then the clubs' facilities, a week of bookings and two events each with
 * their RSVPs (seed-club-operations.ts). No SQL. Idempotent: what exists (clubs by slug, accounts that sign in with
 * their role, members by number, favourites) is left as it is; reviews are one per user and club.
 */

export interface DemoClients
  extends ReciprocalClients,
    ClubOperationsClients,
    NotificationClients,
    GovernanceClients {
  clubRegistry: Client<typeof ClubRegistryService>;
  directory: Client<typeof ClubDirectoryService>;
  members: Client<typeof MemberService>;
  auth: Client<typeof AuthService>;
}

export interface DemoSeedOptions {
  clients: DemoClients;
  /** The auth service's in-process bootstrap: creates the demo's network administrator while the network has none. */
  bootstrapNetworkAdmin: (input: NetworkAdminBootstrap) => Promise<BootstrapOutcome>;
  /** The notifier the auth service sends through, tapped: invitation links are read back from it. */
  mail: NotifierTap;
  log: Logger;
  clock?: () => Date;
  /** An existing network administrator to act as; unset: the demo's own (created while none exists). */
  admin?: { email: string; password: string } | undefined;
}

export interface DemoAccount {
  email: string;
  /** Null for an operator's own administrator: their password is theirs, never printed. */
  password: string | null;
  roles: string[];
  /** The club's slug; null for the network administrator. */
  club: string | null;
  clubId: string | null;
  userId: string;
  member?: { id: string; number: string; membershipType: string; status: DemoMemberStatus };
}

export interface DemoSeedResult
  extends Omit<DemoReciprocalResult, 'created'>,
    Omit<DemoClubOperationsResult, 'created'>,
    Omit<DemoGovernanceResult, 'created'> {
  clubs: { id: string; slug: string; name: string; city: string; country: string }[];
  accounts: DemoAccount[];
  /** What this run added; all zero when the demo network was complete already. */
  created: {
    clubs: number;
    accounts: number;
    members: number;
    notifications: number;
  } & DemoReciprocalResult['created'] &
    DemoClubOperationsResult['created'] &
    DemoGovernanceResult['created'];
}

interface Session {
  token: string;
  user: User;
  caller: CallerContext;
}

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const INVITATION_TEMPLATE = 'auth.club-invitation';
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** The transitions from PENDING (where every new member starts) to each demo status. */
const PATH_TO: Record<DemoMemberStatus, DemoMemberStatus[]> = {
  PENDING: [],
  ACTIVE: ['ACTIVE'],
  SUSPENDED: ['ACTIVE', 'SUSPENDED'],
  EXPIRED: ['ACTIVE', 'EXPIRED'],
  INACTIVE: ['INACTIVE'],
};

export async function seedDemoNetwork(options: DemoSeedOptions): Promise<DemoSeedResult> {
  const { clients, log } = options;
  const clock = options.clock ?? (() => new Date());
  const created = { clubs: 0, accounts: 0, members: 0 };
  const meta = (token = '') => ({ accessToken: token, ip: '', userAgent: 'clubland demo seed' });

  async function signIn(email: string, password: string): Promise<Session | null> {
    try {
      return sessionOf(await clients.auth.login({ meta: meta(), email, password }));
    } catch (error) {
      if (isClubError(error) && error.code === 'auth.invalid_credentials') return null;
      throw error;
    }
  }

  async function networkAdmin(): Promise<{ session: Session; account: DemoAccount }> {
    const credentials = options.admin ?? DEMO_NETWORK_ADMIN;
    if (!options.admin) {
      const outcome = await options.bootstrapNetworkAdmin(DEMO_NETWORK_ADMIN);
      if (outcome.outcome === 'created') created.accounts += 1;
    }
    const session = await signIn(credentials.email, credentials.password);
    if (!session?.user.roles.some((grant) => grant.role === 'NETWORK_ADMIN')) {
      throw new Error(
        'a network administrator exists and the demo cannot act as it: give its credentials ' +
          '(clubland seed --demo --admin-email <e> --password-stdin, or CLUBLAND_BOOTSTRAP_ADMIN_EMAIL/PASSWORD)',
      );
    }
    return {
      session,
      account: {
        email: session.user.email,
        password: options.admin ? null : DEMO_PASSWORD,
        roles: ['NETWORK_ADMIN'],
        club: null,
        clubId: null,
        userId: session.user.id,
      },
    };
  }

  async function ensureClub(club: DemoClub, admin: Session): Promise<{ id: string; isNew: boolean }> {
    const found = await clients.clubRegistry.getClubBySlug({ slug: club.slug }).catch((error: unknown) => {
      if (isClubError(error) && error.code === 'entity.not_found') return { club: undefined };
      throw error;
    });
    if (found.club) return { id: found.club.id, isNew: false };
    const { club: registered } = await clients.clubRegistry.createClub({
      caller: admin.caller,
      name: club.name,
      slug: club.slug,
      description: club.description,
      location: club.location,
      website: club.website,
      address: club.address,
      latitude: club.latitude,
      longitude: club.longitude,
      timezone: club.timezone,
      currency: club.currency,
      contactEmail: `secretary@${club.slug}.demo.clubland.test`,
      contactPhone: club.contactPhone,
    });
    const id = registered!.id;
    await clients.directory.updateClubProfile({
      caller: admin.caller,
      clubId: id,
      amenities: { values: club.amenities },
      operatingHours: {
        values: DAYS.map((day, index) => ({ day, ...(index < 5 ? club.weekdays : club.weekend) })),
      },
      images: { values: [`https://images.demo.clubland.test/${club.slug}/front.jpg`] },
      logoUrl: `https://images.demo.clubland.test/${club.slug}/logo.png`,
      settings: {
        allowReciprocal: true,
        requireApproval: false,
        maxVisitsPerMonth: 4,
        reciprocalFee: club.reciprocalFee,
      },
      isFeatured: club.isFeatured,
    });
    created.clubs += 1;
    log.info({ club: club.slug }, 'demo club registered');
    return { id, isNew: true };
  }

  /** The person's account with their role at the club: signed in if it exists, else invited and accepted. */
  async function ensurePerson(
    person: DemoPerson,
    clubId: string,
    inviter: Session,
    isNewClub: boolean,
    watch: MailWatch,
  ): Promise<Session> {
    const email = demoEmail(person);
    // At a club this run registered nobody can hold a role yet: no sign-in attempt to fail.
    if (!isNewClub) {
      const session = await signIn(email, DEMO_PASSWORD);
      // Invited here, the account holds its role here; a member whose record is suspended, expired
      // or ended holds MEMBER without it being in force, so it is not among the roles shown.
      const isHere =
        session?.user.clubId === clubId ||
        session?.user.roles.some((grant) => grant.role === person.role && grant.clubId === clubId);
      if (session && isHere) return session;
    }
    await clients.auth.inviteToClub({ meta: meta(inviter.token), clubId, email, role: person.role });
    const link = watch.latest(email, INVITATION_TEMPLATE)?.data.link;
    const token = typeof link === 'string' ? new URL(link).searchParams.get('token') : null;
    if (!token) throw new Error(`the invitation to ${email} was not sent`);
    const accepted = await clients.auth.acceptClubInvitation({
      meta: meta(),
      token,
      password: DEMO_PASSWORD,
      firstName: person.firstName,
      lastName: person.lastName,
    });
    created.accounts += 1;
    return sessionOf(accepted);
  }

  /**
   * The person's member record, moved towards its demo status. The last step to a status that
   * withholds the account's MEMBER grant (suspended, expired, ended) is left to `finish`, called
   * once the person's reviews are written: they were written while the membership was in good standing.
   */
  async function ensureMember(
    person: DemoPerson,
    clubId: string,
    clubAdmin: Session,
    userId: string,
  ): Promise<{ member: Member; finish: () => Promise<void> }> {
    const membership = person.membership!;
    const caller = clubAdmin.caller;
    try {
      const { member } = await clients.members.getMemberByNumber({
        caller,
        clubId,
        memberNumber: membership.number,
      });
      if (member) return { member, finish: async () => undefined };
    } catch (error) {
      if (!(isClubError(error) && error.code === 'entity.not_found')) throw error;
    }
    let { member } = await clients.members.createMember({
      caller,
      clubId,
      memberNumber: membership.number,
      userId,
      firstName: person.firstName,
      lastName: person.lastName,
      email: demoEmail(person),
      membershipType: membership.type,
      expiresAt: timestampFromDate(new Date(clock().getTime() + YEAR_MS)),
    });
    const move = async (status: DemoMemberStatus) => {
      ({ member } = await clients.members.changeMemberStatus({
        caller,
        clubId,
        id: member!.id,
        status: MemberStatus[status],
        reason: 'demo network',
      }));
    };
    const path = PATH_TO[membership.status];
    const last = path.at(-1);
    const isWithheldAtLast = last === 'SUSPENDED' || last === 'EXPIRED' || last === 'INACTIVE';
    for (const status of isWithheldAtLast ? path.slice(0, -1) : path) await move(status);
    created.members += 1;
    return { member: member!, finish: async () => (isWithheldAtLast && last ? move(last) : undefined) };
  }

  const watch = options.mail.watch();
  try {
    const admin = await networkAdmin();
    const accounts: DemoAccount[] = [admin.account];
    const clubs: DemoSeedResult['clubs'] = [];
    const clubIds = new Map<string, string>();
    const sessions: { person: DemoPerson; session: Session }[] = [];
    const finishing: (() => Promise<void>)[] = [];
    const actors = new Map<string, ClubActors>();
    const newClubs = new Set<string>();

    for (const club of DEMO_CLUBS) {
      const { id, isNew } = await ensureClub(club, admin.session);
      clubIds.set(club.slug, id);
      if (isNew) newClubs.add(club.slug);
      clubs.push({
        id,
        slug: club.slug,
        name: club.name,
        city: club.address.city,
        country: club.address.country,
      });
      const [clubAdminPerson, ...others] = club.people;
      const clubAdmin = await ensurePerson(clubAdminPerson!, id, admin.session, isNew, watch);
      for (const person of [clubAdminPerson!, ...others]) {
        const session =
          person === clubAdminPerson ? clubAdmin : await ensurePerson(person, id, clubAdmin, isNew, watch);
        sessions.push({ person, session });
        if (person.role === 'STAFF')
          actors.set(club.slug, { clubId: id, admin: clubAdmin.caller, desk: session.caller });
        const ensured = person.membership ? await ensureMember(person, id, clubAdmin, session.user.id) : null;
        const member = ensured?.member ?? null;
        if (ensured) finishing.push(ensured.finish);
        accounts.push({
          email: demoEmail(person),
          password: DEMO_PASSWORD,
          roles: [person.role],
          club: club.slug,
          clubId: id,
          userId: session.user.id,
          ...(member && person.membership
            ? {
                member: {
                  id: member.id,
                  number: member.memberNumber,
                  membershipType: member.membershipType,
                  status: person.membership.status,
                },
              }
            : {}),
        });
      }
    }

    // Reviews and favourites name other clubs: every club exists by now.
    for (const { person, session } of sessions) {
      if (!person.membership) continue;
      // A run after the first finds members not in good standing unable to review: theirs exist.
      const mayReview = session.user.permissions.includes('review:write');
      for (const review of mayReview ? person.membership.reviews : []) {
        await clients.directory.reviewClub({
          caller: session.caller,
          clubId: clubIds.get(review.club)!,
          rating: review.rating,
          comment: review.comment,
          author: `${person.firstName} ${person.lastName.charAt(0)}.`,
        });
      }
      const wanted = person.membership.favourites.map((slug) => clubIds.get(slug)!);
      const { relations } = await clients.directory.getClubRelations({
        caller: session.caller,
        clubIds: wanted,
      });
      for (const relation of relations) {
        if (!relation.favourited)
          await clients.directory.toggleFavouriteClub({ caller: session.caller, clubId: relation.clubId });
      }
    }
    for (const finish of finishing) await finish();
    const memberIds = new Map(
      accounts.flatMap((a): [string, string][] => (a.member ? [[a.member.number, a.member.id]] : [])),
    );
    const reciprocal = await seedReciprocal({ clients, clubs: actors, memberIds, clock, log });
    // Signed in again now their records are final: the members in good standing book and RSVP.
    const bookers = new Map<string, { memberId: string; caller: CallerContext }>();
    for (const account of accounts) {
      if (account.member?.status !== 'ACTIVE') continue;
      const session = await signIn(account.email, DEMO_PASSWORD);
      if (session)
        bookers.set(account.member.number, { memberId: account.member.id, caller: session.caller });
    }
    const operations = await seedClubOperations({ clients, clubs: actors, members: bookers, clock, log });
    const recipients = new Map<string, string[]>();
    for (const account of accounts) {
      if (!account.club || !account.member || account.member.status === 'INACTIVE') continue;
      recipients.set(account.club, [...(recipients.get(account.club) ?? []), account.userId]);
    }
    const announced = await seedNotifications({ clients, clubs: actors, newClubs, recipients, log });
    const governance = await seedGovernance({
      clients,
      clubs: actors,
      network: admin.session.caller,
      clock,
      log,
    });
    const all = {
      ...created,
      ...reciprocal.created,
      ...operations.created,
      ...announced,
      ...governance.created,
    };
    log.info(all, 'demo network ready');
    return {
      clubs,
      accounts,
      ...reciprocal,
      ...operations,
      proposals: governance.proposals,
      policies: governance.policies,
      created: all,
    };
  } finally {
    watch.stop();
  }
}

function sessionOf(response: SignInResponse): Session {
  if (response.mfaRequired || !response.user)
    throw new Error('a demo account unexpectedly needs a second factor');
  const user = response.user;
  return {
    token: response.accessToken,
    user,
    // As the gateway builds it from a verified token; this process is the auth service's own caller.
    caller: create(CallerContextSchema, {
      userId: user.id,
      homeClubId: user.clubId,
      grants: user.roles.map((grant) => ({ role: grant.role, clubId: grant.clubId })),
      source: 'clubland',
    }),
  };
}
