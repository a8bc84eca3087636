/**
 * Custom scalars of the API.
 *
 * - `DateTimeISO` (exported as `DateTime`, graphql-scalars): RFC 3339 date-time strings at UTC.
 *   It is also type-graphql's default for `Date`, so the schema never holds two date scalars.
 * - `JSON` (exported as `JSONValue`) / `JSONObject` (graphql-scalars): free-form values, e.g. policy values (`value (any JSON)`).
 * - `BigIntString` (ours): event store positions and stream revisions are 64-bit and exceed 2^53,
 *   which a JSON number (and GraphQL's 32-bit `Int`) cannot carry exactly. They travel as decimal
 *   strings and are `bigint` on the server, as everywhere else in orgclone.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeISOResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';

// `JSONValue`, not `JSON`: an import named JSON would shadow the global in the importing module.
export { DateTimeISOResolver as DateTime, JSONResolver as JSONValue, JSONObjectResolver as JSONObject };

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]*)$/;

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new GraphQLError(`BigIntString must be a decimal integer string such as "9007199254740993"`);
}

export const BigIntString = new GraphQLScalarType<bigint, string>({
  name: 'BigIntString',
  description:
    'A 64-bit integer (event store position or stream revision) as a decimal string, e.g. "9007199254740993": ' +
    'JSON numbers lose precision above 2^53.',
  serialize: (value) => toBigInt(value).toString(),
  parseValue: toBigInt,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return toBigInt(ast.value);
    throw new GraphQLError('BigIntString must be a decimal integer string', { nodes: [ast] });
  },
  extensions: { codegenScalarType: 'string' },
});
