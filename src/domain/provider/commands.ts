import type { AdminRole, BillingPlan, OrgAccess } from '../organization/model.js';

export type CreateProvider = {
  type: 'CreateProvider';
  data: { providerId: string; name: string; plan: BillingPlan; orgCreationDisabled: boolean };
};

export type ChangeBillingPlan = { type: 'ChangeBillingPlan'; data: { plan: BillingPlan } };

export type AddAdministrator = {
  type: 'AddAdministrator';
  data: {
    administratorId: string;
    email: string;
    firstname: string;
    lastname: string;
    roleName: AdminRole;
    orgAccess: OrgAccess;
    /** Only for `LINKED` access. */
    linkedOrganizationIds: string[];
  };
};

export type ChangeAdministratorRole = {
  type: 'ChangeAdministratorRole';
  data: { administratorId: string; roleName: AdminRole };
};

export type SuspendAdministrator = { type: 'SuspendAdministrator'; data: { administratorId: string } };

export type LinkAdministratorToOrganization = {
  type: 'LinkAdministratorToOrganization';
  data: { administratorId: string; organizationId: string };
};

export type UnlinkAdministratorFromOrganization = {
  type: 'UnlinkAdministratorFromOrganization';
  data: { administratorId: string; organizationId: string };
};

/**
 * The key is generated and hashed outside the domain (it is shown once to its owner and never
 * stored); the provider records only its id, its hash and a short prefix for display.
 */
export type IssueApiKey = {
  type: 'IssueApiKey';
  data: { apiKeyId: string; administratorId: string; keyHash: string; prefix: string; issuedAt: string };
};

export type RevokeApiKey = { type: 'RevokeApiKey'; data: { apiKeyId: string } };

export type ProviderCommand =
  | CreateProvider
  | ChangeBillingPlan
  | AddAdministrator
  | ChangeAdministratorRole
  | SuspendAdministrator
  | LinkAdministratorToOrganization
  | UnlinkAdministratorFromOrganization
  | IssueApiKey
  | RevokeApiKey;
