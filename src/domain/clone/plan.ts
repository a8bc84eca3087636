/**
 * The clone plan: every source item once, with what the clone does to it and why (SPEC §2, §3).
 * `planClone` computes it; the preview shows it; the clone records it item by item; the audit of a
 * finished clone equals it.
 */
import type {
  Command,
  ConditionalAccessPolicy,
  DeviceGroup,
  FeatureKey,
  IpList,
  MfaConfiguration,
  MfaMethod,
  OrganizationSettings,
  Policy,
  PolicyGroup,
  SettingCategory,
  UserGroup,
} from '../organization/model.js';
import { SETTING_CATEGORIES } from '../organization/model.js';
import type { Deselection, NormalizedSelection } from './selection.js';

/** Kinds of source items, in plan order: an item comes after every item its new content references. */
export const ITEM_KINDS = [
  'SETTING',
  'PROPRIETARY_SETTING',
  'USER_GROUP',
  'DEVICE_GROUP',
  'COMMAND',
  'POLICY',
  'POLICY_GROUP',
  'MFA_METHOD',
  'DUO_CONFIGURATION',
  'IP_LIST',
  'CONDITIONAL_ACCESS_POLICY',
  'FEATURE',
  'ADMIN_ACCESS',
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** Kinds whose copy is a new item with a new id (the others copy values or links). */
export const KINDS_WITH_NEW_IDS: readonly ItemKind[] = [
  'USER_GROUP',
  'DEVICE_GROUP',
  'COMMAND',
  'POLICY',
  'POLICY_GROUP',
  'IP_LIST',
  'CONDITIONAL_ACCESS_POLICY',
];

/** Categories of the review (totals): the wizard's categories plus those nobody can deselect. */
export const PLAN_CATEGORIES = [
  ...SETTING_CATEGORIES,
  'PROPRIETARY_SETTINGS',
  'COMMANDS',
  'POLICIES',
  'USER_GROUPS',
  'DEVICE_GROUPS',
  'MFA',
  'CONDITIONAL_ACCESS_POLICIES',
  'FEATURES',
  'ADMINS',
] as const;
export type PlanCategory = (typeof PLAN_CATEGORIES)[number];

export const OUTCOMES = [
  'COPIED',
  'COPIED_WITH_OMISSIONS',
  'RESET_TO_DEFAULT',
  'SKIPPED',
  'EXCLUDED',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes that create something in the new organization. */
export const CREATING_OUTCOMES: readonly Outcome[] = ['COPIED', 'COPIED_WITH_OMISSIONS', 'RESET_TO_DEFAULT'];

/**
 * Why an item is not copied as it is. SPEC §2's codes, plus the decisions the table leaves open:
 * - `NOT_REFERENCED`: an IP list that no copied conditional access policy uses (IP lists travel
 *   with the policies that use them; outcome `EXCLUDED`).
 * - `RUN_AS_USER_NOT_CLONED`: a Windows command naming a run-as user (users are never cloned).
 * - `TEMPLATE_NOT_FOUND`: a policy whose template is unknown cannot be checked for sensitive
 *   values, so it is skipped.
 * - `UNKNOWN_CONFIG_FIELD`: a policy value for a field its template does not have: left out.
 * - `RESOURCE_NOT_CLONED`: a conditional access policy naming a non-application resource by id.
 * - `USER_NOT_CLONED`: a conditional access policy targeting users one by one. Users are never
 *   cloned, and an empty inclusion list means "all users", so dropping them could widen the policy.
 * - `IP_LIST_NOT_CLONED`: a conditional access policy whose condition uses a deselected or missing
 *   IP list; dropping it would change what the condition means.
 * - `JUMPCLOUD_DEFAULT_SELECTED`: a feature reset to JumpCloud's default (disabled).
 * - `ADMIN_NOT_FOUND`: an administrator linked to the source that the provider no longer has.
 */
export const REASON_CODES = [
  'EXCLUDED_BY_SELECTION',
  'NOT_REFERENCED',
  'PROPRIETARY_SETTING',
  'NON_ROOT_UNIX_COMMAND',
  'RUN_AS_USER_NOT_CLONED',
  'COMMAND_FILES_OMITTED',
  'TEMPLATE_NOT_FOUND',
  'REQUIRED_SENSITIVE_VALUE',
  'SENSITIVE_VALUE_OMITTED',
  'UNKNOWN_CONFIG_FIELD',
  'MEMBER_NOT_CLONED',
  'MEMBERS_NOT_COPIED',
  'DEVICES_NOT_COPIED',
  'MDM_SETTINGS_NOT_COPIED',
  'BINDING_NOT_CLONED',
  'DUO_NOT_CLONED',
  'APP_SPECIFIC_POLICY',
  'RESOURCE_NOT_CLONED',
  'USER_GROUP_NOT_CLONED',
  'USER_NOT_CLONED',
  'IP_LIST_NOT_CLONED',
  'JUMPCLOUD_DEFAULT_SELECTED',
  'ADMIN_NOT_FOUND',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** What a reference can point at: items of the plan, or things a clone never copies. */
export const REFERENCE_TARGET_KINDS = [
  'DEVICE_GROUP',
  'POLICY',
  'USER_GROUP',
  'IP_LIST',
  'USER',
  'FILE',
  'APPLICATION',
  'ACTIVE_DIRECTORY',
  'G_SUITE',
  'OFFICE_365',
  'LDAP_SERVER',
  'RADIUS_SERVER',
  'USER_PORTAL',
  'ADMIN_PORTAL',
] as const;
export type ReferenceTargetKind = (typeof REFERENCE_TARGET_KINDS)[number];

export type DroppedReferenceCause =
  /** The target was deselected (or, for an IP list, not referenced by a copied policy). */
  | 'TARGET_EXCLUDED'
  /** The target is skipped by a clone rule. */
  | 'TARGET_SKIPPED'
  /** The source holds a reference to something it does not have. */
  | 'TARGET_NOT_FOUND'
  /** Users, files, applications and directories are never cloned. */
  | 'TARGET_NEVER_CLONED';

/**
 * A reference of a source item that its copy does not carry (`COPIED_WITH_OMISSIONS`) or that
 * keeps it from being copied (`SKIPPED`). Memberships of users and devices are not listed one by
 * one (users and devices are counted, not items): the reasons and `omittedFields` say they went.
 */
export interface DroppedReference {
  /** Path of the referencing field in the source item (`deviceGroupIds`, `targets.userGroups.exclusions`). */
  field: string;
  targetKind: ReferenceTargetKind;
  targetId: string;
  cause: DroppedReferenceCause;
}

export type SettingContent = {
  [C in SettingCategory]: { category: C; values: OrganizationSettings[C] };
}[SettingCategory];

export type MfaMethodContent = { [M in MfaMethod]: { method: M; settings: MfaConfiguration[M] } }[MfaMethod];

export interface FeatureContent {
  feature: FeatureKey;
  enabled: boolean;
}

export interface AdminAccessContent {
  administratorId: string;
}

/** Per kind: the category it is counted in, the outcomes it can have, and the content of its copy. */
export interface ItemKindSpecs {
  SETTING: { category: SettingCategory; outcome: 'COPIED' | 'EXCLUDED'; content: SettingContent };
  PROPRIETARY_SETTING: { category: 'PROPRIETARY_SETTINGS'; outcome: 'SKIPPED'; content: never };
  USER_GROUP: {
    category: 'USER_GROUPS';
    outcome: 'COPIED' | 'COPIED_WITH_OMISSIONS' | 'EXCLUDED';
    content: UserGroup;
  };
  DEVICE_GROUP: {
    category: 'DEVICE_GROUPS';
    outcome: 'COPIED' | 'COPIED_WITH_OMISSIONS' | 'EXCLUDED';
    content: DeviceGroup;
  };
  COMMAND: {
    category: 'COMMANDS';
    outcome: 'COPIED' | 'COPIED_WITH_OMISSIONS' | 'SKIPPED' | 'EXCLUDED';
    content: Command;
  };
  POLICY: {
    category: 'POLICIES';
    outcome: 'COPIED' | 'COPIED_WITH_OMISSIONS' | 'SKIPPED' | 'EXCLUDED';
    content: Policy;
  };
  POLICY_GROUP: {
    category: 'POLICIES';
    outcome: 'COPIED' | 'COPIED_WITH_OMISSIONS' | 'EXCLUDED';
    content: PolicyGroup;
  };
  MFA_METHOD: { category: 'MFA'; outcome: 'COPIED' | 'EXCLUDED'; content: MfaMethodContent };
  DUO_CONFIGURATION: { category: 'MFA'; outcome: 'SKIPPED' | 'EXCLUDED'; content: never };
  IP_LIST: { category: 'CONDITIONAL_ACCESS_POLICIES'; outcome: 'COPIED' | 'EXCLUDED'; content: IpList };
  CONDITIONAL_ACCESS_POLICY: {
    category: 'CONDITIONAL_ACCESS_POLICIES';
    outcome: 'COPIED' | 'SKIPPED' | 'EXCLUDED';
    content: ConditionalAccessPolicy;
  };
  FEATURE: { category: 'FEATURES'; outcome: 'COPIED' | 'RESET_TO_DEFAULT'; content: FeatureContent };
  ADMIN_ACCESS: { category: 'ADMINS'; outcome: 'COPIED' | 'EXCLUDED'; content: AdminAccessContent };
}

export type OutcomeOf<K extends ItemKind> = ItemKindSpecs[K]['outcome'];
export type ContentOf<K extends ItemKind> = ItemKindSpecs[K]['content'];

/** The decision about one source item, without the content of its copy. */
export interface Verdict<O extends Outcome = Outcome> {
  outcome: O;
  /** In `REASON_CODES` order, no duplicates. */
  reasons: ReasonCode[];
  /**
   * What the copy leaves empty, by name: policy fields by their template name (never their
   * values), or model fields (`files`, `memberUserIds`, `mdm`, …). For a policy skipped with
   * `REQUIRED_SENSITIVE_VALUE`, the required fields that made it so.
   */
  omittedFields: string[];
  droppedReferences: DroppedReference[];
}

export type PlanItemOf<K extends ItemKind> = Verdict<OutcomeOf<K>> & {
  /** Position in the plan, from 0: the order in which the clone records items. */
  index: number;
  kind: K;
  category: ItemKindSpecs[K]['category'];
  /** Source item id; settings, MFA methods and features use their key, admin access the admin id. */
  sourceId: string;
  name: string;
  /** Id of the new item, for kinds in `KINDS_WITH_NEW_IDS` that the clone creates; null otherwise. */
  newId: string | null;
  /** What the clone writes into the new organization; null when it writes nothing. */
  content: ContentOf<K> | null;
};

export type PlanItem = { [K in ItemKind]: PlanItemOf<K> }[ItemKind];

export interface ItemRef {
  kind: ItemKind;
  sourceId: string;
  name: string;
}

export interface RemapEntry {
  kind: ItemKind;
  sourceId: string;
  newId: string;
}

/** An item that loses a reference, or whose outcome changes, because of one deselection. */
export interface AffectedItem extends ItemRef {
  outcome: Outcome;
  /** Its outcome were that one deselection taken back (and every other kept). */
  outcomeIfReselected: Outcome;
  /** References it drops that it would keep were that deselection taken back. */
  lostReferences: DroppedReference[];
}

/**
 * The consequences of one deselection: exactly what would differ were it alone taken back. An item
 * also excluded by another deselection is listed in `excludedItems` of both but affects nothing
 * through either alone.
 */
export interface DeselectionEffect {
  deselection: Deselection;
  /** Plan items this deselection matches. */
  excludedItems: ItemRef[];
  affectedItems: AffectedItem[];
}

export const PREFLIGHT_CODES = [
  'SOURCE_NOT_FOUND',
  'SOURCE_DISCARDED',
  'NOT_ALLOWED',
  'PLAN_NOT_PAID',
  'ORG_CREATION_DISABLED',
  'NAME_REQUIRED',
  'NAME_TAKEN',
  'SOURCE_EMPTY',
  'UNKNOWN_ITEM',
  'UNKNOWN_ADMIN',
] as const;
export type PreflightCode = (typeof PREFLIGHT_CODES)[number];

export interface PreflightFinding {
  code: PreflightCode;
  severity: 'ERROR' | 'WARNING';
  message: string;
  /** Path of the input to blame (`name`, `selection.excludedItemIds[2]`), or null. */
  field: string | null;
}

export type PlanTotals = Record<PlanCategory, Record<Outcome, number>>;

export interface ClonePlan {
  /** sha256 of canonical JSON of (source id, source version, normalized selection, trimmed name). */
  planId: string;
  cloneId: string;
  sourceOrganizationId: string;
  /** Revision of the source organization's stream the plan reads (decimal string). */
  sourceVersion: string;
  /** The new organization's name, trimmed. */
  name: string;
  newOrganizationId: string;
  selection: NormalizedSelection;
  items: PlanItem[];
  totals: PlanTotals;
  /** Source id → new id for every item the clone creates with a new id, in plan order. */
  remap: RemapEntry[];
  /** One entry per deselection of the selection, in its order. */
  deselections: DeselectionEffect[];
  preflight: PreflightFinding[];
  /** Users and devices are never cloned: counted for the review, never items. */
  counts: { users: number; devices: number };
}
