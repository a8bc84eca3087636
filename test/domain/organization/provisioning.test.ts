import { describe, expect, it } from 'vitest';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import { defaultFeatures, defaultMfa, defaultSettings } from '../../../src/domain/organization/defaults.js';
import type { OrganizationEvent } from '../../../src/domain/organization/events.js';
import { specFor } from '../given-when-then.js';
import {
  CREATED,
  ORG_ID,
  PROVIDER_ID,
  addDevice,
  addDeviceGroup,
  addIpList,
  addRootCommand,
  addUser,
  addUserGroup,
  recordingSealer,
} from './fixtures.js';

const spec = specFor(organizationDecider, recordingSealer());

const clonedFrom = { cloneId: 'clone-7', sourceOrganizationId: 'org-source', sourceVersion: '41' };
const createdByClone: OrganizationEvent = {
  type: 'OrganizationCreated',
  data: {
    organizationId: ORG_ID,
    providerId: PROVIDER_ID,
    displayName: 'Acme Copy',
    created: CREATED,
    settings: defaultSettings(),
    features: defaultFeatures(),
    mfa: defaultMfa(),
    clonedFrom,
  },
};
const provisioned: OrganizationEvent = {
  type: 'OrganizationProvisioned',
  data: { organizationId: ORG_ID, cloneId: 'clone-7' },
};
const discarded: OrganizationEvent = { type: 'OrganizationDiscarded', data: { organizationId: ORG_ID } };

/** One configuration command of every family the organization decider knows. */
const CONFIGURATION_COMMANDS: OrganizationCommand[] = [
  { type: 'UpdateSettings', data: { settings: { UID_GID_MANAGEMENT: { enableManagedUID: true } } } },
  { type: 'UpdateProprietarySettings', data: { settings: { contactName: 'Jane' } } },
  { type: 'SetFeatures', data: { features: { remoteAssist: true } } },
  addRootCommand('cmd-1'),
  addUser('user-1'),
  addDevice('device-1'),
  addUserGroup('ug-1'),
  addDeviceGroup('dg-1'),
  addIpList('ip-1'),
  { type: 'ConfigureMfa', data: { push: { enabled: true } } },
  {
    type: 'ConfigureDuo',
    data: {
      accountId: 'acc',
      apiHost: 'api-12345678.duosecurity.com',
      integrationKey: 'DI0123456789ABCDEFGH',
      secretKey: 'x'.repeat(40),
    },
  },
  { type: 'GrantAdminAccess', data: { administratorId: 'admin-1' } },
];

describe('an organization created by a clone', () => {
  it('is provisioning, with its lineage, until the clone has written all of it', () => {
    const state = spec.given([createdByClone]).state();
    expect(state.status).toBe('provisioning');
    expect(state.clonedFrom).toEqual(clonedFrom);
    expect(spec.given([createdByClone, provisioned]).state().status).toBe('active');
  });

  it.each(CONFIGURATION_COMMANDS.map((command) => [command.type, command] as const))(
    'refuses %s while provisioning',
    (_type, command) => {
      spec
        .given([createdByClone])
        .when(command)
        .then({ code: 'CONFLICT', reason: 'ORGANIZATION_BEING_CLONED' });
    },
  );

  it.each(CONFIGURATION_COMMANDS.map((command) => [command.type, command] as const))(
    'accepts %s once provisioned',
    (_type, command) => {
      expect(spec.given([createdByClone, provisioned]).when(command).events().length).toBeGreaterThan(0);
    },
  );

  it('can be discarded while provisioning (a clone that failed for good leaves it so)', () => {
    spec.given([createdByClone]).when({ type: 'DiscardOrganization', data: {} }).then([discarded]);
  });

  it('stays discarded if a late OrganizationProvisioned arrives', () => {
    expect(spec.given([createdByClone, discarded, provisioned]).state().status).toBe('discarded');
  });

  it('is still refused a second creation', () => {
    spec
      .given([createdByClone])
      .when({
        type: 'CreateOrganization',
        data: { organizationId: ORG_ID, providerId: PROVIDER_ID, displayName: 'Again', created: CREATED },
      })
      .then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS' });
  });

  it('an organization created without lineage is active at once', () => {
    const { clonedFrom: _lineage, ...plain } = createdByClone.data;
    expect(spec.given([{ type: 'OrganizationCreated', data: plain }]).state().status).toBe('active');
  });
});
