import type {
  ASTVisitor,
  GraphQLError,
  GraphQLSchema,
  OperationTypeNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { graphql } from './graphql-runtime.ts';
import {
  createShapeMeasurer,
  type QueryShape,
  WALK_STEPS_PER_TOKEN,
  WalkBudgetExceeded,
} from './query-shape.ts';

const { GraphQLError: GraphqlError, NoSchemaIntrospectionCustomRule } = graphql;

/** How big a document may be; refused documents never reach a resolver. */
export interface QueryLimits {
  /** Nested field levels (fragments add none), over HTTP and WebSocket alike. */
  maxDepth: number;
  /** Fields, each list multiplying what it selects by its page size (see query-shape.ts). */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexical tokens; the parser stops counting there, before building a huge document. */
  maxTokens: number;
}

export const defaultQueryLimits: QueryLimits = {
  maxDepth: 10,
  maxCost: 5000,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 5000,
};

/**
 * How deep `__schema { ... }` / `__type { ... }` may nest where introspection is on (and they are
 * left out of the depth and cost limits), counting `__schema` itself. graphql-js's
 * getIntrospectionQuery() needs 15 at its default `typeDepth` of 9 (TypeRef's nested
 * `ofType`s); 25 lets a tool ask for a `typeDepth` up to 19 and still stops an
 * `ofType { ofType { ... } }` chain long before the token limit would.
 */
export const MAX_INTROSPECTION_DEPTH = 25;

/**
 * The validation rules behind the depth, cost, alias and directive limits, plus graphql-js's rule
 * that refuses introspection when it is off. Mercurius runs them once per distinct document text
 * (it caches the outcome, refusals included), and they are linear in the document, so a document
 * made new for every request is still refused in milliseconds. With introspection on, `__schema`
 * and `__type` are left out of depth and cost so every standard tool's introspection query passes.
 */
export function queryLimitRules(limits: QueryLimits, options: { introspection: boolean }): ValidationRule[] {
  const rules: ValidationRule[] = [shapeRule(limits, options.introspection), aliasRule(limits.maxAliases)];
  rules.push(directiveRule(limits.maxDirectives));
  if (!options.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}

function refusal(message: string, limit: string, max: number, actual?: number): GraphQLError {
  const extensions = {
    code: 'GRAPHQL_VALIDATION_FAILED',
    limit,
    max,
    ...(actual === undefined ? {} : { actual }),
  };
  return new GraphqlError(message, { extensions });
}

/**
 * Cost and depth of every operation, measured in one walk linear in the document (fragments
 * remembered), so a refused document is refused in milliseconds however its fragments fan out.
 */
function shapeRule(limits: QueryLimits, exemptIntrospection: boolean): ValidationRule {
  return (context) => {
    const maxSteps = WALK_STEPS_PER_TOKEN * limits.maxTokens;
    const measurer = createShapeMeasurer(context, { exemptIntrospection, maxSteps });
    return {
      OperationDefinition(operation) {
        const root = rootType(context.getSchema(), operation.operation);
        if (!root) return false;
        let shape: QueryShape;
        try {
          shape = measurer.measure(operation.selectionSet, root);
        } catch (error) {
          if (!(error instanceof WalkBudgetExceeded)) throw error;
          // Only the same large fragment under many different page sizes gets here: too much.
          context.reportError(refusal('query is too complex to measure', 'cost', limits.maxCost));
          return false;
        }
        reportShape(context, shape, limits);
        // Nothing below the operation is of interest to this rule: skip walking it again.
        return false;
      },
    };
  };
}

function rootType(schema: GraphQLSchema, operation: OperationTypeNode) {
  if (operation === 'query') return schema.getQueryType();
  return operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
}

function reportShape(context: ValidationContext, shape: QueryShape, limits: QueryLimits): void {
  const { cost, depth, introspectionDepth } = shape;
  if (depth > limits.maxDepth) {
    const message = `query depth ${depth} exceeds the query depth limit of ${limits.maxDepth}`;
    context.reportError(refusal(message, 'depth', limits.maxDepth, depth));
  }
  if (introspectionDepth > MAX_INTROSPECTION_DEPTH) {
    const message = `introspection depth ${introspectionDepth} exceeds the limit of ${MAX_INTROSPECTION_DEPTH}`;
    context.reportError(refusal(message, 'depth', MAX_INTROSPECTION_DEPTH, introspectionDepth));
  }
  if (cost > limits.maxCost) {
    const message = `query cost ${cost} exceeds the limit of ${limits.maxCost}`;
    context.reportError(refusal(message, 'cost', limits.maxCost, cost));
  }
}

/** Counts a node kind over the whole document and reports once past the limit. */
function countingRule(kind: 'alias' | 'directive', max: number): ValidationRule {
  return (context): ASTVisitor => {
    let count = 0;
    const visitor: ASTVisitor =
      kind === 'alias'
        ? {
            Field(node) {
              if (node.alias) count += 1;
            },
          }
        : {
            Directive() {
              count += 1;
            },
          };
    return {
      ...visitor,
      Document: {
        leave() {
          if (count > max) {
            const limit = kind === 'alias' ? 'aliases' : 'directives';
            context.reportError(refusal(`${count} ${limit} exceed the limit of ${max}`, limit, max, count));
          }
        },
      },
    };
  };
}

const aliasRule = (max: number) => countingRule('alias', max);
const directiveRule = (max: number) => countingRule('directive', max);
