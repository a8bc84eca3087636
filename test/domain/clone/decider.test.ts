import { describe, expect, it } from 'vitest';
import { auditDigest, auditFromPlan, firstAuditDifference } from '../../../src/domain/clone/audit.js';
import { chainHashes } from '../../../src/domain/clone/chain.js';
import type { CloneEvent } from '../../../src/domain/clone/events.js';
import { cloneEventId, itemEvent, itemEventType } from '../../../src/domain/clone/events.js';
import { cloneDecider } from '../../../src/domain/clone/decider.js';
import { ALLOWED, plan, richSource } from './fixtures.js';
import { specFor } from '../given-when-then.js';

const spec = specFor(cloneDecider, undefined);
const thePlan = plan(richSource(), { selection: { excludedAdminIds: ['admin-2'] } });
const { planId } = thePlan;

const requested: CloneEvent = {
  type: 'CloneRequested',
  data: {
    cloneId: 'clone-1',
    sourceOrganizationId: 'org-source',
    sourceVersion: '7',
    name: 'New org',
    selection: thePlan.selection,
    planId,
    requestedBy: 'admin-1',
    idempotencyKey: 'key-1',
    newOrganizationId: thePlan.newOrganizationId,
    itemCount: thePlan.items.length,
    totals: thePlan.totals,
  },
};
const started: CloneEvent = {
  type: 'CloneStarted',
  data: { cloneId: 'clone-1', attempt: 1, resumeFromIndex: 0 },
};
const itemEvents = thePlan.items.map((item) => itemEvent('clone-1', item));

describe('RequestClone', () => {
  it('records the request with the plan’s source, version, selection and planId', () => {
    spec
      .given([])
      .when({
        type: 'RequestClone',
        data: { plan: thePlan, requestedBy: 'admin-1', idempotencyKey: 'key-1' },
      })
      .then([requested]);
  });

  it('refuses a plan that is not the previewed one (PLAN_OUTDATED)', () => {
    spec
      .given([])
      .when({
        type: 'RequestClone',
        data: { plan: thePlan, requestedBy: 'admin-1', expectedPlanId: 'f'.repeat(64) },
      })
      .then({ code: 'CONFLICT', reason: 'PLAN_OUTDATED', field: 'expectedPlanId' });
  });

  it.each([
    [
      { ...ALLOWED, nameTaken: true },
      { code: 'CONFLICT', reason: 'NAME_TAKEN', field: 'name' },
    ],
    [{ ...ALLOWED, callerMayClone: false }, { code: 'FORBIDDEN' }],
    [{ ...ALLOWED, providerPlan: 'TRIAL' as const }, { code: 'PAYMENT_REQUIRED' }],
  ])('refuses a plan with a blocking pre-flight finding', (preflight, error) => {
    const blocked = plan(richSource(), { preflight });
    spec
      .given([])
      .when({ type: 'RequestClone', data: { plan: blocked, requestedBy: 'admin-1' } })
      .then(error);
  });

  it('accepts the same request again without recording anything, and refuses another one', () => {
    spec
      .given([requested])
      .when({
        type: 'RequestClone',
        data: { plan: thePlan, requestedBy: 'admin-1', idempotencyKey: 'key-1' },
      })
      .then([]);
    spec
      .given([requested])
      .when({
        type: 'RequestClone',
        data: { plan: thePlan, requestedBy: 'admin-2', idempotencyKey: 'key-1' },
      })
      .then({ code: 'CONFLICT', reason: 'CLONE_ALREADY_EXISTS' });
  });
});

