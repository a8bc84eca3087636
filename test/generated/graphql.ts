/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** An administrator's `roleName`. Reading: every role but `BILLING_ONLY`; editing organizations: `ADMINISTRATOR_WITH_BILLING`, `ADMINISTRATOR`, `MANAGER`; cloning and discarding: `ADMINISTRATOR_WITH_BILLING` on a paid plan. */
export type AdministratorRole =
  | 'ADMINISTRATOR'
  | 'ADMINISTRATOR_WITH_BILLING'
  | 'BILLING_ONLY'
  | 'COMMAND_RUNNER'
  | 'COMMAND_RUNNER_WITH_BILLING'
  | 'HELP_DESK'
  | 'MANAGER'
  | 'READ_ONLY';

/** The provider's billing plan. */
export type BillingPlan =
  | 'FREE'
  | 'PAID'
  | 'TRIAL';

/** A category the admin can deselect as a whole in the clone wizard (`POLICIES` covers policies and policy groups). */
export type CloneCategory =
  | 'ADMIN_MANAGEMENT'
  | 'COMMANDS'
  | 'CONDITIONAL_ACCESS_POLICIES'
  | 'DEVICE_GROUPS'
  | 'MFA'
  | 'PASSWORD_CONFIGURATIONS'
  | 'PASSWORD_RECOVERY_EMAIL'
  | 'PASSWORD_SETTINGS'
  | 'POLICIES'
  | 'UID_GID_MANAGEMENT'
  | 'USER_GROUPS'
  | 'USER_PORTAL';

/** A clone to run: the preview input, plus the plan the admin accepted. */
export type CloneOrganizationInput = {
  /** The `planId` of the preview the admin accepted: the clone is refused with CONFLICT `PLAN_OUTDATED` if the source changed since. */
  expectedPlanId?: string | null | undefined;
  /** Per provider: the same key with the same input returns the same operation; with another input, CONFLICT `IDEMPOTENCY_KEY_REUSED`. A preview given the key the clone will be requested with shows the very ids that clone creates. */
  idempotencyKey?: string | null | undefined;
  /** Name of the new organization (unique per provider, case-insensitive). */
  name: string;
  /** What to leave out; absent: everything is copied. */
  selection?: CloneSelectionInput | null | undefined;
  /** The organization to clone. */
  sourceOrganizationId: string | number;
};

/** A clone to preview: source, new name, selection and idempotency key. */
export type ClonePreviewInput = {
  /** Per provider: the same key with the same input returns the same operation; with another input, CONFLICT `IDEMPOTENCY_KEY_REUSED`. A preview given the key the clone will be requested with shows the very ids that clone creates. */
  idempotencyKey?: string | null | undefined;
  /** Name of the new organization (unique per provider, case-insensitive). */
  name: string;
  /** What to leave out; absent: everything is copied. */
  selection?: CloneSelectionInput | null | undefined;
  /** The organization to clone. */
  sourceOrganizationId: string | number;
};

/** What to leave out of the clone. Everything left unsaid is copied; features keep the source value unless chosen otherwise. */
export type CloneSelectionInput = {
  /** Administrators whose access to the organization is not copied. */
  deselectedAdminIds?: Array<string | number> | null | undefined;
  /** Whole categories to leave out. */
  deselectedCategories?: Array<CloneCategory> | null | undefined;
  /** Source ids of single items to leave out: commands, policies, policy groups, user groups, device groups, IP lists, conditional access policies. */
  deselectedItemIds?: Array<string | number> | null | undefined;
  /** Choice per feature. */
  features?: Array<FeatureSelectionInput> | null | undefined;
};

/** Where a clone operation stands. */
export type CloneStatus =
  /** Every item of the plan is recorded and the new organization is ready. */
  | 'COMPLETED'
  /** Completed, then discarded: the new organization is hidden and its name free. History is kept. */
  | 'DISCARDED'
  /** Stopped by an error; whether it resumes is told with the failure. */
  | 'FAILED'
  /** Requested; the server has not started copying yet. */
  | 'PENDING'
  /** Copying items into the new organization. */
  | 'RUNNING';

