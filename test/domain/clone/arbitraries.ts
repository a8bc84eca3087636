/**
 * fast-check generators of source organizations for the clone properties: every kind of item,
 * references across them (some to items that are missing, as a stale source may hold), policies
 * over generated templates, and a unique marker string in every sensitive place (values of
 * sensitive policy fields, plain or sealed; values of unknown fields; the whole Duo configuration;
 * proprietary settings). Nothing else holds a marker, so a marker anywhere in a plan or in the
 * clone's events is a leak.
 */
import fc from 'fast-check';
import { defaultSettings } from '../../../src/domain/organization/defaults.js';
import {
  DISPLAY_TYPES,
  FEATURE_KEYS,
  PROPRIETARY_SETTING_KEYS,
  ROOT_USER_ID,
} from '../../../src/domain/organization/model.js';
import type {
  AuthnCondition,
  Command,
  ConditionalAccessPolicy,
  DeviceGroup,
  DisplayType,
  IpList,
  Policy,
  PolicyGroup,
  PolicyTemplate,
  PolicyValue,
  UserGroup,
} from '../../../src/domain/organization/model.js';
import type { OrganizationState } from '../../../src/domain/organization/state.js';
import type { CloneSelection } from '../../../src/domain/clone/selection.js';
import { CLONE_CATEGORIES, FEATURE_CHOICES } from '../../../src/domain/clone/selection.js';
import { byId, field, template } from './fixtures.js';

export const MARKER = 'SENSITIVE-MARKER';

const pool = (prefix: string, size: number) =>
  Array.from({ length: size }, (_, index) => `${prefix}-${index}`);
const IDS = {
  userGroup: pool('ug', 5),
  deviceGroup: pool('dg', 5),
  command: pool('cmd', 5),
  policy: pool('pol', 6),
  policyGroup: pool('pg', 4),
  ipList: pool('ip', 4),
  accessPolicy: pool('ca', 5),
  user: pool('user', 4),
  device: pool('device', 4),
  admin: pool('admin', 4),
  template: pool('tpl', 4),
};
/** Ids a source may reference without holding (deleted items). */
const GHOSTS = ['ghost-1', 'ghost-2'];

const SENSITIVE_DISPLAY_TYPES: readonly DisplayType[] = ['text', 'textarea', 'file'];

const subset = (values: readonly string[]) => fc.subarray([...values]);
/** Mostly references to items of the pool; now and then to items the source does not hold. */
const references = (values: readonly string[], maxLength = values.length) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.subarray([...values], { maxLength }) },
    { weight: 1, arbitrary: fc.subarray([...values, ...GHOSTS], { maxLength }) },
  );

/** True one time in four. */
const seldom = fc.integer({ min: 0, max: 3 }).map((draw) => draw === 0);

let markers = 0;
/** A marker no other place holds: the number makes every planted one distinct. */
const marker = () => `${MARKER}-${++markers}`;

const templatesArbitrary: fc.Arbitrary<PolicyTemplate[]> = fc
  .tuple(
    ...IDS.template.map(() =>
      fc.array(
        fc.record({
          displayType: fc.constantFrom(...DISPLAY_TYPES),
          required: seldom,
          sensitive: seldom,
        }),
        { minLength: 1, maxLength: 4 },
      ),
    ),
  )
  .map((fieldsPerTemplate) =>
    fieldsPerTemplate.map((fields, templateIndex) =>
      template(
        IDS.template[templateIndex]!,
        fields.map((spec, fieldIndex) =>
          field({ id: `${IDS.template[templateIndex]}-f${fieldIndex}`, name: `field${fieldIndex}`, ...spec }),
        ),
      ),
    ),
  );

function policyValues(
  templateOf: PolicyTemplate | undefined,
  choices: { present: boolean; flagged: boolean; sealed: boolean }[],
  unknownField: boolean,
): PolicyValue[] {
  const values: PolicyValue[] = [];
  for (const [index, configField] of (templateOf?.configFields ?? []).entries()) {
    const choice = choices[index % choices.length]!;
    if (!choice.present) continue;
    // The SPEC's rule, restated independently of the code under test.
    const sensitive =
      SENSITIVE_DISPLAY_TYPES.includes(configField.displayType) || configField.sensitive || choice.flagged;
    const plain = sensitive ? marker() : `plain value ${index}`;
    values.push({
      configFieldID: configField.id,
      value: sensitive && choice.sealed ? { sealed: plain } : plain,
      sensitive: choice.flagged,
    });
  }
  if (unknownField) values.push({ configFieldID: 'unknown-field', value: marker(), sensitive: false });
  return values;
}

