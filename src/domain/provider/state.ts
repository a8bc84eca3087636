import type { AdminRole, BillingPlan, OrgAccess } from '../organization/model.js';

/** An MSP administrator (JumpCloud's provider administrator). */
export interface Administrator {
  id: string;
  email: string;
  firstname: string;
  lastname: string;
  roleName: AdminRole;
  orgAccess: OrgAccess;
  /** Organizations a `LINKED` administrator may see and act on; empty for `ALL`. */
  linkedOrganizationIds: string[];
  suspended: boolean;
}

/** An API key as the provider knows it: never the key itself, only its hash and display prefix. */
export interface ApiKey {
  id: string;
  administratorId: string;
  keyHash: string;
  prefix: string;
  /** ISO-8601. */
  issuedAt: string;
  revoked: boolean;
}

/** A provider folded from its `provider-{id}` stream. Collections are keyed by id. */
export interface ProviderState {
  status: 'absent' | 'active';
  id: string;
  name: string;
  billing: { plan: BillingPlan };
  orgCreationDisabled: boolean;
  administrators: Record<string, Administrator>;
  apiKeys: Record<string, ApiKey>;
}