/** What a verification of a clone history found wrong first: in the history itself, or in the read model. */
export type CloneVerificationProblem =
  /** The completion records another audit digest than the recorded items give. */
  | 'AUDIT_DIGEST_MISMATCH'
  /** An event's chain hash does not follow from the events before it: the history was altered. */
  | 'CHAIN_HASH_MISMATCH'
  /** The completion records another chain hash than the events before it give. */
  | 'COMPLETION_CHAIN_HASH_MISMATCH'
  /** An item event is not the next item of the plan. */
  | 'ITEM_OUT_OF_ORDER'
  /** The read model has no operation for the clone. */
  | 'READ_MODEL_MISSING'
  /** The operation differs from the history folded up to the version it reflects (`field` names where). */
  | 'READ_MODEL_OPERATION_MISMATCH'
  /** The audit row of an item event differs from the event, or is missing. */
  | 'READ_MODEL_ROW_MISMATCH'
  /** The audit has a row that no event up to the version it reflects records. */
  | 'READ_MODEL_ROW_UNEXPECTED'
  /** The completion records other totals than the recorded items give. */
  | 'TOTALS_MISMATCH'
  /** An event that is not a clone event, or has no data. */
  | 'UNKNOWN_EVENT';

/** What one deselection of a clone selection leaves out. */
export type DeselectionType =
  /** One administrator's access. */
  | 'ADMIN'
  /** A whole category. */
  | 'CATEGORY'
  /** One source item, by id. */
  | 'ITEM';

/** Why a reference is not carried into the copy. */
export type DroppedReferenceCause =
  /** The target was deselected (or, for an IP list, no copied policy uses it). */
  | 'TARGET_EXCLUDED'
  /** Users, files, applications and directories are never cloned. */
  | 'TARGET_NEVER_CLONED'
  /** The source refers to something it does not have. */
  | 'TARGET_NOT_FOUND'
  /** The target is skipped by a clone rule. */
  | 'TARGET_SKIPPED';

/** An optional feature of an organization (JumpCloud default for a new organization: disabled). */
export type Feature =
  | 'DIRECTORY_INSIGHTS'
  | 'REMOTE_ASSIST'
  | 'SYSTEM_INSIGHTS';

/** What the new organization gets for a feature. */
export type FeatureChoice =
  /** JumpCloud's default for a new organization: disabled. */
  | 'JUMPCLOUD_DEFAULT'
  /** The source organization's value. */
  | 'KEEP_SOURCE';

/** What the new organization gets for one feature. */
export type FeatureSelectionInput = {
  /** The source's value or JumpCloud's default (disabled). */
  choice: FeatureChoice;
  /** The feature. */
  feature: Feature;
};

/** Kind of a source item of a clone, in the order the clone records them. */
export type ItemKind =
  | 'ADMIN_ACCESS'
  | 'COMMAND'
  | 'CONDITIONAL_ACCESS_POLICY'
  | 'DEVICE_GROUP'
  | 'DUO_CONFIGURATION'
  | 'FEATURE'
  | 'IP_LIST'
  | 'MFA_METHOD'
  | 'POLICY'
  | 'POLICY_GROUP'
  | 'PROPRIETARY_SETTING'
  | 'SETTING'
  | 'USER_GROUP';

/** What a clone does with a source item. */
export type Outcome =
  /** Copied as it is (references remapped to the new ids). */
  | 'COPIED'
  /** Copied without some of its parts; the reasons and omitted fields say which. */
  | 'COPIED_WITH_OMISSIONS'
  /** Not copied because the selection leaves it out (or nothing copied refers to it). */
  | 'EXCLUDED'
  /** Set to JumpCloud's default instead of the source value (features). */
  | 'RESET_TO_DEFAULT'
  /** Not copied because of a clone rule; the reasons say which. */
  | 'SKIPPED';

