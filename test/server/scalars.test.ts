import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BigIntString } from '../../src/schema/scalars.js';

describe('BigIntString', () => {
  it('serializes bigints beyond 2^53 as exact decimal strings', () => {
    expect(BigIntString.serialize(2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(BigIntString.serialize(0n)).toBe('0');
    expect(BigIntString.serialize(7)).toBe('7');
  });

  it('parses decimal strings and safe integers into bigints', () => {
    expect(BigIntString.parseValue('9007199254740993')).toBe(9007199254740993n);
    expect(BigIntString.parseValue('-1')).toBe(-1n);
    expect(BigIntString.parseValue(42)).toBe(42n);
    expect(BigIntString.parseLiteral({ kind: Kind.STRING, value: '18446744073709551615' })).toBe(
      18446744073709551615n,
    );
    expect(BigIntString.parseLiteral({ kind: Kind.INT, value: '12' })).toBe(12n);
  });

  it.each(['', '1.5', '01', '1e3', ' 1', 'abc', Number.MAX_SAFE_INTEGER + 2, 1.5, null, {}])(
    'refuses %j',
    (value) => {
      expect(() => BigIntString.parseValue(value)).toThrow(/decimal integer string/);
    },
  );

  it('refuses literals that are neither strings nor integers', () => {
    expect(() => BigIntString.parseLiteral({ kind: Kind.FLOAT, value: '1.5' })).toThrow(
      /decimal integer string/,
    );
  });
});
