/**
 * Every closed set of the API as a GraphQL enum. JumpCloud's lower-case API values (`linux`,
 * `one-time`, `user_portal`, `Administrator With Billing`) become UPPER_CASE GraphQL names
 * (`LINUX`, `ONE_TIME`, `USER_PORTAL`, `ADMINISTRATOR_WITH_BILLING`); the enum's internal value is
 * the domain's own spelling, so graphql-js maps both ways and resolvers never translate by hand.
 */
import 'reflect-metadata';
import { registerEnumType } from 'type-graphql';
import {
  CLONE_CATEGORIES,
  type CloneCategory,
  type Deselection,
  type FeatureChoice,
} from '../domain/clone/selection.js';
import type { CloneStatus } from '../domain/clone/decider.js';
import {
  ITEM_KINDS,
  PLAN_CATEGORIES,
  PREFLIGHT_CODES,
  REFERENCE_TARGET_KINDS,
  type DroppedReferenceCause,
  type ItemKind,
  type Outcome,
  type PlanCategory,
  type PreflightCode,
  type PreflightFinding,
  type ReasonCode,
  type ReferenceTargetKind,
} from '../domain/clone/plan.js';
import type { CloneAuditProblem } from '../application/clone-audit.js';
import type { OrganizationStatus } from '../projections/organizations/queries.js';
import {
  ADMIN_ROLES,
  AUTHN_POLICY_TYPES,
  BILLING_PLANS,
  COMMAND_TYPES,
  DISPLAY_TYPES,
  FEATURE_KEYS,
  LAUNCH_TYPES,
  MEMBER_QUERY_OPERATORS,
  MEMBERSHIP_METHODS,
  MFA_FACTOR_TYPES,
  ORG_ACCESS_LEVELS,
  OS_META_FAMILIES,
  SETTING_CATEGORIES,
  USER_GROUP_BINDING_TYPES,
} from '../domain/organization/model.js';

