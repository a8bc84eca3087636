import { describe, expect, it } from 'vitest';
import { normalizeSelection } from '../../../src/domain/clone/selection.js';
import { planIdOf } from '../../../src/domain/clone/planner.js';
import { canonicalDigest } from '../../../src/shared/canonical-json.js';
import { ALLOWED, byId, command, organization, plan } from './fixtures.js';

describe('normalizeSelection', () => {
  it('makes every default explicit', () => {
    expect(normalizeSelection()).toEqual({
      excludedCategories: [],
      excludedItemIds: [],
      features: {
        directoryInsights: 'KEEP_SOURCE',
        systemInsights: 'KEEP_SOURCE',
        remoteAssist: 'KEEP_SOURCE',
      },
      excludedAdminIds: [],
    });
  });

  it('sorts and deduplicates, categories in wizard order', () => {
    expect(
      normalizeSelection({
        excludedCategories: ['MFA', 'USER_PORTAL', 'MFA'],
        excludedItemIds: ['b', 'a', 'b', 'B'],
        excludedAdminIds: ['z', 'y'],
        features: { remoteAssist: 'JUMPCLOUD_DEFAULT' },
      }),
    ).toEqual({
      excludedCategories: ['USER_PORTAL', 'MFA'],
      excludedItemIds: ['B', 'a', 'b'],
      features: {
        directoryInsights: 'KEEP_SOURCE',
        systemInsights: 'KEEP_SOURCE',
        remoteAssist: 'JUMPCLOUD_DEFAULT',
      },
      excludedAdminIds: ['y', 'z'],
    });
  });
});

describe('planId', () => {
  const source = organization({ commands: byId(command({ id: 'cmd' })) });

  it('is the sha256 of the canonical JSON of source id, version, normalized selection and trimmed name', () => {
    const result = plan(source, { name: ' New org ', selection: { excludedItemIds: ['cmd', 'cmd'] } });

    expect(result.planId).toBe(
      canonicalDigest({
        name: 'New org',
        selection: normalizeSelection({ excludedItemIds: ['cmd'] }),
        sourceOrganizationId: 'org-source',
        sourceVersion: '7',
      }),
    );
  });

  it('does not depend on how the same selection is spelled, nor on the clone id', () => {
    const a = plan(source, { cloneId: 'clone-a', selection: { excludedItemIds: ['x', 'cmd'] } });
    const b = plan(source, {
      cloneId: 'clone-b',
      name: 'New org  ',
      selection: { excludedItemIds: ['cmd', 'x', 'x'] },
    });

    expect(a.planId).toBe(b.planId);
  });

  it('changes with the version, the selection and the name', () => {
    const base = {
      sourceOrganizationId: 'org',
      sourceVersion: 1n,
      selection: normalizeSelection(),
      name: 'n',
    };
    const ids = new Set([
      planIdOf(base),
      planIdOf({ ...base, sourceVersion: 2n }),
      planIdOf({ ...base, name: 'm' }),
      planIdOf({ ...base, sourceOrganizationId: 'other' }),
      planIdOf({ ...base, selection: normalizeSelection({ excludedCategories: ['MFA'] }) }),
      planIdOf({
        ...base,
        selection: normalizeSelection({ features: { remoteAssist: 'JUMPCLOUD_DEFAULT' } }),
      }),
    ]);
    expect(ids.size).toBe(6);
  });
});

describe('pre-flight checks', () => {
  const source = organization({ commands: byId(command({ id: 'cmd' })), adminIds: ['admin-1'] });

  it('finds nothing wrong with an allowed clone of a non-empty source', () => {
    expect(plan(source).preflight).toEqual([]);
  });

  it('reports every blocking condition as an ERROR', () => {
    const result = plan(organization({ status: 'discarded' }), {
      name: '   ',
      preflight: { nameTaken: true, callerMayClone: false, providerPlan: 'TRIAL', orgCreationDisabled: true },
    });

    expect(result.preflight.map((finding) => [finding.code, finding.severity, finding.field])).toEqual([
      ['SOURCE_DISCARDED', 'ERROR', 'sourceOrganizationId'],
      ['NOT_ALLOWED', 'ERROR', null],
      ['PLAN_NOT_PAID', 'ERROR', null],
      ['ORG_CREATION_DISABLED', 'ERROR', null],
      ['NAME_REQUIRED', 'ERROR', 'name'],
    ]);
  });

  it('reports a name taken and a missing source', () => {
    const result = plan(organization({ status: 'absent' }), { preflight: { ...ALLOWED, nameTaken: true } });

    expect(result.preflight.map((finding) => finding.code)).toEqual(['SOURCE_NOT_FOUND', 'NAME_TAKEN']);
  });

  it('warns about an empty source and about deselections that match nothing', () => {
    const result = plan(organization({ adminIds: ['admin-1'] }), {
      selection: { excludedItemIds: ['ghost'], excludedAdminIds: ['admin-9'] },
    });

    expect(result.preflight.map((finding) => [finding.code, finding.severity])).toEqual([
      ['SOURCE_EMPTY', 'WARNING'],
      ['UNKNOWN_ITEM', 'WARNING'],
      ['UNKNOWN_ADMIN', 'WARNING'],
    ]);
  });

  it('plans the items even when pre-flight fails, so the preview can still show them', () => {
    const result = plan(source, { preflight: { ...ALLOWED, providerPlan: 'FREE' } });

    expect(result.items.length).toBeGreaterThan(0);
    expect(result.preflight[0]?.code).toBe('PLAN_NOT_PAID');
  });
});
