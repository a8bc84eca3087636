import { describe, expect, it } from 'vitest';
import { ADMIN_ROLES, BILLING_PLANS } from '../../../src/domain/organization/model.js';
import type { AdminRole, BillingPlan } from '../../../src/domain/organization/model.js';
import { providerDecider } from '../../../src/domain/provider/decider.js';
import type { ProviderEvent } from '../../../src/domain/provider/events.js';
import { PROVIDER_ACTIONS, actorOf, authorize, can } from '../../../src/domain/provider/permissions.js';
import type { Actor, ProviderAction } from '../../../src/domain/provider/permissions.js';

/** SPEC §7, written out role by role: READ, EDIT_ORGANIZATION, CREATE_ORGANIZATION, CLONE, DISCARD. */
const MATRIX: Record<AdminRole, Record<ProviderAction, boolean>> = {
  'Administrator With Billing': {
    READ: true,
    EDIT_ORGANIZATION: true,
    CREATE_ORGANIZATION: true,
    CLONE: true,
    DISCARD: true,
  },
  Administrator: {
    READ: true,
    EDIT_ORGANIZATION: true,
    CREATE_ORGANIZATION: true,
    CLONE: false,
    DISCARD: false,
  },
  Manager: { READ: true, EDIT_ORGANIZATION: true, CREATE_ORGANIZATION: true, CLONE: false, DISCARD: false },
  'Command Runner With Billing': {
    READ: true,
    EDIT_ORGANIZATION: false,
    CREATE_ORGANIZATION: false,
    CLONE: false,
    DISCARD: false,
  },
  'Command Runner': {
    READ: true,
    EDIT_ORGANIZATION: false,
    CREATE_ORGANIZATION: false,
    CLONE: false,
    DISCARD: false,
  },
  'Help Desk': {
    READ: true,
    EDIT_ORGANIZATION: false,
    CREATE_ORGANIZATION: false,
    CLONE: false,
    DISCARD: false,
  },
  'Billing Only': {
    READ: false,
    EDIT_ORGANIZATION: false,
    CREATE_ORGANIZATION: false,
    CLONE: false,
    DISCARD: false,
  },
  'Read Only': {
    READ: true,
    EDIT_ORGANIZATION: false,
    CREATE_ORGANIZATION: false,
    CLONE: false,
    DISCARD: false,
  },
};

const PAID_ONLY: ProviderAction[] = ['CLONE', 'DISCARD'];
const ownOrg = { id: 'org-1', providerId: 'provider-msp' };

function actor(overrides: Partial<Actor> = {}): Actor {
  return {
    id: 'admin-1',
    email: 'one@msp.example',
    firstname: 'One',
    lastname: 'Admin',
    roleName: 'Administrator With Billing',
    orgAccess: 'ALL',
    linkedOrganizationIds: [],
    suspended: false,
    providerId: 'provider-msp',
    plan: 'PAID',
    orgCreationDisabled: false,
    ...overrides,
  };
}

