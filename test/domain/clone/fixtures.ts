/** Small builders of source organizations and policy templates for the clone tests. */
import { initialState } from '../../../src/domain/organization/evolve.js';
import { ROOT_USER_ID } from '../../../src/domain/organization/model.js';
import type {
  Command,
  ConditionalAccessPolicy,
  DeviceGroup,
  IpList,
  Policy,
  PolicyGroup,
  PolicyTemplate,
  PolicyTemplateConfigField,
  UserGroup,
} from '../../../src/domain/organization/model.js';
import type { OrganizationState } from '../../../src/domain/organization/state.js';
import type { PlanCloneInput } from '../../../src/domain/clone/planner.js';
import { planClone } from '../../../src/domain/clone/planner.js';
import type { ClonePlan, ItemKind, PlanItem } from '../../../src/domain/clone/plan.js';
import type { PreflightContext } from '../../../src/domain/clone/preflight.js';

export function byId<T extends { id: string }>(...items: T[]): Record<string, T> {
  return Object.fromEntries(items.map((item) => [item.id, item]));
}

export function organization(parts: Partial<OrganizationState> = {}): OrganizationState {
  return {
    ...initialState(),
    status: 'active',
    id: 'org-source',
    providerId: 'provider-1',
    displayName: 'Source',
    created: '2024-01-01T00:00:00.000Z',
    ...parts,
  };
}

export function command(parts: Partial<Command> & { id: string }): Command {
  return {
    name: `command ${parts.id}`,
    command: 'echo hello',
    commandType: 'linux',
    user: ROOT_USER_ID,
    sudo: false,
    shell: 'bash',
    launchType: 'manual',
    schedule: '',
    scheduleRepeatType: '',
    timeout: 120,
    trigger: '',
    files: [],
    description: '',
    deviceGroupIds: [],
    ...parts,
  };
}

export function field(parts: Partial<PolicyTemplateConfigField> & { id: string }): PolicyTemplateConfigField {
  return {
    name: parts.id,
    label: parts.id,
    displayType: 'checkbox',
    required: false,
    sensitive: false,
    defaultValue: null,
    ...parts,
  };
}

export function template(id: string, configFields: PolicyTemplateConfigField[]): PolicyTemplate {
  return { id, name: id, displayName: id, description: '', osMetaFamily: 'darwin', configFields };
}

/** Templates of the planner tests: every kind of field the rules tell apart. */
export const TEMPLATES = [
  template('tpl-banner', [
    field({ id: 'f-enabled', name: 'bannerEnabled', displayType: 'checkbox' }),
    field({ id: 'f-banner', name: 'bannerText', displayType: 'textarea' }),
    field({ id: 'f-motd', name: 'motd', displayType: 'text' }),
    field({ id: 'f-delay', name: 'delay', displayType: 'number' }),
  ]),
  template('tpl-certificate', [
    field({ id: 'f-cert', name: 'certificate', displayType: 'file', required: true }),
    field({ id: 'f-keychain', name: 'keychain', displayType: 'select' }),
  ]),
  template('tpl-token', [
    field({ id: 'f-flag', name: 'flag', displayType: 'checkbox' }),
    field({ id: 'f-token', name: 'token', displayType: 'select', sensitive: true }),
  ]),
  template('tpl-required-secret', [
    field({ id: 'f-secret', name: 'secret', displayType: 'select', sensitive: true, required: true }),
  ]),
];

export function templateLookup(templates: readonly PolicyTemplate[] = TEMPLATES) {
  const byTemplateId = new Map(templates.map((entry) => [entry.id, entry]));
  return (id: string) => byTemplateId.get(id);
}

export function policy(parts: Partial<Policy> & { id: string }): Policy {
  return {
    name: `policy ${parts.id}`,
    notes: '',
    templateId: 'tpl-banner',
    values: [],
    deviceGroupIds: [],
    ...parts,
  };
}

export function policyGroup(parts: Partial<PolicyGroup> & { id: string }): PolicyGroup {
  return { name: `policy group ${parts.id}`, description: '', policyIds: [], deviceGroupIds: [], ...parts };
}

export function userGroup(parts: Partial<UserGroup> & { id: string }): UserGroup {
  return {
    name: `user group ${parts.id}`,
    description: '',
    email: '',
    attributes: {
      sudo: { enabled: false, withoutPassword: false },
      ldapGroups: [],
      posixGroups: [],
      radius: { reply: [] },
      sambaEnabled: false,
    },
    membershipMethod: 'STATIC',
    memberQuery: null,
    memberQueryExemptions: [],
    memberUserIds: [],
    bindings: [],
    ...parts,
  };
}

