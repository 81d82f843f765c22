import { type GraphQLResolveInfo, Kind } from 'graphql';

/**
 * Whether the field being resolved asks for nothing but these fields of its object (a fragment, or
 * any other field, and it asks for more). A resolver holding a partial copy of an object (a booking
 * names its facility's id, name, type and capacity) answers from it when that is all that is asked.
 */
export function asksOnly(info: Pick<GraphQLResolveInfo, 'fieldNodes'>, fields: ReadonlySet<string>): boolean {
  return info.fieldNodes.every(
    (node) =>
      node.selectionSet?.selections.every(
        (selection) => selection.kind === Kind.FIELD && fields.has(selection.name.value),
      ) ?? true,
  );
}