describe('can: every role × every action × every plan', () => {
  const cases = ADMIN_ROLES.flatMap((roleName) =>
    PROVIDER_ACTIONS.flatMap((action) => BILLING_PLANS.map((plan) => [roleName, action, plan] as const)),
  );

  it('covers the whole matrix', () => {
    expect(cases).toHaveLength(8 * 5 * 3);
  });

  it.each(cases)('%s / %s / %s', (roleName: AdminRole, action: ProviderAction, plan: BillingPlan) => {
    const permission = can(actor({ roleName, plan }), { type: action, organization: ownOrg });
    if (!MATRIX[roleName][action]) {
      expect(permission).toEqual({ allowed: false, code: 'FORBIDDEN', reason: 'ROLE_NOT_ALLOWED' });
    } else if (PAID_ONLY.includes(action) && plan !== 'PAID') {
      expect(permission).toEqual({ allowed: false, code: 'PAYMENT_REQUIRED', reason: 'PLAN_NOT_PAID' });
    } else {
      expect(permission).toEqual({ allowed: true });
    }
  });

  it('allows provider-wide reads (no organization) by role alone', () => {
    expect(can(actor({ roleName: 'Read Only' }), { type: 'READ' })).toEqual({ allowed: true });
    expect(can(actor({ roleName: 'Billing Only' }), { type: 'READ' })).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('can: visibility', () => {
  const linked = actor({ orgAccess: 'LINKED', linkedOrganizationIds: ['org-1'] });

  it('lets a LINKED administrator act on its linked organizations only, and hides the others', () => {
    for (const type of PROVIDER_ACTIONS) {
      expect(can(linked, { type, organization: ownOrg })).toEqual({ allowed: true });
      expect(can(linked, { type, organization: { id: 'org-2', providerId: 'provider-msp' } })).toEqual({
        allowed: false,
        code: 'NOT_FOUND',
        reason: 'ORGANIZATION_NOT_VISIBLE',
      });
    }
  });

  it('hides the organizations of another provider, even from ALL access and before the role check', () => {
    const foreign = { id: 'org-1', providerId: 'provider-other' };
    expect(can(actor(), { type: 'READ', organization: foreign })).toMatchObject({ code: 'NOT_FOUND' });
    expect(can(actor({ roleName: 'Billing Only' }), { type: 'READ', organization: foreign })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses a suspended administrator everything', () => {
    for (const type of PROVIDER_ACTIONS) {
      expect(can(actor({ suspended: true }), { type, organization: ownOrg })).toEqual({
        allowed: false,
        code: 'UNAUTHENTICATED',
        reason: 'ADMINISTRATOR_SUSPENDED',
      });
    }
  });

  it('refuses creating and cloning when the provider disabled organization creation', () => {
    const restricted = actor({ orgCreationDisabled: true });
    expect(can(restricted, { type: 'CREATE_ORGANIZATION' })).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'ORG_CREATION_DISABLED',
    });
    expect(can(restricted, { type: 'CLONE', organization: ownOrg })).toMatchObject({
      reason: 'ORG_CREATION_DISABLED',
    });
    expect(can(restricted, { type: 'DISCARD', organization: ownOrg })).toEqual({ allowed: true });
    expect(can(restricted, { type: 'EDIT_ORGANIZATION', organization: ownOrg })).toEqual({ allowed: true });
  });
});

describe('authorize', () => {
  it.each([
    [actor({ roleName: 'Manager' }), 'CLONE', 'FORBIDDEN'],
    [actor({ plan: 'TRIAL' }), 'CLONE', 'PAYMENT_REQUIRED'],
    [actor({ suspended: true }), 'READ', 'UNAUTHENTICATED'],
    [actor({ orgAccess: 'LINKED' }), 'READ', 'NOT_FOUND'],
  ] as const)('throws the domain error matching the refusal (%#)', (admin, type, code) => {
    expect(() => authorize(admin, { type, organization: ownOrg })).toThrow(expect.objectContaining({ code }));
  });

  it('returns when allowed', () => {
    expect(() => authorize(actor(), { type: 'CLONE', organization: ownOrg })).not.toThrow();
  });
});

describe('actorOf', () => {
  it('joins an administrator with its provider plan and settings', () => {
    const events: ProviderEvent[] = [
      {
        type: 'ProviderCreated',
        data: {
          providerId: 'provider-msp',
          name: 'MSP',
          billing: { plan: 'FREE' },
          orgCreationDisabled: true,
        },
      },
      {
        type: 'AdministratorAdded',
        data: {
          administrator: {
            id: 'admin-1',
            email: 'one@msp.example',
            firstname: 'One',
            lastname: 'Admin',
            roleName: 'Manager',
            orgAccess: 'ALL',
            linkedOrganizationIds: [],
            suspended: false,
          },
        },
      },
    ];
    const provider = events.reduce(providerDecider.evolve, providerDecider.initialState());
    expect(actorOf(provider, 'admin-1')).toMatchObject({
      id: 'admin-1',
      roleName: 'Manager',
      providerId: 'provider-msp',
      plan: 'FREE',
      orgCreationDisabled: true,
    });
    expect(actorOf(provider, 'admin-unknown')).toBeUndefined();
  });
});
