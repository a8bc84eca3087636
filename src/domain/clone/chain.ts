/**
 * Tamper evidence of a clone stream (SPEC §4): every event's metadata carries
 * `chainHash = sha256(previous chainHash ‖ event type ‖ canonical JSON of its data)`, hex, with
 * `‖` plain concatenation (unambiguous: the previous hash has a fixed length and data is an
 * object, whose text starts with `{`, which no event type contains). The first event chains to
 * `GENESIS_CHAIN_HASH`. `CloneCompleted` records the chain hash of the events before it.
 */
import { canonicalJson, sha256Hex } from '../../shared/canonical-json.js';

export const GENESIS_CHAIN_HASH = '0'.repeat(64);

export function nextChainHash(previous: string, type: string, data: unknown): string {
  return sha256Hex(previous + type + canonicalJson(data));
}

/** The chain hash of each event, in order, continuing from `previous`. */
export function chainHashes(
  events: readonly { type: string; data: unknown }[],
  previous: string = GENESIS_CHAIN_HASH,
): string[] {
  const hashes: string[] = [];
  let hash = previous;
  for (const event of events) {
    hash = nextChainHash(hash, event.type, event.data);
    hashes.push(hash);
  }
  return hashes;
}

/** Index of the first recorded event whose `metadata.chainHash` is not the one its history gives; null when all match. */
export function verifyChain(
  events: readonly { type: string; data: unknown; metadata: Readonly<Record<string, unknown>> }[],
): number | null {
  let hash = GENESIS_CHAIN_HASH;
  for (const [index, event] of events.entries()) {
    hash = nextChainHash(hash, event.type, event.data);
    if (event.metadata.chainHash !== hash) return index;
  }
  return null;
}
