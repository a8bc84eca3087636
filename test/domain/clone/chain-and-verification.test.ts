import { describe, expect, it } from 'vitest';
import { auditDigest, auditFromPlan } from '../../../src/domain/clone/audit.js';
import {
  chainHashes,
  GENESIS_CHAIN_HASH,
  nextChainHash,
  verifyChain,
} from '../../../src/domain/clone/chain.js';
import type { CloneEvent } from '../../../src/domain/clone/events.js';
import { cloneDecider } from '../../../src/domain/clone/decider.js';
import type { CloneCommand } from '../../../src/domain/clone/commands.js';
import { verifyCloneHistory } from '../../../src/domain/clone/verification.js';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../src/shared/canonical-json.js';
import { plan, richSource } from './fixtures.js';

/** Runs a whole clone through the decider and stamps each event's metadata with its chain hash. */
function recordedClone() {
  const thePlan = plan(richSource());
  const commands: CloneCommand[] = [
    { type: 'RequestClone', data: { plan: thePlan, requestedBy: 'admin-1' } },
    { type: 'StartClone', data: { planId: thePlan.planId } },
    { type: 'RecordCloneItems', data: { planId: thePlan.planId, items: thePlan.items.slice(0, 10) } },
    { type: 'RecordCloneItems', data: { planId: thePlan.planId, items: thePlan.items.slice(10) } },
    { type: 'CompleteClone', data: { planAuditDigest: auditDigest(auditFromPlan(thePlan)) } },
  ];
  let state = cloneDecider.initialState();
  const events: CloneEvent[] = [];
  for (const command of commands) {
    for (const event of cloneDecider.decide(command, state)) {
      events.push(event);
      state = cloneDecider.evolve(state, event);
    }
  }
  const hashes = chainHashes(events);
  return events.map((event, index) => ({ ...event, metadata: { chainHash: hashes[index]! } }));
}

describe('the chain hash', () => {
  it('is sha256 of the previous hash, the event type and the canonical data, from 64 zeros', () => {
    const data = { b: 1, a: 'x' };

    expect(GENESIS_CHAIN_HASH).toBe('0'.repeat(64));
    expect(nextChainHash(GENESIS_CHAIN_HASH, 'CloneStarted', data)).toBe(
      createHash('sha256')
        .update(`${'0'.repeat(64)}CloneStarted{"a":"x","b":1}`)
        .digest('hex'),
    );
  });

  it('of each event continues from the one before', () => {
    const events = [
      { type: 'A', data: { n: 1 } },
      { type: 'B', data: { n: 2 } },
    ];
    const [first, second] = chainHashes(events);

    expect(second).toBe(nextChainHash(first!, 'B', { n: 2 }));
  });
});

describe('verifying a recorded clone', () => {
  it('accepts an untouched history', () => {
    const events = recordedClone();

    expect(verifyChain(events)).toBeNull();
    expect(verifyCloneHistory(events)).toEqual({
      valid: true,
      eventCount: events.length,
      chainHash: events.at(-1)!.metadata.chainHash,
    });
  });

  it('finds an altered event', () => {
    const events = recordedClone();
    const altered = events.map((event, index) =>
      index === 5 ? { ...event, data: { ...event.data, name: 'forged' } } : event,
    );

    expect(verifyChain(altered)).toBe(5);
    expect(verifyCloneHistory(altered)).toEqual({ valid: false, index: 5, problem: 'CHAIN_HASH_MISMATCH' });
  });

  it('finds a removed event', () => {
    const events = recordedClone();
    const shortened = [...events.slice(0, 4), ...events.slice(5)];

    expect(verifyChain(shortened)).toBe(4);
  });

  it('finds a rewritten chain whose completion no longer matches what it claims', () => {
    const events = recordedClone();
    // Drop an item and re-chain everything: each hash checks, but the completion does not.
    const forged = [...events.slice(0, 4), ...events.slice(5)];
    const rechained = chainHashes(forged).map((chainHash, index) => ({
      ...forged[index]!,
      metadata: { chainHash },
    }));

    const result = verifyCloneHistory(rechained);
    expect(result).toMatchObject({ valid: false, problem: 'ITEM_OUT_OF_ORDER', index: 4 });
  });

  it('finds a completion whose digest does not match the recorded items', () => {
    const events = recordedClone();
    const last = events.at(-1)!;
    const forged = [...events.slice(0, -1), { ...last, data: { ...last.data, auditDigest: 'f'.repeat(64) } }];
    const rechained = chainHashes(forged).map((chainHash, index) => ({
      ...forged[index]!,
      metadata: { chainHash },
    }));

    expect(verifyCloneHistory(rechained)).toEqual({
      valid: false,
      index: events.length - 1,
      problem: 'AUDIT_DIGEST_MISMATCH',
    });
  });

  it('rejects an event type the clone stream does not have', () => {
    const events = recordedClone();
    const forged = [...events.slice(0, 2), { type: 'SomethingElse', data: {} }];
    const rechained = chainHashes(forged).map((chainHash, index) => ({
      ...forged[index]!,
      metadata: { chainHash },
    }));

    expect(verifyCloneHistory(rechained)).toEqual({ valid: false, index: 2, problem: 'UNKNOWN_EVENT' });
  });

  it('completes with the chain hash of the events before the completion', () => {
    const events = recordedClone();
    const completion = events.at(-1)!;

    expect(completion.type).toBe('CloneCompleted');
    expect(canonicalJson((completion.data as { chainHash: string }).chainHash)).toBe(
      canonicalJson(events.at(-2)!.metadata.chainHash),
    );
  });
});
