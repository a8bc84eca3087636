/** The organization events a clone writes into the new organization, folded with the organization's own `evolve`. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultFeatures, defaultMfa, defaultSettings } from '../../../src/domain/organization/defaults.js';
import { evolve, initialState } from '../../../src/domain/organization/evolve.js';
import type { OrganizationEvent } from '../../../src/domain/organization/events.js';
import { clonedOrganizationEventId, materializeClone } from '../../../src/domain/clone/materialize.js';
import { planClone } from '../../../src/domain/clone/planner.js';
import { canonicalJson } from '../../../src/shared/canonical-json.js';
import { organizationOfPlan } from '../../support/clone-expected-organization.js';
import { MARKER, selectionArbitrary, sourceArbitrary } from './arbitraries.js';
import { ALLOWED, plan as planOf, richSource, templateLookup } from './fixtures.js';

const CONTEXT = { providerId: 'provider-1', created: '2024-06-01T12:00:00.000Z' };

const fold = (events: readonly OrganizationEvent[]) => events.reduce(evolve, initialState());

describe('materializeClone', () => {
  it('writes the rich source into a new organization that holds exactly the plan', () => {
    const plan = planOf(richSource());
    const { events } = materializeClone(plan, CONTEXT);
    const organization = fold(events);
    expect(organization).toStrictEqual(organizationOfPlan(plan, CONTEXT));
    // The copy holds the source's choices, remapped, and none of what must stay behind.
    expect(organization.features).toEqual({
      directoryInsights: true,
      systemInsights: false,
      remoteAssist: true,
    });
    expect(organization.mfa).toEqual({ ...richSource().mfa, duo: null });
    expect(organization.users).toEqual({});
    expect(organization.devices).toEqual({});
    expect(organization.proprietary).toEqual({});
    expect(Object.values(organization.commands).map((command) => command.clonedFromId)).toEqual([
      'cmd-root',
      'cmd-win',
    ]);
    const [staffAccess] = Object.values(organization.conditionalAccessPolicies);
    const newId = (sourceId: string) => plan.remap.find((entry) => entry.sourceId === sourceId)!.newId;
    expect(staffAccess!.targets.userGroups).toEqual({
      inclusions: [newId('ug-staff')],
      exclusions: [newId('ug-admins')],
    });
    expect(staffAccess!.conditions).toEqual({
      all: [{ ipAddressIn: [newId('ip-office')] }, { deviceEncrypted: true }],
    });
    expect(organization.policies[newId('pol-banner')]!.values).toEqual([]);
  });

  it('starts with OrganizationCreated at JumpCloud defaults, provisioning, and ends with OrganizationProvisioned', () => {
    const plan = planOf(richSource());
    const { events, eventsThrough } = materializeClone(plan, CONTEXT);
    expect(events[0]).toStrictEqual({
      type: 'OrganizationCreated',
      data: {
        organizationId: plan.newOrganizationId,
        providerId: 'provider-1',
        displayName: 'New org',
        created: CONTEXT.created,
        settings: defaultSettings(),
        features: defaultFeatures(),
        mfa: defaultMfa(),
        clonedFrom: { cloneId: 'clone-1', sourceOrganizationId: 'org-source', sourceVersion: '7' },
      },
    });
    expect(fold(events.slice(0, -1)).status).toBe('provisioning');
    expect(events.at(-1)).toStrictEqual({
      type: 'OrganizationProvisioned',
      data: { organizationId: plan.newOrganizationId, cloneId: 'clone-1' },
    });
    expect(eventsThrough).toHaveLength(plan.items.length + 1);
    expect(eventsThrough.at(-1)).toBe(events.length - 1);
  });

  it('gives each item that creates something one event at a revision known in advance', () => {
    const plan = planOf(richSource(), { selection: { excludedCategories: ['USER_PORTAL', 'COMMANDS'] } });
    const { events, eventsThrough } = materializeClone(plan, CONTEXT);
    expect(eventsThrough[0]).toBe(1);
    plan.items.forEach((item, index) => {
      expect(eventsThrough[index + 1]! - eventsThrough[index]!).toBe(item.content === null ? 0 : 1);
    });
    // Deselected settings stay at JumpCloud's default.
    expect(fold(events).settings.USER_PORTAL).toEqual(defaultSettings().USER_PORTAL);
    expect(fold(events).commands).toEqual({});
  });

  it('is deterministic, with event ids unique per revision and different for different content', () => {
    const plan = planOf(richSource());
    const first = materializeClone(plan, CONTEXT);
    expect(canonicalJson(materializeClone(plan, CONTEXT))).toBe(canonicalJson(first));
    const ids = first.events.map((event, revision) => clonedOrganizationEventId('clone-1', revision, event));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      first.events.map((event, revision) => clonedOrganizationEventId('clone-1', revision, event)),
    );
    const renamed = materializeClone({ ...plan, name: 'Other name' }, CONTEXT);
    expect(clonedOrganizationEventId('clone-1', 0, renamed.events[0]!)).not.toBe(ids[0]);
  });

  it('folds to exactly the plan for generated sources and selections, with no sensitive value', () => {
    fc.assert(
      fc.property(sourceArbitrary, selectionArbitrary, ({ source, templates }, selection) => {
        const plan = planClone({
          cloneId: 'clone-g',
          source,
          sourceVersion: 3n,
          name: 'Generated',
          selection,
          templates: templateLookup(templates),
          preflight: ALLOWED,
        });
        const { events, eventsThrough } = materializeClone(plan, CONTEXT);
        expect(fold(events)).toStrictEqual(organizationOfPlan(plan, CONTEXT));
        expect(events).toHaveLength(eventsThrough.at(-1)! + 1);
        expect(JSON.stringify(events)).not.toContain(MARKER);
      }),
      { numRuns: 150 },
    );
  });
});
