/**
 * Events of a clone's stream `clone-{id}`: the auditors' API (SPEC §4), names fixed. Payloads are
 * JSON (versions as decimal strings) and carry the clone id, so an event read on its own says
 * which clone it belongs to. Item events carry no content and never a value of a sensitive field:
 * they say what happened to a source item, not what the copy holds.
 */
import type { DomainEvent } from '../decider.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { deterministicUuid } from '../../shared/ids.js';
import type { AuditRow } from './audit.js';
import { auditRowOf } from './audit.js';
import type { PlanTotals } from './plan.js';
import type { NormalizedSelection } from './selection.js';

export type CloneRequested = DomainEvent<
  'CloneRequested',
  {
    cloneId: string;
    sourceOrganizationId: string;
    /** Revision of the source's stream the clone copies (decimal string). */
    sourceVersion: string;
    name: string;
    selection: NormalizedSelection;
    planId: string;
    /** Administrator id. */
    requestedBy: string;
    idempotencyKey: string | null;
    newOrganizationId: string;
    /** Number of plan items the clone will record. */
    itemCount: number;
    /** The plan's totals, for progress before any item is recorded. */
    totals: PlanTotals;
  }
>;

export type CloneStarted = DomainEvent<
  'CloneStarted',
  {
    cloneId: string;
    /** 1 for the first start, then one more for each resumption after a resumable failure. */
    attempt: number;
    /** Index of the first plan item this attempt records. */
    resumeFromIndex: number;
  }
>;

/** Item event types, each the fate of one plan item (see `itemEventType`). */
export const CLONE_ITEM_EVENT_TYPES = [
  'SettingCopied',
  'SettingSkipped',
  'CommandCopied',
  'CommandSkippedNonRootUser',
  'PolicyCopied',
  'PolicySkippedSensitive',
  'PolicyGroupCopied',
  'UserGroupCopied',
  'DeviceGroupCopied',
  'MfaSettingCopied',
  'DuoConfigurationSkipped',
  'ConditionalAccessPolicyCopied',
  'ConditionalAccessPolicySkipped',
  'IpListCopied',
  'FeatureConfigured',
  'AdminAccessCopied',
  'ItemExcluded',
] as const;
export type CloneItemEventType = (typeof CLONE_ITEM_EVENT_TYPES)[number];

/** The item's audit row (source item, new id, outcome, reasons, omitted fields, dropped references). */
export type CloneItemEventData = AuditRow & { cloneId: string };
export type CloneItemEvent = DomainEvent<CloneItemEventType, CloneItemEventData>;

export type CloneCompleted = DomainEvent<
  'CloneCompleted',
  {
    cloneId: string;
    newOrganizationId: string;
    itemCount: number;
    totals: PlanTotals;
    /** Chain hash of the last event before this one. */
    chainHash: string;
    /** `auditDigest` of the recorded rows, in order. */
    auditDigest: string;
  }
>;

export type CloneFailed = DomainEvent<
  'CloneFailed',
  {
    cloneId: string;
    /** Stable code (`SOURCE_CHANGED`, `TARGET_REFUSED`, `INTERNAL_ERROR`, …), never an internal message. */
    reason: string;
    /** Whether starting the clone again may finish it (it then resumes after the last recorded item). */
    resumable: boolean;
    recordedItemCount: number;
    attempt: number;
  }
>;

export type CloneDiscarded = DomainEvent<
  'CloneDiscarded',
  {
    cloneId: string;
    newOrganizationId: string;
    discardedBy: string;
    /** The new organization had changed since the clone and was discarded anyway. */
    forced: boolean;
  }
>;

export type CloneEvent =
  CloneRequested | CloneStarted | CloneItemEvent | CloneCompleted | CloneFailed | CloneDiscarded;

export const CLONE_EVENT_TYPES = [
  'CloneRequested',
  'CloneStarted',
  ...CLONE_ITEM_EVENT_TYPES,
  'CloneCompleted',
  'CloneFailed',
  'CloneDiscarded',
] as const;

export function isCloneItemEvent(event: CloneEvent): event is CloneItemEvent {
  return (CLONE_ITEM_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** The event that records a plan item (or an audit row) of this outcome. */
export function itemEventType(item: AuditRow): CloneItemEventType {
  if (item.outcome === 'EXCLUDED') return 'ItemExcluded';
  switch (item.kind) {
    case 'SETTING':
      return 'SettingCopied';
    case 'PROPRIETARY_SETTING':
      return 'SettingSkipped';
    case 'USER_GROUP':
      return 'UserGroupCopied';
    case 'DEVICE_GROUP':
      return 'DeviceGroupCopied';
    case 'COMMAND':
      return item.outcome === 'SKIPPED' ? 'CommandSkippedNonRootUser' : 'CommandCopied';
    case 'POLICY':
      // Also for TEMPLATE_NOT_FOUND: a policy whose values cannot be classified is treated as sensitive.
      return item.outcome === 'SKIPPED' ? 'PolicySkippedSensitive' : 'PolicyCopied';
    case 'POLICY_GROUP':
      return 'PolicyGroupCopied';
    case 'MFA_METHOD':
      return 'MfaSettingCopied';
    case 'DUO_CONFIGURATION':
      return 'DuoConfigurationSkipped';
    case 'IP_LIST':
      return 'IpListCopied';
    case 'CONDITIONAL_ACCESS_POLICY':
      return item.outcome === 'SKIPPED' ? 'ConditionalAccessPolicySkipped' : 'ConditionalAccessPolicyCopied';
    case 'FEATURE':
      return 'FeatureConfigured';
    case 'ADMIN_ACCESS':
      return 'AdminAccessCopied';
  }
}

/** The event recording one plan item: its audit row, never its content. */
export function itemEvent(cloneId: string, item: AuditRow): CloneItemEvent {
  return { type: itemEventType(item), data: { cloneId, ...auditRowOf(item) } };
}

/**
 * Deterministic event id: the same event (type and data) of the same clone always gets the same
 * id, so a resent append is a no-op, while a different event decided at the same place gets a
 * different id and loses on the expected revision. A stream never holds two events with equal
 * data: item events differ by index, restarts and failures by attempt.
 */
export function cloneEventId(event: CloneEvent): string {
  return deterministicUuid('clone-event', event.data.cloneId, event.type, canonicalJson(event.data));
}
