import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, setupGateway } from './setup.ts';

interface Answer {
  status: number;
  code: unknown;
  message: string;
}

/**
 * Requests from someone who has not yet learnt how to talk to /graphql (issue 28, item 6): each
 * gets BAD_REQUEST saying what to send, over real HTTP, and the README's way keeps working.
 */
describe.each([
  { graphiql: true, browserHint: /open \/graphiql/ },
  { graphiql: false, browserHint: /GraphiQL page is off/ },
])('confused requests to /graphql (GraphiQL on: $graphiql)', ({ graphiql, browserHint }) => {
  let harness: GatewayHarness;
  let url: string;

  beforeAll(async () => {
    harness = await setupGateway({ gateway: { graphiql } });
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await harness.close();
  });

  async function send(init: RequestInit, target = url): Promise<Answer> {
    const response = await fetch(target, init);
    const body = (await response.json()) as {
      errors?: { message: string; extensions?: { code?: unknown } }[];
    };
    expect(body.errors).toHaveLength(1);
    return {
      status: response.status,
      code: body.errors?.[0]?.extensions?.code,
      message: body.errors![0]!.message,
    };
  }
  const json = (body: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

  it('answers a query that is not a string with BAD_REQUEST saying it must be one', async () => {
    for (const query of ['5', '{"a":1}', '["{ __typename }"]', 'true']) {
      const answer = await send(json(`{"query": ${query}}`));
      expect(answer, query).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
      expect(answer.message).toMatch(/"query" must be a string holding the GraphQL document/);
    }
  });

  it('answers a body without a query with BAD_REQUEST asking for one', async () => {
    for (const body of ['{}', '{"variables": {}}', '{"query": ""}', '{"query": null}']) {
      const answer = await send(json(body));
      expect(answer, body).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
      expect(answer.message).toMatch(/no "query": send the GraphQL document as a string/);
    }
    const array = await send(json('[{"query": "{ __typename }"}]'));
    expect(array).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(array.message).toMatch(/one JSON object/);
    const getWithout = await send({ headers: { 'mercurius-require-preflight': 'true' } });
    expect(getWithout).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(getWithout.message).toMatch(/no `query`/);
  });

  it('names the content-type header to a POST sent as curl -d sends it, or as text', async () => {
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain']) {
      const answer = await send({
        method: 'POST',
        headers: { 'content-type': contentType },
        body: '{"query": "{ __typename }"}',
      });
      expect(answer, contentType).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
      expect(answer.message).toContain('`content-type: application/json`');
      expect(answer.message).toContain('cross-site request forgery');
    }
  });

  it('points a browser that opens /graphql to GraphiQL, or says it is off', async () => {
    const answer = await send({
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(answer).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(answer.message).toMatch(browserHint);
    // A program's GET without the header is told the header instead.
    const program = await send({ headers: { accept: 'application/json' } }, `${url}?query={__typename}`);
    expect(program.message).toContain('`mercurius-require-preflight: true`');
  });

  it("keeps the README's requests working: JSON POSTs, GETs with the header, persisted queries", async () => {
    for (const contentType of ['application/json', 'application/json; charset=utf-8']) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: JSON.stringify({ query: '{ __typename }', variables: null, operationName: null }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    }
    const byGet = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'mercurius-require-preflight': 'true' },
    });
    expect(await byGet.json()).toEqual({ data: { __typename: 'Query' } });
    // An automatic persisted query's hash alone is still Apollo's protocol, not a confused request.
    const hash = 'a'.repeat(64);
    const persisted = await send(
      json(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })),
    );
    expect(persisted).toMatchObject({ status: 200, code: 'PERSISTED_QUERY_NOT_FOUND' });
  });
});