/** `one-time` → `ONE_TIME`, `webAuthn` → `WEB_AUTHN`, `Administrator With Billing` → `ADMINISTRATOR_WITH_BILLING`. */
export function enumName(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/**
 * Registers the GraphQL enum `name` whose values are the keys of `members` and whose internal
 * values are its values. Returns the object to give `@Field(() => …)` and `@Arg(…, () => …)`.
 */
function registerApiEnum<V extends string>(
  name: string,
  members: Readonly<Record<string, V>>,
  description: string,
  valueDescriptions: Readonly<Record<string, string>> = {},
): Readonly<Record<string, V>> {
  const valuesConfig = Object.fromEntries(
    Object.entries(valueDescriptions).map(([key, text]) => [key, { description: text }]),
  );
  registerEnumType(members, { name, description, valuesConfig });
  return members;
}

/** The domain's `values` as the GraphQL enum `name`, each under `enumName(value)`. */
function apiEnum<const V extends string>(
  name: string,
  values: readonly V[],
  description: string,
  valueDescriptions: Partial<Record<V, string>> = {},
): Readonly<Record<string, V>> {
  const members: Record<string, V> = {};
  const descriptions: Record<string, string> = {};
  for (const value of values) {
    const key = enumName(value);
    if (Object.hasOwn(members, key)) throw new Error(`${name}: ${value} and ${members[key]} clash`);
    members[key] = value;
    const text = valueDescriptions[value];
    if (text) descriptions[key] = text;
  }
  return registerApiEnum(name, members, description, descriptions);
}

/** An enum whose every value is described: the record's keys are the values (exhaustive by type). */
function describedEnum<V extends string>(
  name: string,
  description: string,
  valueDescriptions: Record<V, string>,
): Readonly<Record<string, V>> {
  return apiEnum(name, Object.keys(valueDescriptions) as V[], description, valueDescriptions);
}

// ---- organizations -----------------------------------------------------------------------------

export const OrganizationStatusEnum = describedEnum<OrganizationStatus>(
  'OrganizationStatus',
  'Whether an organization is in use.',
  {
    ACTIVE: 'In use.',
    CLONING: 'Created by a clone that is still copying items into it.',
    DISCARDED: 'Hidden from listings, its name free again; its history is kept.',
  },
);

export const SettingCategoryEnum = apiEnum(
  'SettingCategory',
  SETTING_CATEGORIES,
  'The six setting categories of the clone wizard, in wizard order.',
);

export const CookieExpirationTypeEnum = apiEnum(
  'CookieExpirationType',
  ['session', 'date'] as const,
  "JumpCloud's `userPortal.cookieExpirationType`: whether the User Portal session cookie ends with the browser session or at a date.",
);

export const PasswordComplianceEnum = apiEnum(
  'PasswordCompliance',
  ['custom', 'pci3', 'windows'] as const,
  "JumpCloud's `passwordCompliance`: the password rule set in force (`CUSTOM` uses `passwordPolicy`).",
);

export const M365UserActionEnum = apiEnum(
  'M365UserAction',
  ['maintain', 'suspend'] as const,
  'What happens to a user in Microsoft 365 / Entra ID when the JumpCloud account is locked out or its password expires.',
);

export const LdapUserActionEnum = apiEnum(
  'LdapUserAction',
  ['disable', 'remove'] as const,
  'What happens to a user in JumpCloud LDAP when the account is locked out or its password expires.',
);

export const FeatureEnum = apiEnum(
  'Feature',
  FEATURE_KEYS,
  'An optional feature of an organization (JumpCloud default for a new organization: disabled).',
);

export const CommandTypeEnum = apiEnum(
  'CommandType',
  COMMAND_TYPES,
  "JumpCloud's `commandType`: the operating system a command runs on.",
);

export const LaunchTypeEnum = apiEnum(
  'LaunchType',
  LAUNCH_TYPES,
  "JumpCloud's `launchType`: how a command starts (by hand, by a webhook trigger, on a repeating schedule, once at a time).",
);

export const DisplayTypeEnum = apiEnum(
  'DisplayType',
  DISPLAY_TYPES,
  "JumpCloud's `displayType` of a policy template field: how the portal edits its value. Values of `TEXT`, `TEXTAREA` and `FILE` fields are treated as sensitive.",
);

export const OsMetaFamilyEnum = apiEnum(
  'OsMetaFamily',
  OS_META_FAMILIES,
  "JumpCloud's `osMetaFamily`: the platform a policy template applies to.",
);

export const MembershipMethodEnum = apiEnum(
  'MembershipMethod',
  MEMBERSHIP_METHODS,
  "JumpCloud's `membershipMethod`: how a group's members are chosen (by hand, or by its member query with or without review).",
);

export const MemberQueryOperatorEnum = apiEnum(
  'MemberQueryOperator',
  MEMBER_QUERY_OPERATORS,
  'Comparison of a member query filter.',
);

export const UserGroupBindingTypeEnum = apiEnum(
  'UserGroupBindingType',
  USER_GROUP_BINDING_TYPES,
  'What a user group can be bound to besides its users: an application or a directory. Bindings are never cloned.',
);

export const ConditionalAccessPolicyTypeEnum = apiEnum(
  'ConditionalAccessPolicyType',
  AUTHN_POLICY_TYPES,
  "JumpCloud's authentication policy `type`: the sign-in a conditional access policy governs.",
);

export const ConditionalAccessResourceTypeEnum = apiEnum(
  'ConditionalAccessResourceType',
  AUTHN_POLICY_TYPES,
  'Type of a resource a conditional access policy targets.',
);

export const ConditionalAccessActionEnum = apiEnum(
  'ConditionalAccessAction',
  ['allow', 'deny'] as const,
  'What a conditional access policy does when its conditions hold.',
);

export const MfaFactorTypeEnum = apiEnum(
  'MfaFactorType',
  MFA_FACTOR_TYPES,
  'An MFA factor a conditional access policy may require.',
);

// ---- providers ---------------------------------------------------------------------------------

export const AdministratorRoleEnum = apiEnum(
  'AdministratorRole',
  ADMIN_ROLES,
  "An administrator's `roleName`. Reading: every role but `BILLING_ONLY`; editing organizations: `ADMINISTRATOR_WITH_BILLING`, `ADMINISTRATOR`, `MANAGER`; cloning and discarding: `ADMINISTRATOR_WITH_BILLING` on a paid plan.",
);

export const BillingPlanEnum = apiEnum('BillingPlan', BILLING_PLANS, "The provider's billing plan.");

export const OrgAccessEnum = apiEnum(
  'OrgAccess',
  ORG_ACCESS_LEVELS,
  'Which organizations an administrator can see: all of its provider, or only those linked to it.',
);

// ---- clones ------------------------------------------------------------------------------------

export const CloneCategoryEnum = apiEnum<CloneCategory>(
  'CloneCategory',
  CLONE_CATEGORIES,
  'A category the admin can deselect as a whole in the clone wizard (`POLICIES` covers policies and policy groups).',
);

export const FeatureChoiceEnum = describedEnum<FeatureChoice>(
  'FeatureChoice',
  'What the new organization gets for a feature.',
  {
    KEEP_SOURCE: "The source organization's value.",
    JUMPCLOUD_DEFAULT: "JumpCloud's default for a new organization: disabled.",
  },
);

export const PlanCategoryEnum = apiEnum<PlanCategory>(
  'PlanCategory',
  PLAN_CATEGORIES,
  'Category of a clone item in the review and its totals: the wizard categories plus those nobody can deselect (proprietary settings, features, admins).',
);

export const OutcomeEnum = describedEnum<Outcome>('Outcome', 'What a clone does with a source item.', {
  COPIED: 'Copied as it is (references remapped to the new ids).',
  COPIED_WITH_OMISSIONS: 'Copied without some of its parts; the reasons and omitted fields say which.',
  RESET_TO_DEFAULT: "Set to JumpCloud's default instead of the source value (features).",
  SKIPPED: 'Not copied because of a clone rule; the reasons say which.',
  EXCLUDED: 'Not copied because the selection leaves it out (or nothing copied refers to it).',
});

export const ReasonCodeEnum = describedEnum<ReasonCode>(
  'ReasonCode',
  'Why a clone item is not copied as it is.',
  {
    EXCLUDED_BY_SELECTION: 'Deselected (its category, the item itself, or the admin).',
    NOT_REFERENCED:
      'An IP list that no copied conditional access policy uses: IP lists travel with their policies.',
    PROPRIETARY_SETTING:
      'A proprietary setting (contact, logo, disclaimer, limits, MDM, credentials): never copied.',
    NON_ROOT_UNIX_COMMAND:
      'A Linux or macOS command that runs as a user other than root: the user is not cloned.',
    RUN_AS_USER_NOT_CLONED: 'A Windows command that names a run-as user: the user is not cloned.',
    COMMAND_FILES_OMITTED: 'The uploaded files of a command are not copied.',
    TEMPLATE_NOT_FOUND:
      'The policy template is unknown, so its values cannot be checked: the policy is skipped.',
    REQUIRED_SENSITIVE_VALUE:
      'A required policy field holds a sensitive value that is never copied: the policy is skipped.',
    SENSITIVE_VALUE_OMITTED:
      'Sensitive policy values (text, textarea, file, or marked sensitive) are left empty.',
    UNKNOWN_CONFIG_FIELD: 'A policy value for a field its template does not have is left out.',
    MEMBER_NOT_CLONED: 'A policy group member that is not copied is dropped.',
    MEMBERS_NOT_COPIED: 'A user group is copied without its users (and without member query exemptions).',
    DEVICES_NOT_COPIED: 'A device group is copied without its devices.',
    MDM_SETTINGS_NOT_COPIED: 'A device group is copied without its MDM settings.',
    BINDING_NOT_CLONED: 'Bindings of a user group to applications or directories are dropped.',
    DUO_NOT_CLONED: 'The Duo configuration is never copied.',
    APP_SPECIFIC_POLICY: 'A conditional access policy for one specific application is not copied.',
    RESOURCE_NOT_CLONED: 'A conditional access policy naming a resource by id that is not cloned.',
    USER_GROUP_NOT_CLONED:
      'A conditional access policy including or excluding a user group that is not copied: dropping it would widen access.',
    USER_NOT_CLONED: 'A conditional access policy targeting single users: users are never cloned.',
    IP_LIST_NOT_CLONED: 'A conditional access policy whose condition uses an IP list that is not copied.',
    JUMPCLOUD_DEFAULT_SELECTED: "The feature is reset to JumpCloud's default (disabled) as chosen.",
    ADMIN_NOT_FOUND: 'An administrator linked to the source that the provider no longer has.',
  },
);

export const ItemKindEnum = apiEnum<ItemKind>(
  'ItemKind',
  ITEM_KINDS,
  'Kind of a source item of a clone, in the order the clone records them.',
);

export const ReferenceTargetKindEnum = apiEnum<ReferenceTargetKind>(
  'ReferenceTargetKind',
  REFERENCE_TARGET_KINDS,
  'What a reference of a source item points at.',
);

export const DroppedReferenceCauseEnum = describedEnum<DroppedReferenceCause>(
  'DroppedReferenceCause',
  'Why a reference is not carried into the copy.',
  {
    TARGET_EXCLUDED: 'The target was deselected (or, for an IP list, no copied policy uses it).',
    TARGET_SKIPPED: 'The target is skipped by a clone rule.',
    TARGET_NOT_FOUND: 'The source refers to something it does not have.',
    TARGET_NEVER_CLONED: 'Users, files, applications and directories are never cloned.',
  },
);

export const PreflightCodeEnum = apiEnum<PreflightCode>(
  'PreflightCode',
  PREFLIGHT_CODES,
  'A pre-flight check of a clone preview.',
);

export const SeverityEnum = describedEnum<PreflightFinding['severity']>(
  'Severity',
  'How serious a pre-flight finding is.',
  {
    ERROR: 'The clone cannot start.',
    WARNING: 'The clone can start; the admin should know.',
  },
);

export const DeselectionTypeEnum = describedEnum<Deselection['type']>(
  'DeselectionType',
  'What one deselection of a clone selection leaves out.',
  {
    CATEGORY: 'A whole category.',
    ITEM: 'One source item, by id.',
    ADMIN: "One administrator's access.",
  },
);

/** The domain's clone states under the API's names: `requested` is `PENDING` here. */
export const CloneStatusEnum = registerApiEnum<Exclude<CloneStatus, 'absent'>>(
  'CloneStatus',
  {
    PENDING: 'requested',
    RUNNING: 'running',
    COMPLETED: 'completed',
    FAILED: 'failed',
    DISCARDED: 'discarded',
  },
  'Where a clone operation stands.',
  {
    PENDING: 'Requested; the server has not started copying yet.',
    RUNNING: 'Copying items into the new organization.',
    COMPLETED: 'Every item of the plan is recorded and the new organization is ready.',
    FAILED: 'Stopped by an error; whether it resumes is told with the failure.',
    DISCARDED:
      'Completed, then discarded: the new organization is hidden and its name free. History is kept.',
  },
);

export const CloneVerificationProblemEnum = describedEnum<CloneAuditProblem>(
  'CloneVerificationProblem',
  'What a verification of a clone history found wrong first: in the history itself, or in the read model.',
  {
    UNKNOWN_EVENT: 'An event that is not a clone event, or has no data.',
    CHAIN_HASH_MISMATCH:
      "An event's chain hash does not follow from the events before it: the history was altered.",
    ITEM_OUT_OF_ORDER: 'An item event is not the next item of the plan.',
    COMPLETION_CHAIN_HASH_MISMATCH:
      'The completion records another chain hash than the events before it give.',
    AUDIT_DIGEST_MISMATCH: 'The completion records another audit digest than the recorded items give.',
    TOTALS_MISMATCH: 'The completion records other totals than the recorded items give.',
    READ_MODEL_MISSING: 'The read model has no operation for the clone.',
    READ_MODEL_ROW_MISMATCH: 'The audit row of an item event differs from the event, or is missing.',
    READ_MODEL_ROW_UNEXPECTED: 'The audit has a row that no event up to the version it reflects records.',
    READ_MODEL_OPERATION_MISMATCH:
      'The operation differs from the history folded up to the version it reflects (`field` names where).',
  },
);
