import type { AdminRole, BillingPlan } from '../organization/model.js';
import type { Administrator, ApiKey } from './state.js';

export type ProviderCreated = {
  type: 'ProviderCreated';
  data: { providerId: string; name: string; billing: { plan: BillingPlan }; orgCreationDisabled: boolean };
};

export type BillingPlanChanged = {
  type: 'BillingPlanChanged';
  data: { plan: BillingPlan; previousPlan: BillingPlan };
};

export type AdministratorAdded = { type: 'AdministratorAdded'; data: { administrator: Administrator } };

export type AdministratorRoleChanged = {
  type: 'AdministratorRoleChanged';
  data: { administratorId: string; roleName: AdminRole; previousRoleName: AdminRole };
};

export type AdministratorSuspended = { type: 'AdministratorSuspended'; data: { administratorId: string } };

export type AdministratorLinkedToOrganization = {
  type: 'AdministratorLinkedToOrganization';
  data: { administratorId: string; organizationId: string };
};

export type AdministratorUnlinkedFromOrganization = {
  type: 'AdministratorUnlinkedFromOrganization';
  data: { administratorId: string; organizationId: string };
};

export type ApiKeyIssued = { type: 'ApiKeyIssued'; data: { apiKey: Omit<ApiKey, 'revoked'> } };

export type ApiKeyRevoked = { type: 'ApiKeyRevoked'; data: { apiKeyId: string; administratorId: string } };

export type ProviderEvent =
  | ProviderCreated
  | BillingPlanChanged
  | AdministratorAdded
  | AdministratorRoleChanged
  | AdministratorSuspended
  | AdministratorLinkedToOrganization
  | AdministratorUnlinkedFromOrganization
  | ApiKeyIssued
  | ApiKeyRevoked;
