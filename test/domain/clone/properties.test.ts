/** Properties of the planner and the clone aggregate over generated sources and selections. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MFA_METHODS, ROOT_USER_ID, SETTING_CATEGORIES } from '../../../src/domain/organization/model.js';
import type { OrganizationState } from '../../../src/domain/organization/state.js';
import { auditDigest, auditFromPlan } from '../../../src/domain/clone/audit.js';
import { chainHashes, verifyChain } from '../../../src/domain/clone/chain.js';
import type { CloneEvent } from '../../../src/domain/clone/events.js';
import { cloneDecider } from '../../../src/domain/clone/decider.js';
import { ipListIdsIn } from '../../../src/domain/clone/plan-conditional-access.js';
import type { ClonePlan, PlanItem } from '../../../src/domain/clone/plan.js';
import { CREATING_OUTCOMES, KINDS_WITH_NEW_IDS } from '../../../src/domain/clone/plan.js';
import type { PlanCloneInput } from '../../../src/domain/clone/planner.js';
import { planClone } from '../../../src/domain/clone/planner.js';
import type { Deselection, NormalizedSelection } from '../../../src/domain/clone/selection.js';
import { normalizeSelection } from '../../../src/domain/clone/selection.js';
import { canonicalJson } from '../../../src/shared/canonical-json.js';
import type { GeneratedSource } from './arbitraries.js';
import { MARKER, selectionArbitrary, sourceArbitrary } from './arbitraries.js';
import { ALLOWED, templateLookup } from './fixtures.js';

const RUNS = { numRuns: 200 };

function planOf({ source, templates }: GeneratedSource, selection: PlanCloneInput['selection']): ClonePlan {
  return planClone({
    cloneId: 'clone-p',
    source,
    sourceVersion: 42n,
    name: 'Clone',
    selection,
    templates: templateLookup(templates),
    providerAdmins: [
      { id: 'admin-0', email: 'zero@msp.example' },
      { id: 'admin-1', email: 'one@msp.example' },
    ],
    preflight: ALLOWED,
  });
}

/** Every item a source holds, as kind:id, by reading the source directly. */
function sourceItemKeys(source: OrganizationState): string[] {
  const ids = (kind: string, record: Record<string, unknown>) =>
    Object.keys(record).map((id) => `${kind}:${id}`);
  return [
    ...SETTING_CATEGORIES.map((category) => `SETTING:${category}`),
    ...Object.keys(source.proprietary).map((key) => `PROPRIETARY_SETTING:${key}`),
    ...ids('USER_GROUP', source.userGroups),
    ...ids('DEVICE_GROUP', source.deviceGroups),
    ...ids('COMMAND', source.commands),
    ...ids('POLICY', source.policies),
    ...ids('POLICY_GROUP', source.policyGroups),
    ...MFA_METHODS.map((method) => `MFA_METHOD:${method}`),
    ...(source.mfa.duo ? ['DUO_CONFIGURATION:duo'] : []),
    ...ids('IP_LIST', source.ipLists),
    ...ids('CONDITIONAL_ACCESS_POLICY', source.conditionalAccessPolicies),
    ...['directoryInsights', 'systemInsights', 'remoteAssist'].map((feature) => `FEATURE:${feature}`),
    ...[...new Set(source.adminIds)].map((id) => `ADMIN_ACCESS:${id}`),
  ].sort();
}

/** Every reference a created item's content holds, paired with the kind it must resolve to. */
function contentReferences(item: PlanItem): { kind: PlanItem['kind']; id: string }[] {
  if (!item.content) return [];
  switch (item.kind) {
    case 'COMMAND':
      return item.content.deviceGroupIds.map((id) => ({ kind: 'DEVICE_GROUP', id }));
    case 'POLICY':
      return item.content.deviceGroupIds.map((id) => ({ kind: 'DEVICE_GROUP', id }));
    case 'POLICY_GROUP':
      return [
        ...item.content.policyIds.map((id) => ({ kind: 'POLICY' as const, id })),
        ...item.content.deviceGroupIds.map((id) => ({ kind: 'DEVICE_GROUP' as const, id })),
      ];
    case 'CONDITIONAL_ACCESS_POLICY': {
      const { userGroups } = item.content.targets;
      return [
        ...[...userGroups.inclusions, ...userGroups.exclusions].map((id) => ({
          kind: 'USER_GROUP' as const,
          id,
        })),
        ...ipListIdsIn(item.content.conditions).map((id) => ({ kind: 'IP_LIST' as const, id })),
      ];
    }
    default:
      return [];
  }
}

