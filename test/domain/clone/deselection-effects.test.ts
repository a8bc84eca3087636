/** The preview shows, for every deselection, which items lose a reference or become skipped because of it. */
import { describe, expect, it } from 'vitest';
import { CLONE_CATEGORIES } from '../../../src/domain/clone/selection.js';
import {
  accessPolicy,
  byId,
  command,
  deviceGroup,
  ipList,
  organization,
  plan,
  policy,
  policyGroup,
  richSource,
  userGroup,
} from './fixtures.js';

const source = organization({
  userGroups: byId(userGroup({ id: 'ug-admins' }), userGroup({ id: 'ug-staff' })),
  deviceGroups: byId(deviceGroup({ id: 'dg-macs' })),
  commands: byId(command({ id: 'cmd', deviceGroupIds: ['dg-macs'] })),
  policies: byId(policy({ id: 'pol', deviceGroupIds: ['dg-macs'] })),
  policyGroups: byId(policyGroup({ id: 'pg', policyIds: ['pol'] })),
  ipLists: byId(ipList({ id: 'ip-office' })),
  conditionalAccessPolicies: byId(
    accessPolicy({
      id: 'ca',
      targets: { userGroups: { inclusions: ['ug-staff'], exclusions: ['ug-admins'] } },
      conditions: { ipAddressIn: ['ip-office'] },
    }),
  ),
  adminIds: ['admin-1'],
});

describe('deselection effects', () => {
  it('lists what every deselection excludes, in selection order', () => {
    const result = plan(source, {
      selection: { excludedCategories: ['MFA'], excludedItemIds: ['cmd'], excludedAdminIds: ['admin-1'] },
    });

    expect(
      result.deselections.map((effect) => [
        effect.deselection,
        effect.excludedItems.map((item) => item.sourceId),
      ]),
    ).toEqual([
      [{ type: 'CATEGORY', category: 'MFA' }, ['push', 'totp', 'webAuthn']],
      [{ type: 'ITEM', sourceId: 'cmd' }, ['cmd']],
      [{ type: 'ADMIN', administratorId: 'admin-1' }, ['admin-1']],
    ]);
    expect(result.deselections.every((effect) => effect.affectedItems.length === 0)).toBe(true);
  });

  it('a deselected device group: the items bound to it lose their binding', () => {
    const result = plan(source, { selection: { excludedItemIds: ['dg-macs'] } });

    const [effect] = result.deselections;
    expect(
      effect?.affectedItems.map((item) => [item.kind, item.sourceId, item.outcome, item.outcomeIfReselected]),
    ).toEqual([
      ['COMMAND', 'cmd', 'COPIED_WITH_OMISSIONS', 'COPIED'],
      ['POLICY', 'pol', 'COPIED_WITH_OMISSIONS', 'COPIED'],
    ]);
    expect(effect?.affectedItems[0]?.lostReferences).toEqual([
      { field: 'deviceGroupIds', targetKind: 'DEVICE_GROUP', targetId: 'dg-macs', cause: 'TARGET_EXCLUDED' },
    ]);
  });

  it('a deselected user group: the access policy excluding it is skipped and its IP list stays behind', () => {
    const result = plan(source, { selection: { excludedItemIds: ['ug-admins'] } });

    expect(result.deselections[0]?.affectedItems).toEqual([
      {
        kind: 'IP_LIST',
        sourceId: 'ip-office',
        name: 'ip list ip-office',
        outcome: 'EXCLUDED',
        outcomeIfReselected: 'COPIED',
        lostReferences: [],
      },
      {
        kind: 'CONDITIONAL_ACCESS_POLICY',
        sourceId: 'ca',
        name: 'access policy ca',
        outcome: 'SKIPPED',
        outcomeIfReselected: 'COPIED',
        lostReferences: [
          {
            field: 'targets.userGroups.exclusions',
            targetKind: 'USER_GROUP',
            targetId: 'ug-admins',
            cause: 'TARGET_EXCLUDED',
          },
        ],
      },
    ]);
  });

  it('the USER_GROUPS category: the access policy loses both groups', () => {
    const result = plan(source, { selection: { excludedCategories: ['USER_GROUPS'] } });

    const effect = result.deselections[0]!;
    expect(effect.excludedItems.map((item) => item.sourceId)).toEqual(['ug-admins', 'ug-staff']);
    const policyEffect = effect.affectedItems.find((item) => item.sourceId === 'ca');
    expect(policyEffect?.lostReferences.map((reference) => reference.targetId)).toEqual([
      'ug-staff',
      'ug-admins',
    ]);
  });

  it('a deselected policy: its policy group loses that member', () => {
    const result = plan(source, { selection: { excludedItemIds: ['pol'] } });

    expect(
      result.deselections[0]?.affectedItems.map((item) => [item.sourceId, item.lostReferences.length]),
    ).toEqual([['pg', 1]]);
  });

  it('a deselected IP list: the access policy using it is skipped', () => {
    const result = plan(source, { selection: { excludedItemIds: ['ip-office'] } });

    expect(result.deselections[0]?.affectedItems).toMatchObject([
      { sourceId: 'ca', outcome: 'SKIPPED', outcomeIfReselected: 'COPIED' },
    ]);
  });

  it('a deselected access policy: the IP list only it used stays behind', () => {
    const result = plan(source, { selection: { excludedItemIds: ['ca'] } });

    expect(result.deselections[0]?.affectedItems).toMatchObject([
      { sourceId: 'ip-office', outcome: 'EXCLUDED', outcomeIfReselected: 'COPIED' },
    ]);
  });

  it('two deselections of one item: neither alone changes anything, both list it', () => {
    const result = plan(source, {
      selection: { excludedCategories: ['DEVICE_GROUPS'], excludedItemIds: ['dg-macs'] },
    });

    expect(result.deselections.map((effect) => effect.excludedItems.length)).toEqual([1, 1]);
    expect(result.deselections.map((effect) => effect.affectedItems.length)).toEqual([0, 0]);
  });

  it('a deselection of a user group while the access policy is skipped anyway still shows the lost reference', () => {
    const both = plan(source, { selection: { excludedItemIds: ['ug-admins', 'ug-staff'] } });

    for (const effect of both.deselections) {
      expect(effect.affectedItems).toMatchObject([
        { sourceId: 'ca', outcome: 'SKIPPED', outcomeIfReselected: 'SKIPPED' },
      ]);
      expect(effect.affectedItems[0]?.lostReferences).toHaveLength(1);
    }
  });
});

