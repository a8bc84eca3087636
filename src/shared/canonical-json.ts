import * as nodeCrypto from 'node:crypto';

/**
 * One JSON text per value: object keys sorted by code unit, no whitespace, `undefined` object
 * members left out and `undefined` array elements written as null (as `JSON.stringify` does).
 * Hashes of data (plan ids, the clone's chain hashes, audit digests) are taken over this text, so
 * two equal values always hash alike whatever order their keys were written in.
 *
 * Meant for plain JSON data (typed as `unknown` because interfaces are not `JsonValue`s); like
 * `JSON.stringify` it throws on a bigint, which a payload never carries (decimal strings instead).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // String concatenation rather than map/join: this runs for every event of every clone.
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += canonicalJson(value[index]);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${text}}`;
}

/**
 * `crypto.hash` (Node ≥ 20.12) digests a short text two to three times faster than `createHash`,
 * which matters at one hash per clone event; `package.json` still admits Node 20.11.
 */
export const sha256Hex: (text: string) => string =
  typeof nodeCrypto.hash === 'function'
    ? (text) => nodeCrypto.hash('sha256', text, 'hex')
    : (text) => nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** sha256 (hex) of the canonical JSON of `value`. */
export function canonicalDigest(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
