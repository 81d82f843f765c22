import type { FastifyInstance } from 'fastify';
import type { ValidationRule } from 'graphql';
import { graphql } from './graphql-runtime.ts';

const { specifiedRules, validate } = graphql;

/**
 * Mercurius validates a document sent over HTTP (graphql-js's rules and ours, cached per text),
 * but a subscription sent over a WebSocket only gets parsed and subscribed: no validation at all,
 * so neither our depth and cost limits nor the refusal of introspection would apply there. This
 * hook runs the same rules on every WebSocket subscription before it starts; a refused one gets
 * the first error (`extensions.limit` says which limit) and never reaches a resolver. A socket
 * subscribes rarely, and the rules are linear in the document, so nothing is cached.
 */
export function validateSubscriptions(
  app: FastifyInstance,
  rules: readonly ValidationRule[],
  options: { hideSuggestions: boolean },
): void {
  const allRules = [...specifiedRules, ...rules];
  app.graphql.addHook('preSubscriptionExecution', async (schema, document) => {
    const errors = validate(schema, document, allRules, { hideSuggestions: options.hideSuggestions });
    // Mercurius sends a thrown GraphQLError to the client as it is (message and extensions).
    if (errors.length > 0) throw errors[0];
  });
}
