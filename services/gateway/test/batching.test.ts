import type { Transport } from '@connectrpc/connect';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClubLoader } from '../src/resolvers/clubs.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * N+1: a list of N members with their clubs costs the same RPC calls for any N, counted on the
 * real in-memory transport between the gateway and the member service. Each DataLoader batch is
 * one trace span.
 */
const calls = new Map<string, number>();
const counted = (transport: Transport): Transport => ({
  unary(method, ...rest) {
    calls.set(method.name, (calls.get(method.name) ?? 0) + 1);
    return transport.unary(method, ...rest);
  },
  stream: (...args) => transport.stream(...args),
});

const spans = new InMemorySpanExporter();

const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';
const CREATE_MEMBER = 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }';
const ROSTER = `query($clubId: ID, $pageSize: Int) {
  members(clubId: $clubId, pagination: { pageSize: $pageSize }) {
    nodes { id clubId club { id name slug address { city } } }
  }
}`;

describe('batching: nested clubs cost a constant number of calls', () => {
  let harness: GatewayHarness;
  let admin: (query: string, variables?: Record<string, unknown>) => ReturnType<GatewayHarness['post']>;
  const clubs: string[] = [];
  const firstMembers: string[] = [];

  beforeAll(async () => {
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
    // The instance's club cache off: every request's clubs come from the registry, batched.
    harness = await setupGateway({
      wrapMemberTransport: counted,
      gateway: { limits: { clubCacheTtlMs: 0 } },
    });
    admin = harness.as(await harness.networkAdminToken());
    for (const name of ['Reform', 'Athenaeum', 'Travellers']) {
      const { body } = await admin(CREATE_CLUB, {
        input: { name: `The ${name}`, slug: `${name.toLowerCase()}-batch` },
      });
      clubs.push(body.data?.createClub.id);
    }
    for (const [index, clubId] of clubs.entries()) {
      const count = index === 0 ? 25 : 1;
      for (let n = 0; n < count; n++) {
        const { body } = await admin(CREATE_MEMBER, {
          input: {
            clubId,
            memberNumber: `M${index}-${n}`,
            firstName: 'Member',
            lastName: `${index}-${n}`,
            email: `m${index}-${n}@example.org`,
            membershipType: 'REGULAR',
          },
        });
        if (n === 0) firstMembers.push(body.data?.createMember.id);
      }
    }
  });
  afterAll(async () => {
    await harness.close();
    trace.disable();
  });
  beforeEach(() => {
    calls.clear();
    spans.reset();
  });

  async function roster(pageSize: number) {
    const { body } = await admin(ROSTER, { clubId: clubs[0], pageSize });
    expect(body.errors).toBeUndefined();
    return body.data?.members.nodes as { clubId: string; club: { id: string; name: string } }[];
  }

  it('lists 3 and 25 members with their clubs in the same calls: one list, one club batch, one profile batch', async () => {
    const three = await roster(3);
    expect(three).toHaveLength(3);
    expect(three.every((member) => member.club.id === clubs[0] && member.club.name === 'The Reform')).toBe(
      true,
    );
    const forThree = Object.fromEntries(calls);

    calls.clear();
    const twentyFive = await roster(25);
    expect(twentyFive).toHaveLength(25);
    expect(Object.fromEntries(calls)).toEqual(forThree);
    expect(forThree).toEqual({ ListMembers: 1, BatchGetClubs: 1, GetClubProfiles: 1 });
  });

  it('traces each batch as one span with its size', async () => {
    await roster(25);
    const batches = spans.getFinishedSpans().filter((span) => span.name.startsWith('dataloader '));
    expect(batches.map((span) => [span.name, span.attributes['clubland.batch.size']])).toEqual([
      ['dataloader clubs.batchGetClubs', 1],
      ['dataloader directory.getClubProfiles', 1],
    ]);
  });

  it('batches the clubs asked for in one tick into one call, whichever clubs they are', async () => {
    // The gateway's loader over the real registry client, its calls counted on the way.
    const asked: string[][] = [];
    const registry = new Proxy(harness.clubRegistry, {
      get(target, name, receiver) {
        if (name !== 'batchGetClubs') return Reflect.get(target, name, receiver);
        return (request: { ids: string[] }) => {
          asked.push([...request.ids]);
          return target.batchGetClubs(request);
        };
      },
    });
    const loader = createClubLoader(registry, { cache: true });
    const found = await Promise.all([...clubs, clubs[0]!].map((id) => loader.load(id)));
    expect(found.map((club) => club?.name)).toEqual([
      'The Reform',
      'The Athenaeum',
      'The Travellers',
      'The Reform',
    ]);
    expect(asked).toEqual([clubs]);
  });

  it('answers members of different clubs, each with its own club', async () => {
    // Separate root fields resolve at their own pace, so their clubs may come in one batch or more.
    const selections = firstMembers
      .map((id, i) => `m${i}: member(id: "${id}", clubId: "${clubs[i]}") { club { name } }`)
      .join('\n');
    const { body } = await admin(`{ ${selections} }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      m0: { club: { name: 'The Reform' } },
      m1: { club: { name: 'The Athenaeum' } },
      m2: { club: { name: 'The Travellers' } },
    });
    expect(calls.get('BatchGetClubs')).toBeLessThanOrEqual(3);
  });
});

describe('the club cache shared by requests of one gateway instance', () => {
  let harness: GatewayHarness;
  let admin: (query: string, variables?: Record<string, unknown>) => ReturnType<GatewayHarness['post']>;
  let clubId: string;

  beforeAll(async () => {
    harness = await setupGateway({ wrapMemberTransport: counted });
    admin = harness.as(await harness.networkAdminToken());
    const club = await admin(CREATE_CLUB, { input: { name: 'The Reform', slug: 'reform-cache' } });
    clubId = club.body.data?.createClub.id;
    await admin(CREATE_MEMBER, {
      input: {
        clubId,
        memberNumber: 'C1',
        firstName: 'Cached',
        lastName: 'Member',
        email: 'cached@example.org',
        membershipType: 'REGULAR',
      },
    });
  });
  afterAll(async () => {
    await harness.close();
  });

  async function roster(pageSize: number) {
    const { body } = await admin(ROSTER, { clubId, pageSize });
    expect(body.errors).toBeUndefined();
    return body.data?.members.nodes as { club: { name: string } }[];
  }

  it("answers a later request's clubs from the instance's club cache, and forgets a club when it changes", async () => {
    await roster(1);
    calls.clear();
    const again = await roster(1);
    expect(calls.get('BatchGetClubs')).toBeUndefined();
    expect(again[0]?.club.name).toBe('The Reform');

    const renamed = await admin(
      'mutation($id: ID!) { updateClub(id: $id, input: { name: "The Reform Club" }) { name } }',
      {
        id: clubId,
      },
    );
    expect(renamed.body.errors).toBeUndefined();
    // The club.updated event reaches this instance's consumer through the outbox and the bus.
    const started = Date.now();
    let name = '';
    while (name !== 'The Reform Club' && Date.now() - started < 5_000) {
      name = (await roster(1))[0]?.club.name ?? '';
    }
    expect(name).toBe('The Reform Club');
  });
});