/** Runs a whole clone of the plan through the decider, in batches of the given sizes. */
function runClone(plan: ClonePlan, batchSizes: readonly number[]) {
  let state = cloneDecider.initialState();
  const events: CloneEvent[] = [];
  const apply = (command: Parameters<typeof cloneDecider.decide>[0]) => {
    for (const event of cloneDecider.decide(command, state)) {
      events.push(event);
      state = cloneDecider.evolve(state, event);
    }
  };
  apply({ type: 'RequestClone', data: { plan, requestedBy: 'admin-0' } });
  apply({ type: 'StartClone', data: { planId: plan.planId } });
  let next = 0;
  for (let batch = 0; next < plan.items.length; batch++) {
    const size = batchSizes[batch % batchSizes.length]!;
    apply({
      type: 'RecordCloneItems',
      data: { planId: plan.planId, items: plan.items.slice(next, next + size) },
    });
    next += size;
  }
  apply({ type: 'CompleteClone', data: { planAuditDigest: auditDigest(auditFromPlan(plan)) } });
  return { state, events };
}

function withoutDeselection(selection: NormalizedSelection, deselection: Deselection): NormalizedSelection {
  switch (deselection.type) {
    case 'CATEGORY':
      return {
        ...selection,
        excludedCategories: selection.excludedCategories.filter((c) => c !== deselection.category),
      };
    case 'ITEM':
      return {
        ...selection,
        excludedItemIds: selection.excludedItemIds.filter((id) => id !== deselection.sourceId),
      };
    case 'ADMIN':
      return {
        ...selection,
        excludedAdminIds: selection.excludedAdminIds.filter((id) => id !== deselection.administratorId),
      };
  }
}

const referenceKey = (reference: { field: string; targetKind: string; targetId: string }) =>
  `${reference.field}|${reference.targetKind}|${reference.targetId}`;

