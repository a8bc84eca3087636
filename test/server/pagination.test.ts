import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/server/api-errors.js';
import {
  connectionOf,
  decodeCursor,
  encodeCursor,
  MAX_PAGE_SIZE,
  readPage,
} from '../../src/schema/pagination.js';

describe('cursors', () => {
  it('round-trip any key of their list', () => {
    for (const key of ['org-1', '', '9223372036854775807', 'with "quotes", commas and ünïcode']) {
      expect(decodeCursor('organizations', encodeCursor('organizations', key))).toBe(key);
    }
  });

  it('are refused by another list', () => {
    const cursor = encodeCursor('clone-audit', 'item-7');
    expect(() => decodeCursor('organizations', cursor)).toThrow(BadUserInputError);
    expect(() => decodeCursor('organizations', cursor)).toThrow(/another list/);
  });

  it.each([
    '',
    'not base64 at all!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["x"]').toString('base64url'),
  ])('refuse %j as not ours, on field after', (cursor) => {
    try {
      decodeCursor('organizations', cursor);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BadUserInputError);
      expect((error as BadUserInputError).field).toBe('after');
    }
  });
});

describe('readPage', () => {
  it('accepts 1..MAX_PAGE_SIZE and decodes after', () => {
    expect(readPage({ first: 1 }, 'orgs')).toEqual({ limit: 1, afterKey: null });
    expect(readPage({ first: MAX_PAGE_SIZE, after: encodeCursor('orgs', 'org-9') }, 'orgs')).toEqual({
      limit: MAX_PAGE_SIZE,
      afterKey: 'org-9',
    });
  });

  it.each([0, -1, MAX_PAGE_SIZE + 1, 2.5])('refuses first = %d on field first', (first) => {
    expect(() => readPage({ first }, 'orgs')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'first' }),
    );
  });
});

describe('connectionOf', () => {
  const rows = ['a', 'b', 'c', 'd'];

  it('uses the extra row only to say there is a next page', () => {
    const connection = connectionOf(rows, { limit: 3, afterKey: null }, 'letters', (row) => row);
    expect(connection.edges.map((edge) => edge.node)).toEqual(['a', 'b', 'c']);
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor('letters', 'a'),
      endCursor: encodeCursor('letters', 'c'),
    });
    expect(decodeCursor('letters', connection.pageInfo.endCursor!)).toBe('c');
  });

  it('ends the list when no extra row came back', () => {
    const connection = connectionOf(rows.slice(3), { limit: 3, afterKey: 'c' }, 'letters', (row) => row);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('answers an empty page with null cursors', () => {
    expect(connectionOf([], { limit: 3, afterKey: null }, 'letters', (row: string) => row).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });
});