describe('every deselection', () => {
  it.each(CLONE_CATEGORIES)('of the %s category excludes each of its items, and says so', (category) => {
    const result = plan(richSource(), { selection: { excludedCategories: [category] } });

    const inCategory = result.items.filter(
      (item) => item.category === category || (category === 'MFA' && item.kind === 'DUO_CONFIGURATION'),
    );
    expect(inCategory.length).toBeGreaterThan(0);
    for (const item of inCategory) {
      expect(item).toMatchObject({ outcome: 'EXCLUDED', reasons: ['EXCLUDED_BY_SELECTION'], content: null });
    }
    expect(result.deselections).toHaveLength(1);
    expect(result.deselections[0]?.excludedItems.map((item) => item.sourceId).sort()).toEqual(
      inCategory.map((item) => item.sourceId).sort(),
    );
  });

  it('of a single item excludes that item only', () => {
    const source = richSource();
    const ids = [
      ...Object.keys(source.commands),
      ...Object.keys(source.policies),
      ...Object.keys(source.policyGroups),
      ...Object.keys(source.userGroups),
      ...Object.keys(source.deviceGroups),
      ...Object.keys(source.ipLists),
      ...Object.keys(source.conditionalAccessPolicies),
    ];
    for (const id of ids) {
      const result = plan(source, { selection: { excludedItemIds: [id] } });
      const excluded = result.items.filter((item) => item.reasons.includes('EXCLUDED_BY_SELECTION'));
      expect(excluded.map((item) => item.sourceId)).toEqual([id]);
      expect(result.deselections[0]?.excludedItems.map((item) => item.sourceId)).toEqual([id]);
    }
  });
});