const conditionArbitrary: fc.Arbitrary<AuthnCondition> = fc.letrec<{ condition: AuthnCondition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    {
      weight: 3,
      arbitrary: references(IDS.ipList, 2).map((ids): AuthnCondition => ({ ipAddressIn: ids })),
    },
    fc.boolean().map((deviceManaged): AuthnCondition => ({ deviceManaged })),
    fc.constant<AuthnCondition>({ locationIn: { countries: ['NL', 'US'] } }),
    tie('condition').map((not): AuthnCondition => ({ not })),
    fc.array(tie('condition'), { maxLength: 3 }).map((all): AuthnCondition => ({ all })),
    fc.array(tie('condition'), { maxLength: 3 }).map((any): AuthnCondition => ({ any })),
  ),
})).condition;

export interface GeneratedSource {
  source: OrganizationState;
  templates: PolicyTemplate[];
}

export const sourceArbitrary: fc.Arbitrary<GeneratedSource> = fc
  .record({
    templates: templatesArbitrary,
    userGroups: fc.array(
      fc.record({
        id: fc.constantFrom(...IDS.userGroup),
        members: subset(IDS.user),
        exempt: subset(IDS.user),
        bindings: fc.subarray([
          { type: 'application' as const, id: 'app-1' },
          { type: 'g_suite' as const, id: 'gsuite-1' },
        ]),
      }),
      { maxLength: 5 },
    ),
    deviceGroups: fc.array(
      fc.record({ id: fc.constantFrom(...IDS.deviceGroup), members: subset(IDS.device), mdm: fc.boolean() }),
      { maxLength: 5 },
    ),
    commands: fc.array(
      fc.record({
        id: fc.constantFrom(...IDS.command),
        commandType: fc.constantFrom('linux', 'mac', 'windows'),
        user: fc.constantFrom(ROOT_USER_ID, '', 'user-0'),
        files: fc.subarray(['file-1', 'file-2']),
        deviceGroupIds: references(IDS.deviceGroup),
      }),
      { maxLength: 5 },
    ),
    policies: fc.array(
      fc.record({
        id: fc.constantFrom(...IDS.policy),
        templateId: fc.constantFrom(...IDS.template, 'tpl-ghost'),
        choices: fc.array(fc.record({ present: fc.boolean(), flagged: seldom, sealed: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        unknownField: fc.boolean(),
        deviceGroupIds: references(IDS.deviceGroup),
      }),
      { maxLength: 6 },
    ),
    policyGroups: fc.array(
      fc.record({
        id: fc.constantFrom(...IDS.policyGroup),
        policyIds: references(IDS.policy),
        deviceGroupIds: references(IDS.deviceGroup),
      }),
      { maxLength: 4 },
    ),
    ipLists: fc.subarray(IDS.ipList, { minLength: 2 }),
    accessPolicies: fc.array(
      fc.record({
        id: fc.constantFrom(...IDS.accessPolicy),
        users: fc.oneof(
          { weight: 4, arbitrary: fc.constant<string[]>([]) },
          { weight: 1, arbitrary: fc.constant<string[]>(['user-0']) },
        ),
        inclusions: references(IDS.userGroup, 2),
        exclusions: references(IDS.userGroup, 1),
        resource: fc.constantFrom<ConditionalAccessPolicy['targets']['resources'][number]>(
          { type: 'user_portal' },
          { type: 'admin_portal' },
          { type: 'application' },
          { type: 'application', id: 'app-1' },
          { type: 'ldap', id: 'ldap-1' },
        ),
        conditions: fc.option(conditionArbitrary, { nil: null }),
      }),
      { maxLength: 5 },
    ),
    features: fc.record(
      Object.fromEntries(FEATURE_KEYS.map((key) => [key, fc.boolean()])) as Record<
        (typeof FEATURE_KEYS)[number],
        fc.Arbitrary<boolean>
      >,
    ),
    mfa: fc.record({ push: fc.boolean(), totp: fc.boolean(), webAuthn: fc.boolean(), duo: fc.boolean() }),
    proprietary: fc.subarray([...PROPRIETARY_SETTING_KEYS]),
    users: subset(IDS.user),
    devices: subset(IDS.device),
    adminIds: fc.array(fc.constantFrom(...IDS.admin), { maxLength: 5 }),
  })
  .map((generated): GeneratedSource => {
    const templateById = new Map(generated.templates.map((entry) => [entry.id, entry]));
    const userGroups: UserGroup[] = generated.userGroups.map((group) => ({
      id: group.id,
      name: `user group ${group.id}`,
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
      memberQueryExemptions: group.exempt.map((id) => ({ id, type: 'user' as const })),
      memberUserIds: group.members,
      bindings: group.bindings,
    }));
    const deviceGroups: DeviceGroup[] = generated.deviceGroups.map((group) => ({
      id: group.id,
      name: `device group ${group.id}`,
      description: '',
      attributes: {},
      membershipMethod: 'STATIC',
      memberQuery: null,
      memberDeviceIds: group.members,
      mdm: group.mdm ? { appleMdmDefaultEnrollmentGroup: true, adeDefaultEnrollmentGroup: false } : null,
    }));
    const commands: Command[] = generated.commands.map((spec) => ({
      id: spec.id,
      name: `command ${spec.id}`,
      command: 'echo hello',
      commandType: spec.commandType,
      user: spec.user,
      sudo: false,
      shell: 'bash',
      launchType: 'manual',
      schedule: '',
      scheduleRepeatType: '',
      timeout: 60,
      trigger: '',
      files: spec.files,
      description: '',
      deviceGroupIds: spec.deviceGroupIds,
    }));
    const policies: Policy[] = generated.policies.map((spec) => ({
      id: spec.id,
      name: `policy ${spec.id}`,
      notes: '',
      templateId: spec.templateId,
      values: policyValues(templateById.get(spec.templateId), spec.choices, spec.unknownField),
      deviceGroupIds: spec.deviceGroupIds,
    }));
    const policyGroups: PolicyGroup[] = generated.policyGroups.map((spec) => ({
      id: spec.id,
      name: `policy group ${spec.id}`,
      description: '',
      policyIds: spec.policyIds,
      deviceGroupIds: spec.deviceGroupIds,
    }));
    const ipLists: IpList[] = generated.ipLists.map((id) => ({
      id,
      name: `ip list ${id}`,
      description: '',
      ips: ['192.0.2.0/24'],
    }));
    const accessPolicies: ConditionalAccessPolicy[] = generated.accessPolicies.map((spec) => ({
      id: spec.id,
      name: `access policy ${spec.id}`,
      description: '',
      disabled: false,
      type: spec.resource.type,
      targets: {
        users: { inclusions: spec.users },
        userGroups: { inclusions: spec.inclusions, exclusions: spec.exclusions },
        resources: [spec.resource],
      },
      conditions: spec.conditions,
      effect: { action: 'deny', obligations: { mfa: { required: false }, mfaFactors: [] } },
    }));
    const source: OrganizationState = {
      status: 'active',
      id: 'org-source',
      providerId: 'provider-1',
      displayName: 'Source',
      created: '2024-01-01T00:00:00.000Z',
      clonedFrom: null,
      settings: defaultSettings(),
      proprietary: Object.fromEntries(generated.proprietary.map((key) => [key, marker()])),
      features: generated.features,
      commands: byId(...commands),
      policies: byId(...policies),
      policyGroups: byId(...policyGroups),
      userGroups: byId(...userGroups),
      deviceGroups: byId(...deviceGroups),
      users: byId(...generated.users.map((id) => ({ id, username: id, email: `${id}@source.example` }))),
      devices: byId(...generated.devices.map((id) => ({ id, hostname: id, os: 'Linux' }))),
      ipLists: byId(...ipLists),
      conditionalAccessPolicies: byId(...accessPolicies),
      mfa: {
        push: { enabled: generated.mfa.push },
        totp: { enabled: generated.mfa.totp },
        webAuthn: { enabled: generated.mfa.webAuthn, allowSelfRegistration: false },
        duo: generated.mfa.duo
          ? {
              accountId: marker(),
              apiHost: marker(),
              integrationKey: marker(),
              secretKey: { sealed: marker() },
            }
          : null,
      },
      adminIds: generated.adminIds,
    };
    return { source, templates: generated.templates };
  });

const ALL_ITEM_IDS = [
  ...IDS.userGroup,
  ...IDS.deviceGroup,
  ...IDS.command,
  ...IDS.policy,
  ...IDS.policyGroup,
  ...IDS.ipList,
  ...IDS.accessPolicy,
  ...GHOSTS,
];

export const selectionArbitrary: fc.Arbitrary<CloneSelection> = fc.record(
  {
    excludedCategories: fc.subarray([...CLONE_CATEGORIES], { maxLength: 4 }),
    excludedItemIds: fc.array(fc.constantFrom(...ALL_ITEM_IDS), { maxLength: 8 }),
    features: fc.record(
      Object.fromEntries(FEATURE_KEYS.map((key) => [key, fc.constantFrom(...FEATURE_CHOICES)])) as Record<
        (typeof FEATURE_KEYS)[number],
        fc.Arbitrary<(typeof FEATURE_CHOICES)[number]>
      >,
      { requiredKeys: [] },
    ),
    excludedAdminIds: fc.subarray([...IDS.admin, 'admin-ghost'], { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
