import { type FieldNode, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { asksOnly } from './selection.ts';

/** The `facility` field nodes of `{ booking { facility … } }`, as a resolver's info holds them. */
function facilityNodes(query: string): { fieldNodes: FieldNode[] } {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  const booking = operation.selectionSet.selections[0] as FieldNode;
  const fieldNodes = booking.selectionSet!.selections.filter(
    (selection): selection is FieldNode => selection.kind === 'Field' && selection.name.value === 'facility',
  );
  return { fieldNodes };
}

const CARRIED = new Set(['__typename', 'id', 'name', 'type', 'capacity']);

describe('asksOnly', () => {
  it('holds when every field asked is one the copy has, aliases and directives included', () => {
    expect(asksOnly(facilityNodes('{ booking { facility { id name type } } }'), CARRIED)).toBe(true);
    expect(
      asksOnly(
        facilityNodes(
          'query($x: Boolean!) { booking { facility { key: id __typename capacity @include(if: $x) } } }',
        ),
        CARRIED,
      ),
    ).toBe(true);
  });

  it('fails when any field is beyond the copy, in any of the nodes, or comes through a fragment', () => {
    expect(asksOnly(facilityNodes('{ booking { facility { id description } } }'), CARRIED)).toBe(false);
    expect(asksOnly(facilityNodes('{ booking { facility { id } facility { location } } }'), CARRIED)).toBe(
      false,
    );
    expect(asksOnly(facilityNodes('{ booking { facility { ... on Facility { id } } } }'), CARRIED)).toBe(
      false,
    );
  });
});