export function deviceGroup(parts: Partial<DeviceGroup> & { id: string }): DeviceGroup {
  return {
    name: `device group ${parts.id}`,
    description: '',
    attributes: {},
    membershipMethod: 'STATIC',
    memberQuery: null,
    memberDeviceIds: [],
    mdm: null,
    ...parts,
  };
}

export function ipList(parts: Partial<IpList> & { id: string }): IpList {
  return { name: `ip list ${parts.id}`, description: '', ips: ['10.0.0.0/8'], ...parts };
}

export function accessPolicy(
  parts: Partial<Omit<ConditionalAccessPolicy, 'targets'>> & {
    id: string;
    targets?: Partial<ConditionalAccessPolicy['targets']>;
  },
): ConditionalAccessPolicy {
  const { targets, ...rest } = parts;
  return {
    name: `access policy ${parts.id}`,
    description: '',
    disabled: false,
    type: 'user_portal',
    conditions: null,
    effect: { action: 'allow', obligations: { mfa: { required: true }, mfaFactors: [{ type: 'TOTP' }] } },
    ...rest,
    targets: {
      users: { inclusions: [] },
      userGroups: { inclusions: [], exclusions: [] },
      resources: [{ type: 'user_portal' }],
      ...targets,
    },
  };
}

export const ALLOWED: PreflightContext = {
  nameTaken: false,
  callerMayClone: true,
  providerPlan: 'PAID',
  orgCreationDisabled: false,
};

export function plan(
  source: OrganizationState,
  input: Partial<Omit<PlanCloneInput, 'source'>> = {},
): ClonePlan {
  return planClone({
    cloneId: 'clone-1',
    source,
    sourceVersion: 7n,
    name: 'New org',
    templates: templateLookup(),
    preflight: ALLOWED,
    ...input,
  });
}

/** The plan item of one source item; fails the test when the plan lacks it. */
export function itemOf<K extends ItemKind>(
  plan: ClonePlan,
  kind: K,
  sourceId: string,
): Extract<PlanItem, { kind: K }> {
  const found = plan.items.find((item) => item.kind === kind && item.sourceId === sourceId);
  if (!found) throw new Error(`the plan has no ${kind} ${sourceId}`);
  return found as Extract<PlanItem, { kind: K }>;
}

/** A source with at least one item of every event type a clone can record. */
export function richSource(): OrganizationState {
  return organization({
    proprietary: { contactEmail: 'it@source.example' },
    features: { directoryInsights: true, systemInsights: false, remoteAssist: true },
    userGroups: byId(
      userGroup({ id: 'ug-staff', memberUserIds: ['user-1'] }),
      userGroup({ id: 'ug-admins' }),
    ),
    deviceGroups: byId(deviceGroup({ id: 'dg-macs', memberDeviceIds: ['device-1'] })),
    commands: byId(
      command({ id: 'cmd-root', deviceGroupIds: ['dg-macs'] }),
      command({ id: 'cmd-user', user: 'user-1' }),
      command({ id: 'cmd-win', commandType: 'windows', user: '', files: ['file-1'] }),
    ),
    policies: byId(
      policy({
        id: 'pol-banner',
        values: [{ configFieldID: 'f-banner', value: { sealed: 'x' }, sensitive: false }],
      }),
      policy({ id: 'pol-cert', templateId: 'tpl-certificate' }),
    ),
    policyGroups: byId(
      policyGroup({ id: 'pg', policyIds: ['pol-banner', 'pol-cert'], deviceGroupIds: ['dg-macs'] }),
    ),
    ipLists: byId(ipList({ id: 'ip-office' }), ipList({ id: 'ip-unused' })),
    conditionalAccessPolicies: byId(
      accessPolicy({
        id: 'ca-staff',
        targets: { userGroups: { inclusions: ['ug-staff'], exclusions: ['ug-admins'] } },
        conditions: { all: [{ ipAddressIn: ['ip-office'] }, { deviceEncrypted: true }] },
      }),
      accessPolicy({
        id: 'ca-app',
        type: 'application',
        targets: { resources: [{ type: 'application', id: 'app-1' }] },
      }),
    ),
    mfa: {
      push: { enabled: true },
      totp: { enabled: true },
      webAuthn: { enabled: false, allowSelfRegistration: false },
      duo: {
        accountId: 'acc',
        apiHost: 'api.duo.example',
        integrationKey: 'ikey',
        secretKey: { sealed: 'x' },
      },
    },
    users: byId({ id: 'user-1', username: 'jane', email: 'jane@source.example' }),
    devices: byId({ id: 'device-1', hostname: 'mac-1', os: 'Mac OS X' }),
    adminIds: ['admin-1', 'admin-2'],
  });
}