/** Category of a clone item in the review and its totals: the wizard categories plus those nobody can deselect (proprietary settings, features, admins). */
export type PlanCategory =
  | 'ADMINS'
  | 'ADMIN_MANAGEMENT'
  | 'COMMANDS'
  | 'CONDITIONAL_ACCESS_POLICIES'
  | 'DEVICE_GROUPS'
  | 'FEATURES'
  | 'MFA'
  | 'PASSWORD_CONFIGURATIONS'
  | 'PASSWORD_RECOVERY_EMAIL'
  | 'PASSWORD_SETTINGS'
  | 'POLICIES'
  | 'PROPRIETARY_SETTINGS'
  | 'UID_GID_MANAGEMENT'
  | 'USER_GROUPS'
  | 'USER_PORTAL';

/** A pre-flight check of a clone preview. */
export type PreflightCode =
  | 'NAME_REQUIRED'
  | 'NAME_TAKEN'
  | 'NOT_ALLOWED'
  | 'ORG_CREATION_DISABLED'
  | 'PLAN_NOT_PAID'
  | 'SOURCE_DISCARDED'
  | 'SOURCE_EMPTY'
  | 'SOURCE_NOT_FOUND'
  | 'UNKNOWN_ADMIN'
  | 'UNKNOWN_ITEM';

/** Why a clone item is not copied as it is. */
export type ReasonCode =
  /** An administrator linked to the source that the provider no longer has. */
  | 'ADMIN_NOT_FOUND'
  /** A conditional access policy for one specific application is not copied. */
  | 'APP_SPECIFIC_POLICY'
  /** Bindings of a user group to applications or directories are dropped. */
  | 'BINDING_NOT_CLONED'
  /** The uploaded files of a command are not copied. */
  | 'COMMAND_FILES_OMITTED'
  /** A device group is copied without its devices. */
  | 'DEVICES_NOT_COPIED'
  /** The Duo configuration is never copied. */
  | 'DUO_NOT_CLONED'
  /** Deselected (its category, the item itself, or the admin). */
  | 'EXCLUDED_BY_SELECTION'
  /** A conditional access policy whose condition uses an IP list that is not copied. */
  | 'IP_LIST_NOT_CLONED'
  /** The feature is reset to JumpCloud's default (disabled) as chosen. */
  | 'JUMPCLOUD_DEFAULT_SELECTED'
  /** A device group is copied without its MDM settings. */
  | 'MDM_SETTINGS_NOT_COPIED'
  /** A user group is copied without its users (and without member query exemptions). */
  | 'MEMBERS_NOT_COPIED'
  /** A policy group member that is not copied is dropped. */
  | 'MEMBER_NOT_CLONED'
  /** A Linux or macOS command that runs as a user other than root: the user is not cloned. */
  | 'NON_ROOT_UNIX_COMMAND'
  /** An IP list that no copied conditional access policy uses: IP lists travel with their policies. */
  | 'NOT_REFERENCED'
  /** A proprietary setting (contact, logo, disclaimer, limits, MDM, credentials): never copied. */
  | 'PROPRIETARY_SETTING'
  /** A required policy field holds a sensitive value that is never copied: the policy is skipped. */
  | 'REQUIRED_SENSITIVE_VALUE'
  /** A conditional access policy naming a resource by id that is not cloned. */
  | 'RESOURCE_NOT_CLONED'
  /** A Windows command that names a run-as user: the user is not cloned. */
  | 'RUN_AS_USER_NOT_CLONED'
  /** Sensitive policy values (text, textarea, file, or marked sensitive) are left empty. */
  | 'SENSITIVE_VALUE_OMITTED'
  /** The policy template is unknown, so its values cannot be checked: the policy is skipped. */
  | 'TEMPLATE_NOT_FOUND'
  /** A policy value for a field its template does not have is left out. */
  | 'UNKNOWN_CONFIG_FIELD'
  /** A conditional access policy including or excluding a user group that is not copied: dropping it would widen access. */
  | 'USER_GROUP_NOT_CLONED'
  /** A conditional access policy targeting single users: users are never cloned. */
  | 'USER_NOT_CLONED';