describe('StartClone', () => {
  it('starts a requested clone', () => {
    spec.given([requested]).when({ type: 'StartClone', data: { planId } }).then([started]);
  });

  it('refuses another plan than the requested one', () => {
    spec
      .given([requested])
      .when({ type: 'StartClone', data: { planId: 'other' } })
      .then({ code: 'CONFLICT', reason: 'PLAN_MISMATCH', field: 'planId' });
  });

  it('does nothing on a running clone', () => {
    spec.given([requested, started]).when({ type: 'StartClone', data: { planId } }).then([]);
  });

  it('resumes after a resumable failure, after the last recorded item', () => {
    const failed: CloneEvent = {
      type: 'CloneFailed',
      data: {
        cloneId: 'clone-1',
        reason: 'INTERNAL_ERROR',
        resumable: true,
        recordedItemCount: 3,
        attempt: 1,
      },
    };
    spec
      .given([requested, started, ...itemEvents.slice(0, 3), failed])
      .when({ type: 'StartClone', data: { planId } })
      .then([{ type: 'CloneStarted', data: { cloneId: 'clone-1', attempt: 2, resumeFromIndex: 3 } }]);
  });

  it('refuses to resume after a failure that is not resumable', () => {
    const failed: CloneEvent = {
      type: 'CloneFailed',
      data: {
        cloneId: 'clone-1',
        reason: 'SOURCE_DISCARDED',
        resumable: false,
        recordedItemCount: 0,
        attempt: 1,
      },
    };
    spec
      .given([requested, started, failed])
      .when({ type: 'StartClone', data: { planId } })
      .then({ code: 'CONFLICT', reason: 'CLONE_NOT_RESUMABLE' });
  });

  it('does not know a clone that was never requested', () => {
    spec.given([]).when({ type: 'StartClone', data: { planId } }).then({ code: 'NOT_FOUND' });
  });
});

describe('RecordCloneItems', () => {
  it('records a batch of plan items as their item events', () => {
    spec
      .given([requested, started])
      .when({ type: 'RecordCloneItems', data: { planId, items: thePlan.items.slice(0, 4) } })
      .then(itemEvents.slice(0, 4));
  });

  it('continues after the last recorded item', () => {
    spec
      .given([requested, started, ...itemEvents.slice(0, 4)])
      .when({ type: 'RecordCloneItems', data: { planId, items: thePlan.items.slice(4, 6) } })
      .then(itemEvents.slice(4, 6));
  });

  it('refuses an item recorded already (exactly once)', () => {
    spec
      .given([requested, started, ...itemEvents.slice(0, 4)])
      .when({ type: 'RecordCloneItems', data: { planId, items: thePlan.items.slice(3, 6) } })
      .then({ code: 'CONFLICT', reason: 'ITEM_ALREADY_RECORDED', field: 'items[0].index' });
  });

  it('refuses a gap (plan order)', () => {
    spec
      .given([requested, started, ...itemEvents.slice(0, 4)])
      .when({ type: 'RecordCloneItems', data: { planId, items: [thePlan.items[4]!, thePlan.items[6]!] } })
      .then({ code: 'CONFLICT', reason: 'ITEM_OUT_OF_ORDER', field: 'items[1].index' });
  });

  it('refuses an item beyond the plan', () => {
    const beyond = { ...thePlan.items[0]!, index: thePlan.items.length };
    spec
      .given([requested, started, ...itemEvents])
      .when({ type: 'RecordCloneItems', data: { planId, items: [beyond] } })
      .then({ code: 'CONFLICT', reason: 'ITEM_NOT_IN_PLAN' });
  });

  it('refuses items of a clone that is not running', () => {
    spec
      .given([requested])
      .when({ type: 'RecordCloneItems', data: { planId, items: thePlan.items.slice(0, 1) } })
      .then({ code: 'CONFLICT', reason: 'CLONE_NOT_RUNNING' });
  });
});

