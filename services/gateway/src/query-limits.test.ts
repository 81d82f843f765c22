import { loadSchemaSdl } from '@clubland/contract/graphql';
import type { OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphql } from './graphql-runtime.ts';
import {
  defaultQueryLimits,
  MAX_INTROSPECTION_DEPTH,
  type QueryLimits,
  queryLimitRules,
} from './query-limits.ts';
import { createShapeMeasurer, WalkBudgetExceeded } from './query-shape.ts';

const { buildSchema, getIntrospectionQuery, parse, validate, TypeInfo, ValidationContext } = graphql;
const schema = buildSchema(loadSchemaSdl());

/** The limit errors graphql-js reports for a document under our rules alone. */
function refusals(source: string, limits: Partial<QueryLimits> = {}, introspection = false) {
  const rules = queryLimitRules({ ...defaultQueryLimits, ...limits }, { introspection });
  return validate(schema, parse(source), rules)
    .map((error): Record<string, unknown> => ({ message: error.message, ...error.extensions }))
    .filter((error) => 'limit' in error);
}

/**
 * CPU milliseconds `work` took. Not wall-clock: on a machine busy with other work a call waits for
 * the CPU as long as it computes, and these tests are about the work the walk does.
 */
function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
}

function fanOut(levels: number): string {
  const fragments = ['fragment f0 on Query { __typename }'];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment f${i} on Query { ...f${i - 1} ...f${i - 1} }`);
  return `{ ...f${levels} }\n${fragments.join('\n')}`;
}

describe('the cost and depth walk', () => {
  it('measures a fragment fan-out of 25 and 200 levels in milliseconds, the 25 exactly', () => {
    // The first validation in a process pays for loading and compiling graphql-js's rules.
    refusals(fanOut(3));
    for (const levels of [25, 200]) {
      let cost: Record<string, unknown> | undefined;
      expect(cpuMs(() => ([cost] = refusals(fanOut(levels))))).toBeLessThan(50);
      expect(cost).toMatchObject({ limit: 'cost', max: 5000 });
      if (levels === 25) expect(cost?.actual).toBe(2 ** 25);
      else expect(cost?.actual).toBe(Number.MAX_SAFE_INTEGER);
    }
  });

  it('visits each fragment once per page size it inherits (a budget of 1,000 steps is plenty)', () => {
    const document = parse(fanOut(200));
    const context = new ValidationContext(schema, document, new TypeInfo(schema), () => undefined);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const root = schema.getQueryType();
    if (!root) throw new Error('the schema has no Query type');
    const linear = createShapeMeasurer(context, { exemptIntrospection: false, maxSteps: 1000 });
    expect(linear.measure(operation.selectionSet, root).depth).toBe(1);
    const tight = createShapeMeasurer(context, { exemptIntrospection: false, maxSteps: 100 });
    expect(() => tight.measure(operation.selectionSet, root)).toThrow(WalkBudgetExceeded);
  });

  it('refuses a document whose walk would pass its step budget, in milliseconds', () => {
    // One fragment of 300 lists under 200 different page sizes: 120,000 steps in under 5,000 tokens
    // (the budget: 4 per token, 20,000).
    const lists = Array.from({ length: 300 }, (_, i) => `n${i}: nodes { id }`).join(' ');
    const spreads = Array.from(
      { length: 200 },
      (_, i) => `s${i}: clubs(pagination: { pageSize: ${i + 1} }) { ...Lists }`,
    );
    const source = `{ ${spreads.join(' ')} }\nfragment Lists on ClubConnection { ${lists} }`;
    let refused: Record<string, unknown> | undefined;
    expect(cpuMs(() => ([refused] = refusals(source, { maxAliases: 1000 })))).toBeLessThan(250);
    expect(refused).toEqual({
      message: 'query is too complex to measure',
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'cost',
      max: 5000,
    });
  });

  it('counts a fragment under each page size it is spread under, not the first one seen', () => {
    const source = `{
      a: clubs(pagination: { pageSize: 2 }) { ...Names }
      b: clubs(pagination: { pageSize: 50 }) { ...Names }
    }
    fragment Names on ClubConnection { nodes { id name } }`;
    // (1 + 1 + 2 x 2) + (1 + 1 + 50 x 2)
    expect(refusals(source, { maxCost: 0 })[0]).toMatchObject({ limit: 'cost', actual: 6 + 102 });
  });

  it('never lets a zero or negative page size lower the cost of the rest', () => {
    for (const size of [-1000, 0]) {
      const source = `{ clubs(pagination: { pageSize: ${size} }) { nodes { id name } } }`;
      // Counted as an unknown size: 1 + 1 + 20 x 2.
      expect(refusals(source, { maxCost: 0 })[0]).toMatchObject({ limit: 'cost', actual: 42 });
    }
  });

  it('counts field levels for depth: fragments and inline fragments add none', () => {
    const source = `{ ... on Query { members { ...Nodes } } }
      fragment Nodes on MemberConnection { nodes { club { ... on Club { settings { reciprocalFee } } } } }`;
    expect(refusals(source, { maxDepth: 5 })).toEqual([]);
    expect(refusals(source, { maxDepth: 4 })[0]).toMatchObject({ limit: 'depth', max: 4, actual: 5 });
  });
});

describe('introspection under the limits', () => {
  const standard = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, oneOf: true });

  it('passes the standard introspection query where introspection is on, whatever the depth limit', () => {
    expect(refusals(standard, { maxDepth: 3, maxCost: 10 }, true)).toEqual([]);
  });

  it('leaves only __schema and __type out: a user field beside them still counts', () => {
    const source = '{ __schema { queryType { name } } myClub { settings { reciprocalFee } } }';
    expect(refusals(source, { maxDepth: 2 }, true)[0]).toMatchObject({ limit: 'depth', actual: 3 });
  });

  it(`bounds the introspection depth at ${MAX_INTROSPECTION_DEPTH}`, () => {
    const chain = (levels: number) =>
      `{ __type(name: "Club") { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} } }`;
    expect(refusals(chain(MAX_INTROSPECTION_DEPTH - 2), {}, true)).toEqual([]);
    expect(refusals(chain(MAX_INTROSPECTION_DEPTH - 1), {}, true)[0]).toMatchObject({
      limit: 'depth',
      max: MAX_INTROSPECTION_DEPTH,
      actual: MAX_INTROSPECTION_DEPTH + 1,
    });
  });
});