/** What a reference of a source item points at. */
export type ReferenceTargetKind =
  | 'ACTIVE_DIRECTORY'
  | 'ADMIN_PORTAL'
  | 'APPLICATION'
  | 'DEVICE_GROUP'
  | 'FILE'
  | 'G_SUITE'
  | 'IP_LIST'
  | 'LDAP_SERVER'
  | 'OFFICE_365'
  | 'POLICY'
  | 'RADIUS_SERVER'
  | 'USER'
  | 'USER_GROUP'
  | 'USER_PORTAL';

/** How serious a pre-flight finding is. */
export type Severity =
  /** The clone cannot start. */
  | 'ERROR'
  /** The clone can start; the admin should know. */
  | 'WARNING';

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { administrator: { id: string, email: string, roleName: AdministratorRole }, provider: { id: string, name: string, billing: { plan: BillingPlan } } } };

export type OrganizationsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type OrganizationsQuery = { organizations: { edges: Array<{ cursor: string, node: { id: string, displayName: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CloneItemFieldsFragment = { index: number, kind: ItemKind, category: PlanCategory, sourceId: string, name: string, newId: string | null, outcome: Outcome, reasons: Array<ReasonCode>, omittedFields: Array<string>, droppedReferences: Array<{ field: string, targetKind: ReferenceTargetKind, targetId: string, cause: DroppedReferenceCause }> };

export type TotalsFieldsFragment = { category: PlanCategory, copied: number, copiedWithOmissions: number, resetToDefault: number, skipped: number, excluded: number, total: number };

export type WizardPreviewQueryVariables = Exact<{
  input: ClonePreviewInput;
  first: number;
  after?: string | null | undefined;
}>;


export type WizardPreviewQuery = { clonePreview: { planId: string, sourceOrganizationId: string, sourceVersion: string, name: string, userCount: number, deviceCount: number, items: { edges: Array<{ node: { index: number, kind: ItemKind, category: PlanCategory, sourceId: string, name: string, newId: string | null, outcome: Outcome, reasons: Array<ReasonCode>, omittedFields: Array<string>, droppedReferences: Array<{ field: string, targetKind: ReferenceTargetKind, targetId: string, cause: DroppedReferenceCause }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, totals: Array<{ category: PlanCategory, copied: number, copiedWithOmissions: number, resetToDefault: number, skipped: number, excluded: number, total: number }>, remap: Array<{ kind: ItemKind, sourceId: string, newId: string }>, deselectionEffects: Array<{ deselection: { type: DeselectionType, category: CloneCategory | null, sourceId: string | null }, excludedItems: Array<{ kind: ItemKind, sourceId: string }>, affectedItems: Array<{ kind: ItemKind, sourceId: string, outcome: Outcome, outcomeIfReselected: Outcome }> }>, preflight: Array<{ code: PreflightCode, severity: Severity, field: string | null }> } };

export type WizardCloneMutationVariables = Exact<{
  input: CloneOrganizationInput;
}>;


export type WizardCloneMutation = { cloneOrganization: { id: string, status: CloneStatus, planId: string, targetOrganizationId: string, progress: { done: number, total: number } } };

export type WizardProgressSubscriptionVariables = Exact<{
  cloneId: string | number;
}>;


export type WizardProgressSubscription = { cloneProgress: { cloneId: string, status: CloneStatus, terminal: boolean, auditDigest: string | null, progress: { done: number, total: number, phase: PlanCategory | null }, totals: Array<{ category: PlanCategory, copied: number, copiedWithOmissions: number, resetToDefault: number, skipped: number, excluded: number, total: number }> | null } };

export type WizardReviewQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
  outcome?: Outcome | null | undefined;
}>;


export type WizardReviewQuery = { cloneOperation: { id: string, status: CloneStatus, planId: string, sourceVersion: string, auditDigest: string | null, totals: Array<{ category: PlanCategory, copied: number, copiedWithOmissions: number, resetToDefault: number, skipped: number, excluded: number, total: number }>, target: { id: string, displayName: string, clonedFrom: { cloneId: string, sourceOrganizationId: string, sourceVersion: string } | null } | null, audit: { edges: Array<{ node: { index: number, kind: ItemKind, category: PlanCategory, sourceId: string, name: string, newId: string | null, outcome: Outcome, reasons: Array<ReasonCode>, omittedFields: Array<string>, droppedReferences: Array<{ field: string, targetKind: ReferenceTargetKind, targetId: string, cause: DroppedReferenceCause }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, verification: { valid: boolean, eventsChecked: number, firstMismatch: { version: string, type: string, problem: CloneVerificationProblem } | null } } };

export type WizardHistoryQueryVariables = Exact<{
  id: string | number;
  fromVersion: string;
  first: number;
}>;


export type WizardHistoryQuery = { cloneOperation: { history: Array<{ version: string, globalPosition: string, type: string, time: string, data: Record<string, unknown>, metadata: Record<string, unknown> }> } };

export type WizardAuditAsOfQueryVariables = Exact<{
  id: string | number;
  version: string;
  first: number;
}>;


export type WizardAuditAsOfQuery = { cloneOperation: { auditAsOf: { edges: Array<{ node: { index: number, sourceId: string, outcome: Outcome } }> } } };

export type WizardHistoryListQueryVariables = Exact<{
  first: number;
}>;


export type WizardHistoryListQuery = { cloneOperations: { edges: Array<{ node: { id: string, status: CloneStatus, name: string } }> } };

export type WizardDiscardMutationVariables = Exact<{
  cloneId: string | number;
  force: boolean;
}>;


export type WizardDiscardMutation = { discardClonedOrganization: { id: string, status: CloneStatus, discard: { forced: boolean } | null } };

export const CloneItemFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CloneItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CloneItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"sourceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"newId"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"}},{"kind":"Field","name":{"kind":"Name","value":"omittedFields"}},{"kind":"Field","name":{"kind":"Name","value":"droppedReferences"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"targetKind"}},{"kind":"Field","name":{"kind":"Name","value":"targetId"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}}]}}]}}]} as unknown as DocumentNode<CloneItemFieldsFragment, unknown>;
export const TotalsFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TotalsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CategoryTotals"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"copied"}},{"kind":"Field","name":{"kind":"Name","value":"copiedWithOmissions"}},{"kind":"Field","name":{"kind":"Name","value":"resetToDefault"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"excluded"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}}]} as unknown as DocumentNode<TotalsFieldsFragment, unknown>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"administrator"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"roleName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"billing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"plan"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const OrganizationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Organizations"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organizations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<OrganizationsQuery, OrganizationsQueryVariables>;
export const WizardPreviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WizardPreview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ClonePreviewInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clonePreview"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"planId"}},{"kind":"Field","name":{"kind":"Name","value":"sourceOrganizationId"}},{"kind":"Field","name":{"kind":"Name","value":"sourceVersion"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"userCount"}},{"kind":"Field","name":{"kind":"Name","value":"deviceCount"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CloneItemFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TotalsFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"remap"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"sourceId"}},{"kind":"Field","name":{"kind":"Name","value":"newId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"deselectionEffects"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deselection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"sourceId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"excludedItems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"sourceId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"affectedItems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"sourceId"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"outcomeIfReselected"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"preflight"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CloneItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CloneItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"sourceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"newId"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"}},{"kind":"Field","name":{"kind":"Name","value":"omittedFields"}},{"kind":"Field","name":{"kind":"Name","value":"droppedReferences"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"targetKind"}},{"kind":"Field","name":{"kind":"Name","value":"targetId"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TotalsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CategoryTotals"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"copied"}},{"kind":"Field","name":{"kind":"Name","value":"copiedWithOmissions"}},{"kind":"Field","name":{"kind":"Name","value":"resetToDefault"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"excluded"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}}]} as unknown as DocumentNode<WizardPreviewQuery, WizardPreviewQueryVariables>;
export const WizardCloneDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WizardClone"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CloneOrganizationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cloneOrganization"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"planId"}},{"kind":"Field","name":{"kind":"Name","value":"targetOrganizationId"}},{"kind":"Field","name":{"kind":"Name","value":"progress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}}]}}]}}]} as unknown as DocumentNode<WizardCloneMutation, WizardCloneMutationVariables>;
export const WizardProgressDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WizardProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cloneId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cloneProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cloneId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cloneId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cloneId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"terminal"}},{"kind":"Field","name":{"kind":"Name","value":"progress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TotalsFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"auditDigest"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TotalsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CategoryTotals"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"copied"}},{"kind":"Field","name":{"kind":"Name","value":"copiedWithOmissions"}},{"kind":"Field","name":{"kind":"Name","value":"resetToDefault"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"excluded"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}}]} as unknown as DocumentNode<WizardProgressSubscription, WizardProgressSubscriptionVariables>;
export const WizardReviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WizardReview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"outcome"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Outcome"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cloneOperation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"planId"}},{"kind":"Field","name":{"kind":"Name","value":"sourceVersion"}},{"kind":"Field","name":{"kind":"Name","value":"auditDigest"}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TotalsFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"target"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"clonedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cloneId"}},{"kind":"Field","name":{"kind":"Name","value":"sourceOrganizationId"}},{"kind":"Field","name":{"kind":"Name","value":"sourceVersion"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"audit"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"outcome"},"value":{"kind":"Variable","name":{"kind":"Name","value":"outcome"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CloneItemFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"verification"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"valid"}},{"kind":"Field","name":{"kind":"Name","value":"eventsChecked"}},{"kind":"Field","name":{"kind":"Name","value":"firstMismatch"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"problem"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TotalsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CategoryTotals"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"copied"}},{"kind":"Field","name":{"kind":"Name","value":"copiedWithOmissions"}},{"kind":"Field","name":{"kind":"Name","value":"resetToDefault"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"excluded"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CloneItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CloneItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"sourceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"newId"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"}},{"kind":"Field","name":{"kind":"Name","value":"omittedFields"}},{"kind":"Field","name":{"kind":"Name","value":"droppedReferences"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"targetKind"}},{"kind":"Field","name":{"kind":"Name","value":"targetId"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}}]}}]}}]} as unknown as DocumentNode<WizardReviewQuery, WizardReviewQueryVariables>;
export const WizardHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WizardHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fromVersion"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"BigIntString"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cloneOperation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"fromVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fromVersion"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"globalPosition"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]}}]}}]} as unknown as DocumentNode<WizardHistoryQuery, WizardHistoryQueryVariables>;
export const WizardAuditAsOfDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WizardAuditAsOf"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"BigIntString"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cloneOperation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditAsOf"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"sourceId"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<WizardAuditAsOfQuery, WizardAuditAsOfQueryVariables>;
export const WizardHistoryListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WizardHistoryList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cloneOperations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WizardHistoryListQuery, WizardHistoryListQueryVariables>;
export const WizardDiscardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WizardDiscard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cloneId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"force"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"discardClonedOrganization"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cloneId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cloneId"}}},{"kind":"Argument","name":{"kind":"Name","value":"force"},"value":{"kind":"Variable","name":{"kind":"Name","value":"force"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"discard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"forced"}}]}}]}}]}}]} as unknown as DocumentNode<WizardDiscardMutation, WizardDiscardMutationVariables>;