describe('clone plan properties', () => {
  it('lists every source item exactly once, in index order', () => {
    fc.assert(
      fc.property(sourceArbitrary, selectionArbitrary, (generated, selection) => {
        const plan = planOf(generated, selection);
        const keys = plan.items.map((item) => `${item.kind}:${item.sourceId}`);
        expect([...keys].sort()).toEqual(sourceItemKeys(generated.source));
        expect(plan.items.map((item) => item.index)).toEqual(plan.items.map((_, index) => index));
      }),
      RUNS,
    );
  });

  it('resolves every reference of the new content to an item the plan creates', () => {
    fc.assert(
      fc.property(sourceArbitrary, selectionArbitrary, (generated, selection) => {
        const plan = planOf(generated, selection);
        const created = new Set(plan.remap.map((entry) => `${entry.kind}:${entry.newId}`));
        for (const item of plan.items) {
          for (const reference of contentReferences(item))
            expect(created).toContain(`${reference.kind}:${reference.id}`);
          if (item.kind === 'COMMAND' && item.content) {
            expect(item.content.files).toEqual([]);
            expect(['', ROOT_USER_ID]).toContain(item.content.user);
          }
          if (item.kind === 'CONDITIONAL_ACCESS_POLICY' && item.content) {
            expect(item.content.targets.users.inclusions).toEqual([]);
            expect(item.content.targets.resources.every((resource) => resource.id === undefined)).toBe(true);
          }
          if (item.kind === 'USER_GROUP' && item.content) {
            expect([
              item.content.memberUserIds,
              item.content.memberQueryExemptions,
              item.content.bindings,
            ]).toEqual([[], [], []]);
          }
          if (item.kind === 'DEVICE_GROUP' && item.content) {
            expect([item.content.memberDeviceIds, item.content.mdm]).toEqual([[], null]);
          }
        }
      }),
      RUNS,
    );
  });

  it('keeps outcome, reasons, new id and content consistent', () => {
    fc.assert(
      fc.property(sourceArbitrary, selectionArbitrary, (generated, selection) => {
        for (const item of planOf(generated, selection).items) {
          const creates = CREATING_OUTCOMES.includes(item.outcome);
          expect(item.content !== null).toBe(creates);
          expect(item.newId !== null).toBe(creates && KINDS_WITH_NEW_IDS.includes(item.kind));
          expect(item.reasons.length === 0).toBe(item.outcome === 'COPIED');
          if (item.outcome === 'EXCLUDED' && item.reasons.includes('EXCLUDED_BY_SELECTION')) {
            expect(item.droppedReferences).toEqual([]);
          }
        }
      }),
      RUNS,
    );
  });

  it('is deterministic, and its planId follows the normalized selection', () => {
    fc.assert(
      fc.property(sourceArbitrary, selectionArbitrary, selectionArbitrary, (generated, selection, other) => {
        const plan = planOf(generated, selection);
        expect(planOf(generated, selection)).toEqual(plan);
        expect(planOf(generated, normalizeSelection(selection)).planId).toBe(plan.planId);
        const same =
          canonicalJson(normalizeSelection(selection)) === canonicalJson(normalizeSelection(other));
        expect(planOf(generated, other).planId === plan.planId).toBe(same);
      }),
      RUNS,
    );
  });

  it('never carries a sensitive value, neither in the plan nor in the clone’s events', () => {
    fc.assert(
      fc.property(sourceArbitrary, selectionArbitrary, (generated, selection) => {
        fc.pre(JSON.stringify(generated.source).includes(MARKER));
        const plan = planOf(generated, selection);
        expect(JSON.stringify(plan)).not.toContain(MARKER);
        expect(JSON.stringify(runClone(plan, [7]).events)).not.toContain(MARKER);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });

  it('explains each deselection exactly: what would differ were it alone taken back', () => {
    fc.assert(
      fc.property(sourceArbitrary, selectionArbitrary, (generated, selection) => {
        const plan = planOf(generated, selection);
        for (const effect of plan.deselections) {
          const reselected = planOf(generated, withoutDeselection(plan.selection, effect.deselection));
          const excluded = new Set(effect.excludedItems.map((item) => `${item.kind}:${item.sourceId}`));
          const expected = plan.items.flatMap((item, index) => {
            const other = reselected.items[index]!;
            if (excluded.has(`${item.kind}:${item.sourceId}`)) return [];
            const kept = new Set(other.droppedReferences.map(referenceKey));
            const lostReferences = item.droppedReferences.filter(
              (reference) => !kept.has(referenceKey(reference)),
            );
            if (lostReferences.length === 0 && item.outcome === other.outcome) return [];
            const { kind, sourceId, name, outcome } = item;
            return [{ kind, sourceId, name, outcome, outcomeIfReselected: other.outcome, lostReferences }];
          });
          expect(effect.affectedItems).toEqual(expected);
        }
      }),
      RUNS,
    );
  });
});

describe('clone aggregate properties', () => {
  it('ends with an audit equal to the plan, whatever the batch sizes', () => {
    fc.assert(
      fc.property(
        sourceArbitrary,
        selectionArbitrary,
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
        (generated, selection, batchSizes) => {
          const plan = planOf(generated, selection);
          const { state, events } = runClone(plan, batchSizes);
          expect(state.status).toBe('completed');
          expect(state.audit.rows()).toEqual(auditFromPlan(plan));
          expect(events.at(-1)).toMatchObject({ type: 'CloneCompleted', data: { totals: plan.totals } });
        },
      ),
      { ...RUNS, numRuns: 100 },
    );
  });

  it('detects any single altered event', () => {
    fc.assert(
      fc.property(
        sourceArbitrary,
        fc.nat(),
        fc.constantFrom('type', 'data', 'field'),
        (generated, pick, alteration) => {
          const { events } = runClone(planOf(generated, {}), [5]);
          const hashes = chainHashes(events);
          const recorded = events.map((event, index) => ({
            ...event,
            metadata: { chainHash: hashes[index]! },
          }));
          const index = pick % recorded.length;
          const original = recorded[index]!;
          const altered = {
            type: { ...original, type: `${original.type}X` },
            data: { ...original, data: { ...original.data, cloneId: 'clone-other' } },
            field: { ...original, data: { ...original.data, extra: true } },
          }[alteration];
          const tampered = recorded.map((event, position) => (position === index ? altered : event));
          expect(verifyChain(recorded)).toBeNull();
          expect(verifyChain(tampered)).toBe(index);
        },
      ),
      { ...RUNS, numRuns: 100 },
    );
  });
});
