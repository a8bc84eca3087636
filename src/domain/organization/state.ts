import type {
  Command,
  ConditionalAccessPolicy,
  Device,
  DeviceGroup,
  Features,
  IpList,
  MfaConfiguration,
  OrganizationSettings,
  Policy,
  PolicyGroup,
  ProprietarySettings,
  User,
  UserGroup,
} from './model.js';

/** Lineage of an organization created by a clone. */
export interface ClonedFrom {
  cloneId: string;
  sourceOrganizationId: string;
  /** Revision of the source organization's stream the clone copied (decimal string: bigint-safe in JSON). */
  sourceVersion: string;
}

/**
 * An organization folded from its `organization-{id}` stream. Item collections are keyed by id and
 * keep insertion order (ids are never integer-like, so object key order is insertion order).
 * Sensitive values (policy values that a clone must not copy, the Duo secret key) are held sealed,
 * never as plain text: see `SealedValue`.
 */
export interface OrganizationState {
  /**
   * `provisioning`: created by a clone that is still writing its items into it (`OrganizationCreated`
   * with `clonedFrom`, until `OrganizationProvisioned`); nothing else may change it meanwhile.
   */
  status: 'absent' | 'provisioning' | 'active' | 'discarded';
  id: string;
  providerId: string;
  displayName: string;
  /** ISO-8601 time of creation. */
  created: string;
  clonedFrom: ClonedFrom | null;
  settings: OrganizationSettings;
  proprietary: ProprietarySettings;
  features: Features;
  commands: Record<string, Command>;
  policies: Record<string, Policy>;
  policyGroups: Record<string, PolicyGroup>;
  userGroups: Record<string, UserGroup>;
  deviceGroups: Record<string, DeviceGroup>;
  users: Record<string, User>;
  devices: Record<string, Device>;
  ipLists: Record<string, IpList>;
  conditionalAccessPolicies: Record<string, ConditionalAccessPolicy>;
  mfa: MfaConfiguration;
  /** Administrator ids linked to (allowed to manage) this organization. */
  adminIds: string[];
}

export type { SealedValue } from './model.js';
