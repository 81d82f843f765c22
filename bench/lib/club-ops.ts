// What the club-operations benchmarks (bench/availability.ts, bench/bookings.ts) share: a club with
// its administrator and facilities made through the API, members inserted as the owner (the
// front desk's bench inserts its visitors the same way).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { startClublandForBench } from './clubland.ts';

export type Clubland = Awaited<ReturnType<typeof startClublandForBench>>;

const PASSWORD = 'correct horse battery staple';

/** A club in `timezone` with its administrator (CLUB_ADMIN: facility and booking management), signed in. */
export async function clubWithAdmin(clubland: Clubland, timezone: string) {
  const admin = await clubland.adminToken();
  const { createClub } = await clubland.graphql<{ createClub: { id: string } }>(
    'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
    {
      input: {
        name: 'Bench Club',
        slug: `bench-${randomBytes(3).toString('hex')}`,
        timezone,
        currency: 'GBP',
      },
    },
    admin,
  );
  const email = `club-admin-${randomBytes(4).toString('hex')}@example.org`;
  const { register } = await clubland.graphql<{ register: { user: { id: string } } }>(
    'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
    { input: { email, password: PASSWORD, clubId: createClub.id, firstName: 'Club', lastName: 'Admin' } },
  );
  await clubland.graphql(
    'mutation($userId: ID!, $clubId: ID) { grantRole(userId: $userId, role: "CLUB_ADMIN", clubId: $clubId) { id } }',
    { userId: register.user.id, clubId: createClub.id },
    admin,
  );
  return { clubId: createClub.id, networkAdmin: admin, token: await login(clubland, email) };
}

export async function login(clubland: Clubland, email: string): Promise<string> {
  const { login } = await clubland.graphql<{ login: { token: string } }>(
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: { email, password: PASSWORD } },
  );
  return login.token;
}

/**
 * A member of the club with an account, made through the API (register, createMember linked to the
 * account, activateMember), its email marked verified by the owner; `signIn` until a token carries the MEMBER grant (the auth service hears of the record
 * by its event).
 */
export async function memberAccount(
  clubland: Clubland,
  clubId: string,
  networkAdmin: string,
  ownerUrl: string,
): Promise<{ signIn(): Promise<string> }> {
  const email = `member-${randomBytes(4).toString('hex')}@example.org`;
  const { register } = await clubland.graphql<{ register: { user: { id: string } } }>(
    'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
    { input: { email, password: PASSWORD, clubId, firstName: 'Ada', lastName: 'Bench' } },
  );
  const { createMember } = await clubland.graphql<{ createMember: { id: string } }>(
    'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }',
    {
      input: {
        clubId,
        userId: register.user.id,
        memberNumber: 'A0001',
        firstName: 'Ada',
        lastName: 'Bench',
        email,
        membershipType: 'REGULAR',
      },
    },
    networkAdmin,
  );
  await clubland.graphql(
    'mutation($id: ID!, $clubId: ID) { activateMember(id: $id, clubId: $clubId) { id } }',
    { id: createMember.id, clubId },
    networkAdmin,
  );
  // The bench has no mailbox to follow the verification link from: the owner marks the email verified.
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query('UPDATE auth.users SET email_verified_at = now() WHERE email = $1', [email]);
  await owner.end();
  return { signIn: () => login(clubland, email) };
}

/** `count` facilities through createFacility, a few requests at a time; their ids in order. */
export async function createFacilities(
  clubland: Clubland,
  token: string,
  clubId: string,
  count: number,
  settings: Record<string, unknown>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let next = 0; next < count; next += 8) {
    const batch = Array.from({ length: Math.min(8, count - next) }, (_, i) => next + i);
    const made = await Promise.all(
      batch.map((n) =>
        clubland.graphql<{ createFacility: { id: string } }>(
          'mutation($input: CreateFacilityInput!) { createFacility(input: $input) { id } }',
          {
            input: {
              clubId,
              name: `Court ${n + 1}`,
              type: 'TENNIS_COURT',
              amenities: [],
              ...settings,
            },
          },
          token,
        ),
      ),
    );
    ids.push(...made.map((answer) => answer.createFacility.id));
  }
  return ids;
}

/** Runs `work` as the owner in one transaction under the club's tenant. */
export async function asOwner<T>(
  ownerUrl: string,
  clubId: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [clubId]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end();
  }
}

/**
 * `count` ACTIVE REGULAR members <prefix>0…<prefix><count-1> (member numbers) of the club, inserted
 * as the owner; their ids in order.
 */
export async function insertMembers(
  ownerUrl: string,
  clubId: string,
  count: number,
  prefix = 'M',
): Promise<string[]> {
  return asOwner(ownerUrl, clubId, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO member.members (id, club_id, member_number, membership_type, status, first_name, last_name,
         preferences, joined_at, ledger_identity, created_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, $3 || n, 'REGULAR', 'ACTIVE', 'Booker', 'No. ' || n,
         '{"receiveNewsletter":false,"receivePromotions":false,"allowDataSharing":false,"preferredLanguage":"en","dietaryRestrictions":[],"interests":[]}',
         now(), 'did:clubland:member:bench-' || $1::text || '-' || n, now(), now()
       FROM generate_series(0, $2::int - 1) AS n
       ORDER BY n
       RETURNING id`,
      [clubId, count, prefix],
    );
    return rows.map((row) => row.id);
  });
}

/** BENCH_LOG_STATEMENTS=1: PostgreSQL logs every statement of the database with its duration. */
export async function logStatements(ownerUrl: string): Promise<void> {
  if (!process.env.BENCH_LOG_STATEMENTS) return;
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query(
    `ALTER DATABASE ${new URL(ownerUrl).pathname.slice(1)} SET log_min_duration_statement = 0`,
  );
  await owner.end();
}

/** YYYY-MM-DD of the UTC day `days` after today. */
export function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
