import type { AddressInfo } from 'node:net';
import { type ProofDocument, verifyLedgerProof } from '@clubland/ledger-verify';
import { createClient as createGraphqlWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Account, data, mobileOperation, reciprocalFixtures } from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Issue 31 through the API: a reciprocal fact made through GraphQL reaches the ledger service over
 * the bus, is sealed into a block, and comes back CONFIRMED (to the ledger's readers and to the
 * reciprocal service's copy); its proof verifies with @clubland/ledger-verify alone, for anyone,
 * while its payload stays with the entry's two clubs; the status subscription reaches those clubs'
 * staff only.
 */

const BLOCKCHAIN_TRANSACTION = `query($type: String!, $id: String!) {
  blockchainTransaction(entityType: $type, entityId: $id) {
    id txId entityType entityId status submittedAt confirmedAt blockNumber error
    type chaincode function args timestamp createdAt
  }
}`;
const LEDGER_PROOF = `query($txId: ID!) {
  ledgerProof(txId: $txId) {
    txId signature publicKey leafIndex auditPath document payload
    entry { txId entityKind entityId fact clubId counterpartyClubId payloadHash at keyId }
    block { number previousHash merkleRoot entryCount sealedAt hash }
  }
}`;
const VISIT_STATUS = `query($id: ID!) {
  visitBlockchainStatus(visitId: $id) { txId entityType entityId status blockNumber confirmedAt type chaincode }
}`;

interface Received {
  data: Record<
    string,
    { txId: string; status: string; blockNumber: number | null; [key: string]: unknown }
  >[];
  errors: unknown[];
}

describe('the ledger through the gateway', () => {
  let harness: GatewayHarness;
  let wsUrl: string;
  const clubs = { a: '', b: '', c: '' };
  let adminA: Account;
  let adminB: Account;
  let adminC: Account;
  let staffB: Account;
  let fixtures: ReturnType<typeof reciprocalFixtures>;
  let agreementId = '';
  /** The approval's entry: the newest about the agreement. */
  let approvalTx = '';

  beforeAll(async () => {
    harness = await setupGateway();
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    wsUrl = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/graphql`;
    fixtures = reciprocalFixtures(harness);
    clubs.a = await fixtures.club('Athenaeum');
    clubs.b = await fixtures.club('New Club');
    clubs.c = await fixtures.club('Carlton');
    adminA = await fixtures.account(clubs.a, { role: 'CLUB_ADMIN' });
    adminB = await fixtures.account(clubs.b, { role: 'CLUB_ADMIN' });
    adminC = await fixtures.account(clubs.c, { role: 'CLUB_ADMIN' });
    staffB = await fixtures.account(clubs.b, { role: 'STAFF' });
  });
  afterAll(() => harness?.close());

  function subscribe(token: string, query: string, variables: Record<string, unknown> = {}): Received {
    const client = createGraphqlWsClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const received: Received = { data: [], errors: [] };
    client.subscribe<Received['data'][number]>(
      { query, variables },
      {
        next: (message) => {
          if (message.data) received.data.push(message.data);
          if (message.errors) received.errors.push(message.errors);
        },
        error: (error) => received.errors.push(error),
        complete: () => undefined,
      },
    );
    disposers.push(() => client.dispose());
    return received;
  }
  const disposers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
  });

  async function until<T>(probe: () => Promise<T | undefined | null | false> | T, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const transactionOf = async (as: Account['as'], type: string, id: string) =>
    (await data(as(BLOCKCHAIN_TRANSACTION, { type, id }))).blockchainTransaction;

  const statusChanged = mobileOperation('subscriptions/transaction_status_changed');
  let subscribers: Record<'a' | 'b' | 'c' | 'admin', Received>;

  it('an agreement approved through GraphQL reaches the ledger and comes back CONFIRMED with a block number', async () => {
    subscribers = {
      // The mobile client's document, exactly as the app sends it (no txId: every entry it may follow).
      a: subscribe(adminA.token, statusChanged),
      b: subscribe(staffB.token, statusChanged),
      admin: subscribe(await harness.networkAdminToken(), statusChanged),
      c: subscribe(adminC.token, statusChanged),
    };
    await until(() => harness.subscriptionListenerCount('ledger.entry_status_changed') >= 4);

    const { createReciprocalAgreement: proposed } = await data(
      adminA.as(mobileOperation('reciprocal/create_reciprocal_agreement'), {
        input: {
          partnerClubId: clubs.b,
          agreementType: 'BILATERAL',
          effectiveDate: new Date().toISOString(),
          terms: {
            maxVisitsPerMonth: 4,
            reciprocalFee: 15,
            costSharing: { currency: 'GBP', guestFeeCovered: true, percentageCovered: 100 },
          },
        },
      }),
    );
    agreementId = proposed.id;
    await data(adminB.as(mobileOperation('reciprocal/approve_reciprocal_agreement'), { id: agreementId }));

    const confirmed = await until(async () => {
      const found = await transactionOf(adminA.as, 'agreement', agreementId);
      // Approved from today, the agreement is in force at once: its newest fact is its activation.
      return found?.type === 'agreement.activated' && found.status === 'CONFIRMED' ? found : null;
    });
    approvalTx = confirmed.txId;
    expect(confirmed).toEqual({
      id: approvalTx,
      txId: approvalTx,
      entityType: 'agreement',
      entityId: agreementId,
      status: 'CONFIRMED',
      submittedAt: expect.any(String),
      confirmedAt: expect.any(String),
      blockNumber: expect.any(Number),
      error: null,
      type: 'agreement.activated',
      chaincode: null,
      function: null,
      args: null,
      timestamp: confirmed.confirmedAt,
      createdAt: confirmed.submittedAt,
    });
    expect(confirmed.blockNumber).toBeGreaterThanOrEqual(0);
    expect(Date.parse(confirmed.confirmedAt)).toBeGreaterThanOrEqual(Date.parse(confirmed.submittedAt));
    // Anyone may know that it exists (C's admin, a caller with no token), as anyone may check its proof.
    expect(await transactionOf(adminC.as, 'agreement', agreementId)).toEqual(confirmed);
    expect(await transactionOf(harness.post, 'agreement', agreementId)).toEqual(confirmed);
  });

  it('the subscription delivers each status change to the entry’s clubs’ staff and network admins only', async () => {
    // Every entry (proposed, approved, activated), each SUBMITTED then CONFIRMED.
    const stepsOfApproval = (received: Received) =>
      received.data.filter(({ transactionStatusChanged: step }) => step?.txId === approvalTx).length;
    for (const who of ['a', 'b', 'admin'] as const) {
      await until(() => subscribers[who].data.length >= 6 && stepsOfApproval(subscribers[who]) >= 2);
    }
    const steps = (received: Received) =>
      received.data.map(({ transactionStatusChanged: step }) => `${step?.txId}:${step?.status}`);
    const approval = subscribers.a.data
      .map(({ transactionStatusChanged: step }) => step!)
      .filter((step) => step.txId === approvalTx);
    expect(approval.map((step) => step.status)).toEqual(['SUBMITTED', 'CONFIRMED']);
    // The mobile document's fields, honestly filled for the embedded ledger.
    expect(approval[1]).toEqual({
      id: approvalTx,
      type: 'agreement.activated',
      chaincode: null,
      function: null,
      args: null,
      status: 'CONFIRMED',
      txId: approvalTx,
      blockNumber: expect.any(Number),
      timestamp: expect.any(String),
      error: null,
      createdAt: expect.any(String),
    });
    expect(approval[0]?.blockNumber).toBeNull();
    expect(steps(subscribers.b)).toEqual(steps(subscribers.a));
    expect(steps(subscribers.admin)).toEqual(steps(subscribers.a));
    // Give a wrongly delivered message time to arrive before asserting there was none.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subscribers.c.data).toEqual([]);
    expect(subscribers.c.errors).toEqual([]);
  });

  async function proofAs(as: Account['as'], txId: string) {
    return (await data(as(LEDGER_PROOF, { txId }))).ledgerProof;
  }

  it('ledgerProof verifies with verifyLedgerProof; the payload is for the entry’s parties only', async () => {
    const forA = await proofAs(adminA.as, approvalTx);
    const document = forA.document as ProofDocument;
    expect(forA.txId).toBe(approvalTx);
    expect(forA.entry).toEqual({ ...document.entry });
    expect(forA.block).toEqual(document.block);
    expect(forA.auditPath).toEqual(document.auditPath);
    expect(document).not.toHaveProperty('payload');
    expect(document.entry).toMatchObject({
      txId: approvalTx,
      entityKind: 'agreement',
      entityId: agreementId,
      fact: 'agreement.activated',
    });
    expect([document.entry.clubId, document.entry.counterpartyClubId].sort()).toEqual(
      [clubs.a, clubs.b].sort(),
    );
    // A party holds the payload, and it is the one the entry's hash stands for.
    expect(JSON.parse(forA.payload)).toMatchObject({ agreementId, to: 'ACTIVE' });
    expect(verifyLedgerProof(document, { payload: forA.payload })).toEqual({ ok: true });
    expect((await proofAs(staffB.as, approvalTx)).payload).toBe(forA.payload);
    expect((await proofAs(harness.asNetworkAdmin, approvalTx)).payload).toBe(forA.payload);

    // C (and anyone without a token) gets the same proof, which verifies, and no payload.
    for (const as of [adminC.as, harness.post]) {
      const outsider = await proofAs(as, approvalTx);
      expect(outsider.payload).toBeNull();
      expect(outsider.document).toEqual(document);
      expect(verifyLedgerProof(outsider.document)).toEqual({ ok: true });
    }
    // A proof says what it proves: another fact, or another payload, does not verify.
    expect(
      verifyLedgerProof({ ...document, entry: { ...document.entry, fact: 'agreement.rejected' } }).ok,
    ).toBe(false);
    expect(verifyLedgerProof(document, { payload: forA.payload.replace('ACTIVE', 'EXPIRED') }).ok).toBe(
      false,
    );
    // Unknown, or not an id at all: no proof.
    expect(await proofAs(adminA.as, '0190a3a0-0000-7000-8000-000000000000')).toBeNull();
    expect(await proofAs(adminA.as, 'not-a-tx')).toBeNull();
  });

  it('GET /ledger/proofs/:txId answers anyone, with the payload for a party only, and 404s an unknown id', async () => {
    const get = (txId: string, token?: string) =>
      harness.app.inject({
        method: 'GET',
        url: `/ledger/proofs/${txId}`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    const anonymous = await get(approvalTx);
    expect(anonymous.statusCode).toBe(200);
    const document = anonymous.json() as ProofDocument & { payload?: string };
    expect(document).not.toHaveProperty('payload');
    expect(verifyLedgerProof(document)).toEqual({ ok: true });
    expect(anonymous.headers['cache-control']).toContain('public');

    const forC = (await get(approvalTx, adminC.token)).json();
    expect(forC).toEqual(document);

    const forA = await get(approvalTx, adminA.token);
    expect(forA.headers['cache-control']).toBe('private, no-store');
    const withPayload = forA.json() as ProofDocument & { payload: string };
    expect(JSON.parse(withPayload.payload)).toMatchObject({ agreementId });
    expect(verifyLedgerProof(withPayload, { payload: withPayload.payload })).toEqual({ ok: true });

    for (const unknown of ['0190a3a0-0000-7000-8000-000000000000', 'nothing-here']) {
      const missing = await get(unknown);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    }

    const openapi = (await harness.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(openapi.paths['/ledger/proofs/{txId}'].get.responses).toHaveProperty('200');
    expect(openapi.paths['/ledger/proofs/{txId}'].get.responses).toHaveProperty('404');
  });

  it('visitBlockchainStatus shows the block and confirmation once the ledger has confirmed the visit; its steps reach A and B only', async () => {
    // One entry by txId: the agreement's approval, final already, so nothing more comes for it.
    const onApproval = subscribe(
      adminA.token,
      'subscription($txId: ID) { transactionStatusChanged(txId: $txId) { txId status } }',
      { txId: approvalTx },
    );
    const cOnApproval = subscribe(
      adminC.token,
      'subscription($txId: ID) { transactionStatusChanged(txId: $txId) { txId status } }',
      { txId: approvalTx },
    );
    await until(() => harness.subscriptionListenerCount('ledger.entry_status_changed') >= 6);
    const before = { a: subscribers.a.data.length, b: subscribers.b.data.length };
    const member = await fixtures.member(clubs.a, adminA.as, {
      memberNumber: 'ATH-1831',
      firstName: 'Charles',
      lastName: 'Babbage',
    });
    // The member service learns of the agreement from its event: asked until it has.
    const recordVisit = () =>
      staffB.as(mobileOperation('bookings/record_visit'), {
        input: { memberId: member.memberId, visitingClubId: clubs.b, purpose: 'Dinner', guestCount: 0 },
      });
    const { body } = await until(async () => {
      const answer = await recordVisit();
      return answer.body.data?.recordVisit ? answer : null;
    });
    const visitId: string = body.data!.recordVisit.id;
    const status = await until(async () => {
      const { visitBlockchainStatus } = await data(staffB.as(VISIT_STATUS, { id: visitId }));
      return visitBlockchainStatus?.status === 'CONFIRMED' ? visitBlockchainStatus : null;
    });
    expect(status).toEqual({
      txId: expect.any(String),
      entityType: 'visit',
      entityId: visitId,
      status: 'CONFIRMED',
      blockNumber: expect.any(Number),
      confirmedAt: expect.any(String),
      type: 'visit.checked_in',
      chaincode: null,
    });
    // The reciprocal service's copy and the ledger agree.
    const onLedger = await transactionOf(staffB.as, 'visit', visitId);
    expect(onLedger).toMatchObject({
      txId: status.txId,
      blockNumber: status.blockNumber,
      status: 'CONFIRMED',
    });

    // The visit's entry (B hosts, A is home) reached both clubs' subscribers, step by step; C
    // heard nothing, and a subscriber to another entry heard nothing of this one.
    const stepsOf = (received: Received, from: number) =>
      received.data
        .slice(from)
        .map(({ transactionStatusChanged: step }) => step!)
        .filter((step) => step.txId === status.txId)
        .map((step) => step.status);
    await until(
      () => stepsOf(subscribers.a, before.a).length >= 2 && stepsOf(subscribers.b, before.b).length >= 2,
    );
    expect(stepsOf(subscribers.a, before.a)).toEqual(['SUBMITTED', 'CONFIRMED']);
    expect(stepsOf(subscribers.b, before.b)).toEqual(['SUBMITTED', 'CONFIRMED']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subscribers.c.data).toEqual([]);
    expect(onApproval.data).toEqual([]);
    expect(cOnApproval.data).toEqual([]);
  });
});
