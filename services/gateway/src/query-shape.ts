import type {
  FieldNode,
  GraphQLField,
  GraphQLNamedType,
  NamedTypeNode,
  SelectionSetNode,
  ValidationContext,
  ValueNode,
} from 'graphql';
import { graphql } from './graphql-runtime.ts';

const { getNamedType, getNullableType, isInterfaceType, isListType, isObjectType, Kind } = graphql;

/** How big one operation is, as the limits see it. */
export interface QueryShape {
  /** Fields, each list multiplying what it selects by its page size (see `measureField`). */
  cost: number;
  /** Nested field levels; fragments and inline fragments add none. */
  depth: number;
  /** Nested levels under `__schema` / `__type` where those are left out of cost and depth. */
  introspectionDepth: number;
}

export interface ShapeOptions {
  /**
   * Leave `__schema` and `__type` out of cost and depth (introspection on). Their selections can
   * only reach introspection types (graphql-js refuses an `on Query` fragment inside `__Type`), so
   * no user field hides under them; their size is bounded by `introspectionDepth`, graphql-js's
   * MaxIntrospectionDepthRule (lists of types within types) and the token limit.
   */
  exemptIntrospection: boolean;
  /** Selections the walk may visit before it gives up (WalkBudgetExceeded); see WALK_STEPS_PER_TOKEN. */
  maxSteps: number;
}

/** A list whose size the document does not say (no literal page size) counts as this many items. */
export const UNKNOWN_LIST_SIZE = 20;
/**
 * The walk's own budget, per token of the token limit. Each fragment is measured once per page
 * size it inherits, so a document costs one step per selection, and a selection takes at least
 * one token: only the same large fragment spread under several different literal page sizes
 * needs more. At the default 5,000 tokens: 20,000 steps, a few milliseconds.
 */
export const WALK_STEPS_PER_TOKEN = 4;
/** Costs beyond this are all just "too much"; keeps `actual` a finite, printable number. */
const SATURATED = Number.MAX_SAFE_INTEGER;
const SIZE_ARGUMENTS = new Set(['first', 'last', 'limit', 'pageSize']);
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);
const NOTHING: QueryShape = { cost: 0, depth: 0, introspectionDepth: 0 };
const LEAF: QueryShape = { cost: 1, depth: 1, introspectionDepth: 0 };

/** Thrown inside the walk when it runs out of steps; the rule turns it into a refusal. */
export class WalkBudgetExceeded extends Error {}

/**
 * Measures the operations of one document in time linear in its size: a fragment is walked once
 * per page size it inherits and remembered, so a fragment spread twice by a fragment spread twice
 * (and so on, 25 levels: 2^25 spreads) costs one walk per fragment, not one per spread.
 */
export function createShapeMeasurer(context: ValidationContext, options: ShapeOptions) {
  const schema = context.getSchema();
  // Keyed by fragment name and inherited page size: the size a fragment's top-level lists take.
  const measured = new Map<string, QueryShape>();
  const inProgress = new Set<string>();
  let steps = 0;

  const typeOf = (condition: NamedTypeNode | undefined, parentType: GraphQLNamedType) =>
    (condition && schema.getType(condition.name.value)) || parentType;

  function measureSet(
    selectionSet: SelectionSetNode,
    parentType: GraphQLNamedType,
    inheritedSize: number | undefined,
  ): QueryShape {
    let cost = 0;
    let depth = 0;
    let introspectionDepth = 0;
    for (const selection of selectionSet.selections) {
      steps += 1;
      if (steps > options.maxSteps) throw new WalkBudgetExceeded();
      const shape =
        selection.kind === Kind.FIELD
          ? measureField(selection, parentType, inheritedSize)
          : selection.kind === Kind.INLINE_FRAGMENT
            ? measureSet(selection.selectionSet, typeOf(selection.typeCondition, parentType), inheritedSize)
            : measureSpread(selection.name.value, parentType, inheritedSize);
      cost = Math.min(SATURATED, cost + shape.cost);
      depth = Math.max(depth, shape.depth);
      introspectionDepth = Math.max(introspectionDepth, shape.introspectionDepth);
    }
    return { cost, depth, introspectionDepth };
  }

  function measureSpread(name: string, parentType: GraphQLNamedType, inheritedSize: number | undefined) {
    const key = inheritedSize === undefined ? name : `${name}:${inheritedSize}`;
    const known = measured.get(key);
    if (known) return known;
    const fragment = context.getFragment(name);
    // An unknown fragment or a cycle is another rule's error; counting stops rather than loop.
    if (!fragment || inProgress.has(name)) return NOTHING;
    inProgress.add(name);
    const shape = measureSet(
      fragment.selectionSet,
      typeOf(fragment.typeCondition, parentType),
      inheritedSize,
    );
    inProgress.delete(name);
    measured.set(key, shape);
    return shape;
  }

  /**
   * Every field costs 1; a field of list type costs 1 plus its selection times the list's size: a
   * literal `first`/`last`/`limit`/`pageSize` (also inside a `pagination` input) on the field or
   * on the field above it (`members(pagination: { pageSize: 50 }) { nodes { ... } }`), else
   * UNKNOWN_LIST_SIZE. Sizes passed in variables count as unknown: validation is cached per
   * document, and the services cap page sizes themselves.
   */
  function measureField(field: FieldNode, parentType: GraphQLNamedType, inheritedSize: number | undefined) {
    const definition: GraphQLField<unknown, unknown> | undefined =
      isObjectType(parentType) || isInterfaceType(parentType)
        ? parentType.getFields()[field.name.value]
        : undefined;
    if (options.exemptIntrospection && INTROSPECTION_FIELDS.has(field.name.value)) {
      // graphql-js keeps the meta fields out of getFields(): their type comes from the schema.
      const type = schema.getType(field.name.value === '__schema' ? '__Schema' : '__Type');
      const inner = field.selectionSet && type ? measureSet(field.selectionSet, type, undefined) : NOTHING;
      return { cost: 0, depth: 0, introspectionDepth: 1 + inner.depth };
    }
    if (!definition || !field.selectionSet) return LEAF;
    const ownSize = literalSize(field);
    const isList = isListType(getNullableType(definition.type));
    const multiplier = isList ? (ownSize ?? inheritedSize ?? UNKNOWN_LIST_SIZE) : 1;
    // A connection's page size applies to its `nodes` one level down, not further.
    const childSize = isList ? undefined : ownSize;
    const inner = measureSet(field.selectionSet, getNamedType(definition.type), childSize);
    return {
      cost: Math.min(SATURATED, 1 + multiplier * inner.cost),
      depth: 1 + inner.depth,
      introspectionDepth: inner.introspectionDepth,
    };
  }

  return {
    /** The shape of one operation's selections, starting from its root type. */
    measure: (selectionSet: SelectionSetNode, rootType: GraphQLNamedType) =>
      measureSet(selectionSet, rootType, undefined),
  };
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
  // Zero or less is not a size a service serves (it answers with an error or its default page):
  // counted as unknown, so a negative literal can never lower the cost of the rest.
  if (value.kind === Kind.INT && SIZE_ARGUMENTS.has(name)) {
    const size = Number(value.value);
    return size >= 1 ? size : undefined;
  }
  if (value.kind === Kind.OBJECT && !nested) {
    for (const field of value.fields) {
      const size = sizeIn(field.name.value, field.value, true);
      if (size !== undefined) return size;
    }
  }
  return undefined;
}