describe('CompleteClone', () => {
  const planAuditDigest = auditDigest(auditFromPlan(thePlan));

  it('completes once every item is recorded, with totals, the chain hash so far and the audit digest', () => {
    const history = [requested, started, ...itemEvents];
    spec
      .given(history)
      .when({ type: 'CompleteClone', data: { planAuditDigest } })
      .then([
        {
          type: 'CloneCompleted',
          data: {
            cloneId: 'clone-1',
            newOrganizationId: thePlan.newOrganizationId,
            itemCount: thePlan.items.length,
            totals: thePlan.totals,
            chainHash: chainHashes(history).at(-1)!,
            auditDigest: planAuditDigest,
          },
        },
      ]);
  });

  it('refuses to complete before every item is recorded', () => {
    spec
      .given([requested, started, ...itemEvents.slice(0, -1)])
      .when({ type: 'CompleteClone', data: { planAuditDigest } })
      .then({ code: 'CONFLICT', reason: 'CLONE_INCOMPLETE' });
  });

  it('refuses to complete when the recorded audit is not the plan’s', () => {
    spec
      .given([requested, started, ...itemEvents])
      .when({ type: 'CompleteClone', data: { planAuditDigest: 'a'.repeat(64) } })
      .then({ code: 'CONFLICT', reason: 'AUDIT_MISMATCH' });
  });
});

describe('FailClone and DiscardClone', () => {
  const completed: CloneEvent = {
    type: 'CloneCompleted',
    data: {
      cloneId: 'clone-1',
      newOrganizationId: thePlan.newOrganizationId,
      itemCount: thePlan.items.length,
      totals: thePlan.totals,
      chainHash: '0'.repeat(64),
      auditDigest: '0'.repeat(64),
    },
  };

  it('records a failure with what was recorded so far', () => {
    spec
      .given([requested, started, ...itemEvents.slice(0, 2)])
      .when({ type: 'FailClone', data: { reason: 'TARGET_REFUSED', resumable: true } })
      .then([
        {
          type: 'CloneFailed',
          data: {
            cloneId: 'clone-1',
            reason: 'TARGET_REFUSED',
            resumable: true,
            recordedItemCount: 2,
            attempt: 1,
          },
        },
      ]);
  });

  it('refuses to fail a completed clone', () => {
    spec
      .given([requested, started, ...itemEvents, completed])
      .when({ type: 'FailClone', data: { reason: 'INTERNAL_ERROR', resumable: false } })
      .then({ code: 'CONFLICT', reason: 'CLONE_FINISHED' });
  });

  it('discards a completed clone', () => {
    spec
      .given([requested, started, ...itemEvents, completed])
      .when({
        type: 'DiscardClone',
        data: { discardedBy: 'admin-1', organizationChangedSinceClone: false, force: false },
      })
      .then([
        {
          type: 'CloneDiscarded',
          data: {
            cloneId: 'clone-1',
            newOrganizationId: thePlan.newOrganizationId,
            discardedBy: 'admin-1',
            forced: false,
          },
        },
      ]);
  });

  it('refuses to discard an organization changed since the clone, unless forced', () => {
    const given = spec.given([requested, started, ...itemEvents, completed]);
    given
      .when({
        type: 'DiscardClone',
        data: { discardedBy: 'admin-1', organizationChangedSinceClone: true, force: false },
      })
      .then({ code: 'CONFLICT', reason: 'ORGANIZATION_CHANGED_SINCE_CLONE', field: 'force' });
    given
      .when({
        type: 'DiscardClone',
        data: { discardedBy: 'admin-1', organizationChangedSinceClone: true, force: true },
      })
      .then([
        {
          type: 'CloneDiscarded',
          data: {
            cloneId: 'clone-1',
            newOrganizationId: thePlan.newOrganizationId,
            discardedBy: 'admin-1',
            forced: true,
          },
        },
      ]);
  });

  it('refuses to discard a clone in progress', () => {
    spec
      .given([requested, started])
      .when({
        type: 'DiscardClone',
        data: { discardedBy: 'admin-1', organizationChangedSinceClone: false, force: false },
      })
      .then({ code: 'CONFLICT', reason: 'CLONE_IN_PROGRESS' });
  });
});

