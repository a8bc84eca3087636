import { sha256Hex } from './canonical-json.js';

/**
 * Ids derived from their parts, so that whoever computes them again (a resumed clone, a retried
 * append, a preview) gets the same id. The parts are hashed as a JSON array: `('ab', 'c')` and
 * `('a', 'bc')` never collide.
 */
function digestOfParts(parts: readonly string[]): string {
  // An array of strings has one JSON spelling: this is its canonical JSON.
  return sha256Hex(JSON.stringify(parts));
}

/** 24 lower-case hex characters, the shape of JumpCloud's (MongoDB ObjectId) ids. */
export function deterministicObjectId(...parts: string[]): string {
  return digestOfParts(parts).slice(0, 24);
}

/** An RFC 4122-shaped UUID (version 5 layout: version nibble 5, variant 10xx) from sha256 of the parts. */
export function deterministicUuid(...parts: string[]): string {
  const hex = digestOfParts(parts);
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
