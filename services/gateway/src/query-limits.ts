import type {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
  ValueNode,
} from 'graphql';
import { graphql } from './graphql-runtime.ts';

const {
  GraphQLError: GraphqlError,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  NoSchemaIntrospectionCustomRule,
} = graphql;

/** How big a document may be; refused documents never reach a resolver. */
export interface QueryLimits {
  /** Nested selection levels (Mercurius's own depth check, WebSocket included). */
  maxDepth: number;
  /** Fields, each list multiplying what it selects by its page size (see `costOf`). */
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

/** A list whose size the document does not say (no literal page size) counts as this many items. */
export const UNKNOWN_LIST_SIZE = 20;
const SIZE_ARGUMENTS = new Set(['first', 'last', 'limit', 'pageSize']);

/**
 * The validation rules behind the cost, alias and directive limits, plus graphql-js's rule that
 * refuses introspection when it is off. They run once per distinct document (Mercurius caches
 * validated documents), so they may walk the whole document.
 */
export function queryLimitRules(limits: QueryLimits, options: { introspection: boolean }): ValidationRule[] {
  const rules: ValidationRule[] = [costRule(limits.maxCost), aliasRule(limits.maxAliases)];
  rules.push(directiveRule(limits.maxDirectives));
  if (!options.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}

function refusal(message: string, limit: string, max: number, actual: number): GraphQLError {
  return new GraphqlError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, max, actual } });
}

function costRule(maxCost: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root =
        operation.operation === 'query'
          ? context.getSchema().getQueryType()
          : operation.operation === 'mutation'
            ? context.getSchema().getMutationType()
            : context.getSchema().getSubscriptionType();
      if (!root) return;
      const cost = costOf(context, operation.selectionSet, root, undefined, new Set());
      if (cost > maxCost) {
        context.reportError(
          refusal(`query cost ${cost} exceeds the limit of ${maxCost}`, 'cost', maxCost, cost),
        );
      }
    },
  });
}

/**
 * Every field costs 1; a field of list type costs 1 plus its selection times the list's size: a
 * literal `first`/`last`/`limit`/`pageSize` (also inside a `pagination` input) on the field or on
 * the field above it (`members(pagination: { pageSize: 50 }) { nodes { ... } }`), else
 * UNKNOWN_LIST_SIZE. Sizes passed in variables count as unknown: validation is cached per document,
 * and the services cap page sizes themselves.
 */
function costOf(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  parentType: GraphQLNamedType,
  inheritedSize: number | undefined,
  visiting: Set<string>,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(context, selection, parentType, inheritedSize, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition
        ? (context.getSchema().getType(selection.typeCondition.name.value) ?? parentType)
        : parentType;
      cost += costOf(context, selection.selectionSet, type, inheritedSize, visiting);
    } else {
      const name = selection.name.value;
      const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
      // A cycle is another rule's error; counting stops rather than loop.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      const type = context.getSchema().getType(fragment.typeCondition.name.value) ?? parentType;
      cost += costOf(context, fragment.selectionSet, type, inheritedSize, visiting);
      visiting.delete(name);
    }
  }
  return cost;
}

function fieldCost(
  context: ValidationContext,
  field: FieldNode,
  parentType: GraphQLNamedType,
  inheritedSize: number | undefined,
  visiting: Set<string>,
): number {
  const definition: GraphQLField<unknown, unknown> | undefined =
    isObjectType(parentType) || isInterfaceType(parentType)
      ? parentType.getFields()[field.name.value]
      : undefined;
  if (!definition || !field.selectionSet) return 1;
  const ownSize = literalSize(field);
  const isList = isListType(getNullableType(definition.type));
  const multiplier = isList ? (ownSize ?? inheritedSize ?? UNKNOWN_LIST_SIZE) : 1;
  // A connection's page size applies to its `nodes` one level down, not further.
  const childSize = isList ? undefined : ownSize;
  const inner = costOf(context, field.selectionSet, getNamedType(definition.type), childSize, visiting);
  return 1 + multiplier * inner;
}

/** A literal page size among the field's arguments, one level into input objects. */
function literalSize(field: FieldNode): number | undefined {
  for (const argument of field.arguments ?? []) {
    const size = sizeIn(argument.name.value, argument.value);
    if (size !== undefined) return size;
  }
  return undefined;
}

function sizeIn(name: string, value: ValueNode, nested = false): number | undefined {
  if (value.kind === Kind.INT && SIZE_ARGUMENTS.has(name)) return Number(value.value);
  if (value.kind === Kind.OBJECT && !nested) {
    for (const field of value.fields) {
      const size = sizeIn(field.name.value, field.value, true);
      if (size !== undefined) return size;
    }
  }
  return undefined;
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
