/**
 * An auditor's check of a recorded clone stream: every chain hash matches the events before it,
 * item events come in plan order, and `CloneCompleted` records the chain hash, audit digest and
 * totals that replaying the events before it gives.
 */
import { canonicalJson } from '../../shared/canonical-json.js';
import { auditDigest } from './audit.js';
import { nextChainHash } from './chain.js';
import type { CloneState } from './decider.js';
import { evolveClone, initialCloneState } from './decider.js';
import type { CloneEvent } from './events.js';
import { CLONE_EVENT_TYPES, isCloneItemEvent } from './events.js';
import { totalsOf } from './totals.js';

export type CloneVerificationProblem =
  | 'UNKNOWN_EVENT'
  | 'CHAIN_HASH_MISMATCH'
  | 'ITEM_OUT_OF_ORDER'
  | 'COMPLETION_CHAIN_HASH_MISMATCH'
  | 'AUDIT_DIGEST_MISMATCH'
  | 'TOTALS_MISMATCH';

export type CloneVerification =
  | { valid: true; eventCount: number; chainHash: string }
  | { valid: false; index: number; problem: CloneVerificationProblem };

export interface RecordedCloneEvent {
  type: string;
  data: unknown;
  metadata: Readonly<Record<string, unknown>>;
}

function problemOf(state: CloneState, event: CloneEvent): CloneVerificationProblem | null {
  if (isCloneItemEvent(event)) return event.data.index === state.audit.length ? null : 'ITEM_OUT_OF_ORDER';
  if (event.type !== 'CloneCompleted') return null;
  const rows = state.audit.rows();
  if (event.data.chainHash !== state.chainHash) return 'COMPLETION_CHAIN_HASH_MISMATCH';
  if (event.data.auditDigest !== auditDigest(rows)) return 'AUDIT_DIGEST_MISMATCH';
  if (canonicalJson(event.data.totals) !== canonicalJson(totalsOf(rows))) return 'TOTALS_MISMATCH';
  return null;
}

export function verifyCloneHistory(events: readonly RecordedCloneEvent[]): CloneVerification {
  let state = initialCloneState();
  for (const [index, recorded] of events.entries()) {
    if (recorded.metadata.chainHash !== nextChainHash(state.chainHash, recorded.type, recorded.data)) {
      return { valid: false, index, problem: 'CHAIN_HASH_MISMATCH' };
    }
    const known = (CLONE_EVENT_TYPES as readonly string[]).includes(recorded.type);
    if (!known || typeof recorded.data !== 'object' || recorded.data === null) {
      return { valid: false, index, problem: 'UNKNOWN_EVENT' };
    }
    // The chain proves the event is the one recorded; replaying it checks what it claims.
    const event = { type: recorded.type, data: recorded.data } as CloneEvent;
    const problem = problemOf(state, event);
    if (problem) return { valid: false, index, problem };
    state = evolveClone(state, event);
  }
  return { valid: true, eventCount: events.length, chainHash: state.chainHash };
}
