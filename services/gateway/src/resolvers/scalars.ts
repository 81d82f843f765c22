import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { graphql } from '../graphql-runtime.ts';

/** Instants leave as ISO-8601 strings; `DateTime` and `Time` are the two names the client uses. */
function instant(name: string): GraphQLScalarType {
  return new GraphQLScalarType({
    name,
    serialize(value) {
      if (value instanceof Date) return value.toISOString();
      if (typeof value === 'string') return value;
      throw new TypeError(`${name} cannot represent ${typeof value}`);
    },
    parseValue(value) {
      // A variable's value is the client's input: BAD_USER_INPUT, not an unexpected failure.
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw new graphql.GraphQLError(`${name} must be an ISO-8601 string`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      return new Date(value);
    },
    parseLiteral(ast) {
      if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value))) {
        throw new TypeError(`${name} must be an ISO-8601 string`);
      }
      return new Date(ast.value);
    },
  });
}

const json = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

export const scalarResolvers = { DateTime: instant('DateTime'), Time: instant('Time'), JSON: json };
