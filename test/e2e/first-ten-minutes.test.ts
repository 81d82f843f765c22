import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningClubland, repoRoot, startClubland } from './clubland-process.ts';

const SCRIPT = join(repoRoot, 'scripts', 'first-ten-minutes.sh');

/** The commands between the README's first-ten-minutes markers, without the code fence. */
function readmeCommands(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = /<!-- first-ten-minutes:start -->\n```sh\n([\s\S]*?)```\n<!-- first-ten-minutes:end -->/.exec(
    readme,
  );
  if (!block) throw new Error('README.md has no first-ten-minutes block');
  return block[1]!;
}

describe('the first-ten-minutes script without a server', () => {
  it('says that Clubland is not running and how to start it, exit 1', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const failure = await promisify(execFile)('sh', [SCRIPT], {
      env: { ...process.env, CLUBLAND_URL: closed },
    }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stdout: '' });
    expect(failure?.stderr).toContain(`Clubland is not running at ${closed}`);
    expect(failure?.stderr).toContain('npm start');
  });
});

/** The README's "First ten minutes", executed as written against a fresh embedded instance. */
describe('the README’s first ten minutes', () => {
  let dataDir: string;
  let clubland: RunningClubland;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-ten-minutes-'));
    clubland = await startClubland({
      DATABASE_URL: undefined,
      NATS_URL: undefined,
      REDIS_URL: undefined,
      CLUBLAND_DATA_DIR: dataDir,
    });
  });
  afterAll(async () => {
    await clubland?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows scripts/first-ten-minutes.sh verbatim', () => {
    expect(readmeCommands()).toBe(readFileSync(SCRIPT, 'utf8'));
  });

  async function runScript() {
    const { stdout, stderr } = await promisify(execFile)('sh', [SCRIPT], {
      env: { ...process.env, CLUBLAND_URL: clubland.url },
    });
    expect(stderr).toBe('');
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  }

  const ADA_AT_THE_DESK = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    homeClubName: 'The Pall Mall Club',
    membershipType: 'REGULAR',
    standing: 'ACTIVE',
  };
  // £25 guest fee paid by her home club, £18.50 at the bar paid by Ada: the demo agreement's terms.
  const CHECKED_OUT = {
    data: {
      checkOutVisit: {
        status: 'CHECKED_OUT',
        costs: {
          guestFee: 25,
          foodBeverage: 18.5,
          total: 43.5,
          currency: 'GBP',
          homeClubShare: 25,
          memberShare: 18.5,
        },
      },
    },
  };

  type CourtBooked = { data: { createFacilityBooking: { id: string; startTime: string; endTime: string } } };

  /** The first free hour on the Pall Mall Club's tennis court tomorrow: booked, then cancelled. */
  function expectCourtBookedAndCancelled(booked: CourtBooked, cancelled: unknown): string {
    expect(booked).toEqual({
      data: {
        createFacilityBooking: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          startTime: expect.any(String),
          endTime: expect.any(String),
          status: 'CONFIRMED',
          guestCount: 1,
          facility: { name: 'The Tennis Court', type: 'TENNIS_COURT' },
        },
      },
    });
    const { id, startTime, endTime } = booked.data.createFacilityBooking;
    expect(Date.parse(endTime) - Date.parse(startTime)).toBe(60 * 60_000);
    // Tomorrow (the UTC day the script names) as London's day, on the hour, inside the court's hours.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const [day, hour] = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/London',
      dateStyle: 'short',
      timeStyle: 'short',
    })
      .format(new Date(startTime))
      .split(' ');
    expect(day).toBe(tomorrow);
    expect(hour).toMatch(/^(0[7-9]|1\d|20):00$/);
    expect(cancelled).toEqual({
      data: { cancelFacilityBooking: { id, status: 'CANCELLED', cancellationReason: 'Rained off' } },
    });
    return startTime;
  }

  let firstSlot: string;

  it('signs in as the demo member (me, myClub), as the club admin (the member list), checks the member in and out at a partner club’s desk, and books her a court at home', async () => {
    const [me, members, verified, checkedIn, checkedOut, booked, cancelled, inbox, governance] =
      await runScript();
    expect(me).toEqual({
      data: {
        me: { email: 'ada.lovelace@demo.clubland.test', roles: ['MEMBER'] },
        myClub: { name: 'The Pall Mall Club', location: 'London, United Kingdom' },
      },
    });
    expect(members.errors).toBeUndefined();
    // Four members, and Henry himself, the club's officer (an honorary member).
    expect(members.data.members.pageInfo.totalCount).toBe(5);
    expect(members.data.members.nodes).toContainEqual({
      memberNumber: 'PMC-0001',
      firstName: 'Ada',
      lastName: 'Lovelace',
      membershipType: 'REGULAR',
      status: 'ACTIVE',
    });
    // The Knickerbocker's desk: allowed, her approved letter covering today, the projection only.
    expect(verified).toEqual({
      data: {
        verifyVisitor: {
          allowed: true,
          reasons: [],
          letterId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          visitor: ADA_AT_THE_DESK,
        },
      },
    });
    expect(checkedIn).toEqual({
      data: {
        checkIn: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          status: 'CHECKED_IN',
          hostClub: { name: 'The Knickerbocker Union' },
        },
      },
    });
    expect(checkedOut).toEqual(CHECKED_OUT);
    firstSlot = expectCourtBookedAndCancelled(booked, cancelled);
    // Her inbox holds the demo's welcome announcement, unread.
    expect(inbox.errors).toBeUndefined();
    expect(inbox.data.notifications.nodes).toContainEqual(
      expect.objectContaining({ title: 'Welcome to the Clubland demo' }),
    );
    expect(inbox.data.unreadNotificationCount).toBeGreaterThanOrEqual(1);
    // The network's votes, as Henry sees them: not the Cercle's draft; his club's YAY with its comment.
    expect(governance.errors).toBeUndefined();
    expect(governance.data.proposals.nodes).toEqual([
      {
        title: 'Admit golf clubs to the network',
        status: 'REJECTED',
        votingMethod: 'TWO_THIRDS_MAJORITY',
        totalVotes: 4,
        votesYay: 2,
        votesNay: 2,
        votesAbstain: 0,
      },
      {
        title: 'One guest fee across the network',
        status: 'VOTING_OPEN',
        votingMethod: 'SIMPLE_MAJORITY',
        totalVotes: 3,
        votesYay: 2,
        votesNay: 0,
        votesAbstain: 1,
      },
    ]);
    expect(governance.data.myVotes.nodes).toEqual([
      { voteValue: 'NAY', comments: 'Our members come for the library, not the links.' },
      { voteValue: 'YAY', comments: 'Simpler for members and for settlement.' },
    ]);
  });

  it('runs again: a second visit, the letter used by the first; the same court slot, free again', async () => {
    const [, , verified, checkedIn, checkedOut, booked, cancelled] = await runScript();
    expect(verified).toEqual({
      data: { verifyVisitor: { allowed: true, reasons: [], letterId: null, visitor: ADA_AT_THE_DESK } },
    });
    expect(checkedIn.data.checkIn.status).toBe('CHECKED_IN');
    expect(checkedOut).toEqual(CHECKED_OUT);
    expect(expectCourtBookedAndCancelled(booked, cancelled)).toBe(firstSlot);
  });
});
