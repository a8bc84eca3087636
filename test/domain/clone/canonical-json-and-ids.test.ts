import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalDigest, canonicalJson, sha256Hex } from '../../../src/shared/canonical-json.js';
import { deterministicObjectId, deterministicUuid } from '../../../src/shared/ids.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: [{ d: 1, c: null }], a: 'é', 'a b': true })).toBe(
      '{"a":"é","a b":true,"b":[{"c":null,"d":1}]}',
    );
  });

  it('leaves out undefined members and writes undefined elements as null, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('gives equal values the same digest whatever their key order', () => {
    expect(canonicalDigest({ x: 1, y: { p: 2, q: 3 } })).toBe(canonicalDigest({ y: { q: 3, p: 2 }, x: 1 }));
    expect(canonicalDigest({ x: 1 })).toBe(createHash('sha256').update('{"x":1}').digest('hex'));
  });

  it('hashes text as sha256, hex', () => {
    expect(sha256Hex('é')).toBe(createHash('sha256').update('é', 'utf8').digest('hex'));
  });
});

describe('deterministic ids', () => {
  it('derive ObjectId-shaped ids from their parts', () => {
    const id = deterministicObjectId('clone-1', 'COMMAND', 'cmd-1');

    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(deterministicObjectId('clone-1', 'COMMAND', 'cmd-1')).toBe(id);
    expect(deterministicObjectId('clone-2', 'COMMAND', 'cmd-1')).not.toBe(id);
  });

  it('never confuse different splits of the same text', () => {
    expect(deterministicObjectId('ab', 'c')).not.toBe(deterministicObjectId('a', 'bc'));
  });

  it('derive RFC 4122-shaped UUIDs', () => {
    const uuid = deterministicUuid('clone-event', 'clone-1', '3');

    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('clone-event', 'clone-1', '3')).toBe(uuid);
    expect(deterministicUuid('clone-event', 'clone-1', '4')).not.toBe(uuid);
  });
});
