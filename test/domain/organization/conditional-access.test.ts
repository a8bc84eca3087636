import { describe, expect, it } from 'vitest';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import type { AuthnCondition } from '../../../src/domain/organization/model.js';
import {
  MAX_CONDITION_DEPTH,
  conditionIpListIds,
} from '../../../src/domain/organization/validation/conditions.js';
import { specFor } from '../given-when-then.js';
import { addIpList, addUser, addUserGroup, history, recordingSealer } from './fixtures.js';

const spec = specFor(organizationDecider, recordingSealer());
const org = history([
  addUser('user-1'),
  addUserGroup('ug-staff'),
  addUserGroup('ug-contractors'),
  addIpList('ip-office'),
  addIpList('ip-vpn'),
]);

const addPolicy = (data: Record<string, unknown> = {}): OrganizationCommand => ({
  type: 'AddConditionalAccessPolicy',
  data: {
    conditionalAccessPolicyId: 'ca-1',
    name: 'Require MFA off-site',
    type: 'user_portal',
    targets: {
      users: { inclusions: ['ALL'] },
      userGroups: { exclusions: ['ug-contractors'] },
      resources: [{ type: 'user_portal' }],
    },
    conditions: { not: { ipAddressIn: ['ip-office'] } },
    effect: {
      action: 'allow',
      obligations: { mfa: { required: true }, mfaFactors: [{ type: 'TOTP' }, { type: 'PUSH' }] },
    },
    ...data,
  } as never,
});

const nest = (depth: number): AuthnCondition =>
  depth === 1 ? { deviceManaged: true } : { not: nest(depth - 1) };

