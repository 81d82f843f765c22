import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, login, type RunningClubland, startClubland } from './clubland-process.ts';

// The first-run experience is the embedded default's: no server of any kind.
const embedded = { DATABASE_URL: undefined, NATS_URL: undefined, REDIS_URL: undefined };
const CLUB_COUNT = '{ clubs { pageInfo { totalCount } } }';
const ROSTER =
  '{ members(pagination: {pageSize: 50}) { pageInfo { totalCount } nodes { memberNumber email } } }';

/** Waits until the process has printed the banner (it follows the gateway's start). */
async function banner(running: RunningClubland): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (!running.output().includes('club admin:')) {
    if (Date.now() > deadline) throw new Error(`no banner:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return running.output();
}

function printedLogin(output: string, label: string): { email: string; password: string } {
  const match = new RegExp(`${label}:\\s+(\\S+@\\S+) / (\\S+)`).exec(output);
  if (!match) throw new Error(`no ${label} login in:\n${output}`);
  return { email: match[1]!, password: match[2]! };
}

describe('npm start on an empty data directory', () => {
  let dataDir: string;
  const running: RunningClubland[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-first-run-'));
  });
  afterAll(async () => {
    for (const process of running) await process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds the demo network once: the printed logins work, and a restart keeps what was added', async () => {
    const first = await startClubland({ ...embedded, CLUBLAND_DATA_DIR: dataDir });
    running.push(first);
    const output = await banner(first);
    const port = new URL(first.url).port;
    expect(output).toContain(`GraphQL:     http://localhost:${port}/graphql`);
    expect(output).toContain(`GraphiQL:    http://localhost:${port}/graphiql`);
    expect(output).toContain('{ me { email roles } myClub { name location } }');

    // The printed member: who am I, and which club is mine.
    const member = printedLogin(output, 'member');
    const memberToken = await login(first.url, member.email, member.password);
    const me = await graphql<{
      me: { email: string; clubId: string; roles: string[] };
      myClub: { id: string; name: string };
    }>(first.url, '{ me { email clubId roles } myClub { id name } }', {}, memberToken);
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toMatchObject({ email: member.email, roles: ['MEMBER'] });
    expect(me.data?.myClub.id).toBe(me.data?.me.clubId);

    // The printed club admin lists that club's members, and adds one.
    const admin = printedLogin(output, 'club admin');
    const adminToken = await login(first.url, admin.email, admin.password);
    const roster = await graphql<{
      members: { pageInfo: { totalCount: number }; nodes: { email: string }[] };
    }>(first.url, ROSTER, {}, adminToken);
    expect(roster.errors).toBeUndefined();
    expect(roster.data?.members.nodes.map((m) => m.email)).toContain(member.email);
    const membersBefore = roster.data!.members.pageInfo.totalCount;
    const added = await graphql(
      first.url,
      'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }',
      {
        input: {
          memberNumber: 'E2E-0001',
          firstName: 'Added',
          lastName: 'Between',
          email: 'added.between@example.org',
          membershipType: 'REGULAR',
        },
      },
      adminToken,
    );
    expect(added.errors).toBeUndefined();
    const clubs = (await graphql<{ clubs: { pageInfo: { totalCount: number } } }>(first.url, CLUB_COUNT))
      .data;
    expect(clubs?.clubs.pageInfo.totalCount).toBeGreaterThanOrEqual(4);
    expect(await first.stop()).toBe(0);
    running.pop();

    // Again on the same data: no second demo network, nothing lost.
    const second = await startClubland({ ...embedded, CLUBLAND_DATA_DIR: dataDir });
    running.push(second);
    // The restart's banner: the same URLs and logins, without seeding or the first start's tutorial.
    const again = await banner(second);
    expect(again).toContain('seeded earlier');
    expect(again).not.toContain('Try it:');
    expect(printedLogin(again, 'member')).toEqual(member);
    expect((await graphql<typeof clubs>(second.url, CLUB_COUNT)).data).toEqual(clubs);
    const after = await graphql<{
      members: { pageInfo: { totalCount: number }; nodes: { memberNumber: string }[] };
    }>(second.url, ROSTER, {}, await login(second.url, admin.email, admin.password));
    expect(after.data?.members.pageInfo.totalCount).toBe(membersBefore + 1);
    expect(after.data?.members.nodes.map((m) => m.memberNumber)).toContain('E2E-0001');
    await login(second.url, member.email, member.password);
  }, 300_000);
});

describe('when the demo network is not seeded at start', () => {
  let testDb: TestDb | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    if (process.env.DATABASE_URL) testDb = await createTestDb();
  });
  afterAll(async () => {
    await testDb?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function clubsAfterStart(env: Record<string, string | undefined>, args?: string[]): Promise<number> {
    const dataDir = mkdtempSync(join(tmpdir(), 'clubland-no-demo-'));
    dirs.push(dataDir);
    const running = await startClubland(
      { ...embedded, CLUBLAND_DATA_DIR: dataDir, ...env },
      args ? { args } : {},
    );
    try {
      expect(running.output()).not.toContain('club admin:');
      const answer = await graphql<{ clubs: { pageInfo: { totalCount: number } } }>(running.url, CLUB_COUNT);
      return answer.data!.clubs.pageInfo.totalCount;
    } finally {
      expect(await running.stop()).toBe(0);
    }
  }

  it('seeds nothing with --no-demo, nor with CLUBLAND_DEMO=false', async () => {
    expect(await clubsAfterStart({}, ['start', '--no-demo'])).toBe(0);
    expect(await clubsAfterStart({ CLUBLAND_DEMO: 'false' })).toBe(0);
  }, 300_000);

  it.skipIf(!process.env.DATABASE_URL)(
    'seeds nothing on PostgreSQL (DATABASE_URL) without the explicit command',
    async () => {
      expect(await clubsAfterStart({ DATABASE_URL: testDb?.url, DATABASE_OWNER_URL: testDb?.ownerUrl })).toBe(
        0,
      );
    },
    300_000,
  );
});
