import { describe, expect, it } from 'vitest';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import { defaultFeatures, defaultMfa, defaultSettings } from '../../../src/domain/organization/defaults.js';
import type { OrganizationEvent } from '../../../src/domain/organization/events.js';
import { normalizeOrganizationName } from '../../../src/domain/organization/naming.js';
import { specFor } from '../given-when-then.js';
import { CREATED, ORG_ID, PROVIDER_ID, addUser, history, recordingSealer } from './fixtures.js';

const spec = specFor(organizationDecider, recordingSealer());

const create = (data: Partial<Extract<OrganizationCommand, { type: 'CreateOrganization' }>['data']> = {}) =>
  ({
    type: 'CreateOrganization',
    data: {
      organizationId: ORG_ID,
      providerId: PROVIDER_ID,
      displayName: '  Acme Corp  ',
      created: CREATED,
      ...data,
    },
  }) as OrganizationCommand;

const created: OrganizationEvent = {
  type: 'OrganizationCreated',
  data: {
    organizationId: ORG_ID,
    providerId: PROVIDER_ID,
    displayName: 'Acme Corp',
    created: CREATED,
    settings: defaultSettings(),
    features: defaultFeatures(),
    mfa: defaultMfa(),
  },
};
const discarded: OrganizationEvent = { type: 'OrganizationDiscarded', data: { organizationId: ORG_ID } };

describe('CreateOrganization', () => {
  it('creates the organization with JumpCloud defaults, features and MFA disabled', () => {
    spec.given([]).when(create()).then([created]);
    const state = spec.given([]).when(create()).state();
    expect(state).toMatchObject({ status: 'active', id: ORG_ID, displayName: 'Acme Corp', clonedFrom: null });
    expect(state.features).toEqual({ directoryInsights: false, systemInsights: false, remoteAssist: false });
    expect(state.mfa).toEqual({
      push: { enabled: false },
      totp: { enabled: false },
      webAuthn: { enabled: false, allowSelfRegistration: false },
      duo: null,
    });
  });

  it('records the clone lineage when a clone creates it', () => {
    const clonedFrom = { cloneId: 'clone-7', sourceOrganizationId: 'org-source', sourceVersion: '41' };
    spec
      .given([])
      .when(create({ clonedFrom }))
      .then([{ ...created, data: { ...created.data, clonedFrom } } as OrganizationEvent]);
    expect(spec.given([]).when(create({ clonedFrom })).state().clonedFrom).toEqual(clonedFrom);
  });

  it('accepts a display name of 1 and of 100 characters', () => {
    expect(
      spec
        .given([])
        .when(create({ displayName: 'A' }))
        .state().displayName,
    ).toBe('A');
    expect(
      spec
        .given([])
        .when(create({ displayName: 'x'.repeat(100) }))
        .state().displayName,
    ).toHaveLength(100);
  });

  it.each([
    [{ displayName: '' }, 'displayName'],
    [{ displayName: '   ' }, 'displayName'],
    [{ displayName: 'x'.repeat(101) }, 'displayName'],
    [{ displayName: 42 as never }, 'displayName'],
    [{ organizationId: '42' }, 'organizationId'],
    [{ organizationId: 'has space' }, 'organizationId'],
    [{ providerId: '' }, 'providerId'],
    [{ created: '2024-05-01' }, 'created'],
    [{ created: '2024-13-01T00:00:00Z' }, 'created'],
    [
      { clonedFrom: { cloneId: 'c', sourceOrganizationId: 's', sourceVersion: '-1' } },
      'clonedFrom.sourceVersion',
    ],
    [
      { clonedFrom: { cloneId: 'c', sourceOrganizationId: 's', sourceVersion: 41 as never } },
      'clonedFrom.sourceVersion',
    ],
    [
      { clonedFrom: { cloneId: 'c', sourceOrganizationId: ORG_ID, sourceVersion: '1' } },
      'clonedFrom.sourceOrganizationId',
    ],
  ])('refuses %j', (data, field) => {
    spec.given([]).when(create(data)).then({ code: 'VALIDATION_FAILED', field });
  });

  it('refuses to create an organization twice', () => {
    spec.given([created]).when(create()).then({ code: 'CONFLICT', reason: 'ALREADY_EXISTS' });
  });

  it('refuses any other command on an organization that does not exist', () => {
    spec.given([]).when(addUser('user-1')).then({ code: 'NOT_FOUND' });
    spec.given([]).when({ type: 'DiscardOrganization', data: {} }).then({ code: 'NOT_FOUND' });
  });
});

describe('DiscardOrganization', () => {
  it('discards, and a repeated discard decides nothing', () => {
    spec.given([created]).when({ type: 'DiscardOrganization', data: {} }).then([discarded]);
    spec.given([created, discarded]).when({ type: 'DiscardOrganization', data: {} }).then([]);
  });

  it('refuses every change to a discarded organization', () => {
    spec
      .given([created, discarded])
      .when(addUser('user-1'))
      .then({ code: 'CONFLICT', reason: 'ORGANIZATION_DISCARDED' });
    spec
      .given([created, discarded])
      .when({ type: 'SetFeatures', data: { features: { remoteAssist: true } } })
      .then({ code: 'CONFLICT', reason: 'ORGANIZATION_DISCARDED' });
  });

  it('keeps the items of a discarded organization in its state (history is never deleted)', () => {
    const events = history([addUser('user-1'), { type: 'DiscardOrganization', data: {} }]);
    const state = spec.given(events).state();
    expect(state.status).toBe('discarded');
    expect(Object.keys(state.users)).toEqual(['user-1']);
  });
});

describe('normalizeOrganizationName', () => {
  it('compares names case-insensitively, trimmed, with collapsed whitespace', () => {
    expect(normalizeOrganizationName('  Acme   Corp ')).toBe(normalizeOrganizationName('ACME corp'));
    expect(normalizeOrganizationName('Ａｃｍｅ')).toBe(normalizeOrganizationName('acme'));
    expect(normalizeOrganizationName('Acme Corp')).not.toBe(normalizeOrganizationName('Acme Corp 2'));
  });
});

describe('unknown commands', () => {
  it('are refused rather than ignored', () => {
    spec
      .given([created])
      .when({ type: 'RenameEverything', data: {} } as never)
      .then({ code: 'VALIDATION_FAILED', field: 'type' });
  });
});