describe('AddConditionalAccessPolicy', () => {
  it('adds a policy in JumpCloud shape, with defaults for what is not given', () => {
    spec
      .given(org)
      .when(addPolicy({ clonedFromId: 'ca-source' }))
      .then([
        {
          type: 'ConditionalAccessPolicyAdded',
          data: {
            conditionalAccessPolicy: {
              id: 'ca-1',
              name: 'Require MFA off-site',
              description: '',
              disabled: false,
              type: 'user_portal',
              targets: {
                users: { inclusions: ['ALL'] },
                userGroups: { inclusions: [], exclusions: ['ug-contractors'] },
                resources: [{ type: 'user_portal' }],
              },
              conditions: { not: { ipAddressIn: ['ip-office'] } },
              effect: {
                action: 'allow',
                obligations: { mfa: { required: true }, mfaFactors: [{ type: 'TOTP' }, { type: 'PUSH' }] },
              },
              clonedFromId: 'ca-source',
            },
          },
        },
      ]);
  });

  it('accepts every node of the grammar, nested', () => {
    const conditions: AuthnCondition = {
      all: [
        { deviceManaged: true },
        { deviceEncrypted: false },
        {
          any: [{ ipAddressIn: ['ip-office', 'ip-vpn'] }, { locationIn: { countries: ['US', 'CA', 'DE'] } }],
        },
        { not: { locationIn: { countries: ['KP'] } } },
      ],
    };
    expect(
      spec.given(org).when(addPolicy({ conditions })).state().conditionalAccessPolicies['ca-1']?.conditions,
    ).toEqual(conditions);
    expect(
      spec
        .given(org)
        .when(addPolicy({ conditions: null }))
        .state().conditionalAccessPolicies['ca-1']?.conditions,
    ).toBeNull();
  });

  it(`accepts conditions nested ${MAX_CONDITION_DEPTH} levels deep and refuses one more`, () => {
    expect(
      spec
        .given(org)
        .when(addPolicy({ conditions: nest(MAX_CONDITION_DEPTH) }))
        .events(),
    ).toHaveLength(1);
    spec
      .given(org)
      .when(addPolicy({ conditions: nest(MAX_CONDITION_DEPTH + 1) }))
      .then({ code: 'VALIDATION_FAILED', field: `conditions${'.not'.repeat(MAX_CONDITION_DEPTH)}` });
  });

  it.each([
    [{}, 'conditions'],
    [{ deviceManaged: true, deviceEncrypted: true }, 'conditions'],
    [{ deviceTrusted: true }, 'conditions.deviceTrusted'],
    [{ deviceManaged: 'yes' }, 'conditions.deviceManaged'],
    [{ ipAddressIn: [] }, 'conditions.ipAddressIn'],
    [{ ipAddressIn: 'ip-office' }, 'conditions.ipAddressIn'],
    [{ ipAddressIn: ['ip-office', 'ip-office'] }, 'conditions.ipAddressIn[1]'],
    [{ locationIn: { countries: [] } }, 'conditions.locationIn.countries'],
    [{ locationIn: { countries: ['US', 'XX'] } }, 'conditions.locationIn.countries[1]'],
    [{ locationIn: { countries: ['us'] } }, 'conditions.locationIn.countries[0]'],
    [{ locationIn: { regions: ['EU'] } }, 'conditions.locationIn.regions'],
    [{ all: [] }, 'conditions.all'],
    [{ any: [{ deviceManaged: true }, { none: [] }] }, 'conditions.any[1].none'],
    [{ all: [{ not: { all: [{ deviceEncrypted: 1 }] } }] }, 'conditions.all[0].not.all[0].deviceEncrypted'],
    [[{ deviceManaged: true }], 'conditions'],
  ])('refuses the condition %j', (conditions, field) => {
    spec.given(org).when(addPolicy({ conditions })).then({ code: 'VALIDATION_FAILED', field });
  });

  it('refuses references to IP lists, users and user groups that do not exist', () => {
    spec
      .given(org)
      .when(
        addPolicy({
          conditions: { any: [{ deviceManaged: true }, { ipAddressIn: ['ip-office', 'ip-home'] }] },
        }),
      )
      .then({ code: 'NOT_FOUND', field: 'conditions.any[1].ipAddressIn[1]' });
    spec
      .given(org)
      .when(
        addPolicy({
          targets: { users: { inclusions: ['user-1', 'user-9'] }, resources: [{ type: 'user_portal' }] },
        }),
      )
      .then({ code: 'NOT_FOUND', field: 'targets.users.inclusions[1]' });
    spec
      .given(org)
      .when(
        addPolicy({
          targets: { userGroups: { inclusions: ['ug-staff', 'ug-9'] }, resources: [{ type: 'user_portal' }] },
        }),
      )
      .then({ code: 'NOT_FOUND', field: 'targets.userGroups.inclusions[1]' });
  });

  it.each([
    [
      { users: { inclusions: ['ALL', 'user-1'] }, resources: [{ type: 'user_portal' }] },
      'targets.users.inclusions',
    ],
    [{ resources: [{ type: 'user_portal' }] }, 'targets'],
    [
      {
        userGroups: { inclusions: ['ug-staff'], exclusions: ['ug-staff'] },
        resources: [{ type: 'user_portal' }],
      },
      'targets.userGroups.exclusions[0]',
    ],
    [{ users: { inclusions: ['ALL'] }, resources: [] }, 'targets.resources'],
    [{ users: { inclusions: ['ALL'] }, resources: [{ type: 'ldap' }] }, 'targets.resources[0].type'],
    [
      { users: { inclusions: ['ALL'] }, resources: [{ type: 'user_portal', id: 'up-1' }] },
      'targets.resources[0].id',
    ],
    [{ users: { inclusions: ['ALL'] }, resources: [{ type: 'portal' }] }, 'targets.resources[0].type'],
    [
      { users: { inclusions: ['ALL'] }, resources: [{ type: 'user_portal' }], devices: {} },
      'targets.devices',
    ],
  ])('refuses the targets %j', (targets, field) => {
    spec.given(org).when(addPolicy({ targets })).then({ code: 'VALIDATION_FAILED', field });
  });

  it('accepts application policies, for all applications or for one', () => {
    for (const resources of [[{ type: 'application' }], [{ type: 'application', id: 'app-salesforce' }]]) {
      const policy = spec
        .given(org)
        .when(addPolicy({ type: 'application', targets: { users: { inclusions: ['user-1'] }, resources } }))
        .state().conditionalAccessPolicies['ca-1'];
      expect(policy?.targets.resources).toEqual(resources);
    }
  });

  it.each([
    [{ action: 'unknown' }, 'effect.action'],
    [{ action: 'deny', obligations: { mfa: { required: true } } }, 'effect.obligations.mfa.required'],
    [
      { action: 'allow', obligations: { mfa: { required: false }, mfaFactors: [{ type: 'TOTP' }] } },
      'effect.obligations.mfaFactors',
    ],
    [
      { action: 'allow', obligations: { mfa: { required: true }, mfaFactors: [{ type: 'SMS' }] } },
      'effect.obligations.mfaFactors[0].type',
    ],
    [
      {
        action: 'allow',
        obligations: { mfa: { required: true }, mfaFactors: [{ type: 'PUSH' }, { type: 'PUSH' }] },
      },
      'effect.obligations.mfaFactors[1]',
    ],
    [{ action: 'allow', custom_error_message: 'x' }, 'effect.custom_error_message'],
  ])('refuses the effect %j', (effect, field) => {
    spec.given(org).when(addPolicy({ effect })).then({ code: 'VALIDATION_FAILED', field });
  });

  it('refuses a missing name or type', () => {
    spec
      .given(org)
      .when(addPolicy({ name: undefined }))
      .then({ code: 'VALIDATION_FAILED', field: 'name' });
    spec
      .given(org)
      .when(addPolicy({ type: 'vpn' }))
      .then({ code: 'VALIDATION_FAILED', field: 'type' });
  });
});