describe('item events', () => {
  it('map every kind and outcome to the auditors’ event type', () => {
    const types = Object.fromEntries(
      thePlan.items.map((item) => [`${item.kind}:${item.sourceId}`, itemEventType(item)]),
    );

    expect(types).toMatchObject({
      'SETTING:USER_PORTAL': 'SettingCopied',
      'PROPRIETARY_SETTING:contactEmail': 'SettingSkipped',
      'USER_GROUP:ug-staff': 'UserGroupCopied',
      'DEVICE_GROUP:dg-macs': 'DeviceGroupCopied',
      'COMMAND:cmd-root': 'CommandCopied',
      'COMMAND:cmd-user': 'CommandSkippedNonRootUser',
      'COMMAND:cmd-win': 'CommandCopied',
      'POLICY:pol-banner': 'PolicyCopied',
      'POLICY:pol-cert': 'PolicySkippedSensitive',
      'POLICY_GROUP:pg': 'PolicyGroupCopied',
      'MFA_METHOD:push': 'MfaSettingCopied',
      'DUO_CONFIGURATION:duo': 'DuoConfigurationSkipped',
      'IP_LIST:ip-office': 'IpListCopied',
      'IP_LIST:ip-unused': 'ItemExcluded',
      'CONDITIONAL_ACCESS_POLICY:ca-staff': 'ConditionalAccessPolicyCopied',
      'CONDITIONAL_ACCESS_POLICY:ca-app': 'ConditionalAccessPolicySkipped',
      'FEATURE:remoteAssist': 'FeatureConfigured',
      'ADMIN_ACCESS:admin-1': 'AdminAccessCopied',
      'ADMIN_ACCESS:admin-2': 'ItemExcluded',
    });
  });

  it('name the source item, the new id, the outcome, the reasons, omitted fields and dropped references, not the content', () => {
    const item = thePlan.items.find((candidate) => candidate.sourceId === 'pol-banner')!;

    expect(itemEvent('clone-1', item)).toEqual({
      type: 'PolicyCopied',
      data: {
        cloneId: 'clone-1',
        index: item.index,
        kind: 'POLICY',
        category: 'POLICIES',
        sourceId: 'pol-banner',
        name: 'policy pol-banner',
        newId: item.newId,
        outcome: 'COPIED_WITH_OMISSIONS',
        reasons: ['SENSITIVE_VALUE_OMITTED'],
        omittedFields: ['bannerText'],
        droppedReferences: [],
      },
    });
  });

  it('have deterministic ids that differ between events', () => {
    const ids = [requested, started, ...itemEvents].map(cloneEventId);

    expect([requested, started, ...itemEvents].map(cloneEventId)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('evolve', () => {
  it('folds the audit of a finished clone into the plan’s, row for row', () => {
    const state = [requested, started, ...itemEvents].reduce(
      cloneDecider.evolve,
      cloneDecider.initialState(),
    );

    expect(state.audit.rows()).toEqual(auditFromPlan(thePlan));
    expect(state).toMatchObject({ status: 'running', itemCount: thePlan.items.length, attempts: 1, planId });
    expect(state.chainHash).toBe(chainHashes([requested, started, ...itemEvents]).at(-1));
  });

  it('lets an audit be compared with the plan’s, naming the first row that differs', () => {
    const expected = auditFromPlan(thePlan);
    const altered = expected.map((row, index) =>
      index === 4 ? { ...row, reasons: [...row.reasons, 'NOT_REFERENCED' as const] } : row,
    );

    expect(firstAuditDifference(expected, auditFromPlan(thePlan))).toBeNull();
    expect(firstAuditDifference(expected, altered)).toBe(4);
    expect(firstAuditDifference(expected, expected.slice(0, -1))).toBe(expected.length - 1);
  });

  it('keeps older states intact when a newer one is extended', () => {
    const base = [requested, started, ...itemEvents.slice(0, 2)].reduce(
      cloneDecider.evolve,
      cloneDecider.initialState(),
    );
    const longer = cloneDecider.evolve(base, itemEvents[2]!);
    const branch = cloneDecider.evolve(base, itemEvents[3]!);

    expect(base.audit.rows()).toHaveLength(2);
    expect(longer.audit.rows().map((row) => row.index)).toEqual([0, 1, 2]);
    expect(branch.audit.rows().map((row) => row.index)).toEqual([0, 1, 3]);
  });
});
