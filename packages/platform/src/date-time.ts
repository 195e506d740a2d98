import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** ISO 8601 date-times in UTC, the `DateTime` scalar of every subgraph. Accepts Date or ISO strings from resolvers; always serialises to ISO. */
function toIso(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime: not a valid date-time');
  return date.toISOString();
}

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An ISO 8601 date-time in UTC, e.g. 2024-05-01T12:00:00.000Z.',
  serialize: toIso,
  parseValue: toIso,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime: expected an ISO 8601 string');
    return toIso(ast.value);
  },
});