describe('UpdateConditionalAccessPolicy / RemoveConditionalAccessPolicy', () => {
  const withPolicy = [...org, ...spec.given(org).when(addPolicy()).events()];

  it('updates given fields and keeps the rest', () => {
    const policy = spec
      .given(withPolicy)
      .when({
        type: 'UpdateConditionalAccessPolicy',
        data: { conditionalAccessPolicyId: 'ca-1', disabled: true, conditions: null },
      })
      .state().conditionalAccessPolicies['ca-1'];
    expect(policy).toMatchObject({ disabled: true, conditions: null, name: 'Require MFA off-site' });
  });

  it('checks targets again when the type changes', () => {
    spec
      .given(withPolicy)
      .when({
        type: 'UpdateConditionalAccessPolicy',
        data: { conditionalAccessPolicyId: 'ca-1', type: 'ldap' },
      })
      .then({ code: 'VALIDATION_FAILED', field: 'targets.resources[0].type' });
  });

  it('decides nothing without a change and refuses unknown policies', () => {
    spec
      .given(withPolicy)
      .when({
        type: 'UpdateConditionalAccessPolicy',
        data: { conditionalAccessPolicyId: 'ca-1', disabled: false },
      })
      .then([]);
    spec
      .given(withPolicy)
      .when({
        type: 'UpdateConditionalAccessPolicy',
        data: { conditionalAccessPolicyId: 'ca-9', disabled: true },
      })
      .then({ code: 'NOT_FOUND', field: 'conditionalAccessPolicyId' });
  });

  it('removes a policy, which frees what it referenced', () => {
    spec
      .given(withPolicy)
      .when({ type: 'RemoveConditionalAccessPolicy', data: { conditionalAccessPolicyId: 'ca-1' } })
      .then([{ type: 'ConditionalAccessPolicyRemoved', data: { conditionalAccessPolicyId: 'ca-1' } }]);
    const removed = spec
      .given(withPolicy)
      .when({ type: 'RemoveConditionalAccessPolicy', data: { conditionalAccessPolicyId: 'ca-1' } })
      .events();
    spec
      .given([...withPolicy, ...removed])
      .when({ type: 'RemoveIpList', data: { ipListId: 'ip-office' } })
      .then([{ type: 'IpListRemoved', data: { ipListId: 'ip-office' } }]);
  });
});

describe('conditionIpListIds', () => {
  it('lists every IP list a condition names, once, in order', () => {
    expect(
      conditionIpListIds({
        any: [
          { ipAddressIn: ['b', 'a'] },
          { not: { all: [{ ipAddressIn: ['a', 'c'] }, { deviceManaged: true }] } },
        ],
      }),
    ).toEqual(['b', 'a', 'c']);
    expect(conditionIpListIds(null)).toEqual([]);
  });
});
