/**
 * The demo's source organization is built through the real services and, previewed, shows every
 * clone rule of SPEC §2: each item gets the outcome and reasons it was seeded for, and with a few
 * deselections every outcome and every reason code of the table appears at least once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../src/app/runtime.js';
import type { Caller } from '../../src/application/organizations.js';
import type { ClonePlan, Outcome, ReasonCode } from '../../src/domain/clone/plan.js';
import { OUTCOMES } from '../../src/domain/clone/plan.js';
import { loadConfig } from '../../src/config.js';
import { principalOf } from '../../src/projections/providers/queries.js';
import type { DemoSeed } from '../../src/cli/demo-seed.js';
import { DEMO_PROVIDER_NAME, DEMO_SOURCE_NAME, seedDemo } from '../../src/cli/demo-seed.js';
import { createApiKeyAuthenticator } from '../../src/server/auth.js';

/** Every reason code SPEC §2's table names. */
const SPEC_REASONS: readonly ReasonCode[] = [
  'PROPRIETARY_SETTING',
  'NON_ROOT_UNIX_COMMAND',
  'COMMAND_FILES_OMITTED',
  'SENSITIVE_VALUE_OMITTED',
  'REQUIRED_SENSITIVE_VALUE',
  'MEMBER_NOT_CLONED',
  'MEMBERS_NOT_COPIED',
  'BINDING_NOT_CLONED',
  'DEVICES_NOT_COPIED',
  'MDM_SETTINGS_NOT_COPIED',
  'DUO_NOT_CLONED',
  'APP_SPECIFIC_POLICY',
  'USER_GROUP_NOT_CLONED',
  'EXCLUDED_BY_SELECTION',
];

function verdictOf(plan: ClonePlan, kind: string, name: string): { outcome: Outcome; reasons: ReasonCode[] } {
  const item = plan.items.find((candidate) => candidate.kind === kind && candidate.name === name);
  if (!item) throw new Error(`the plan has no ${kind} named ${name}`);
  return { outcome: item.outcome, reasons: item.reasons };
}

describe('the demo seed', () => {
  let dir: string;
  let runtime: Runtime;
  let seed: DemoSeed;
  let caller: Caller;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orgclone-demo-seed-'));
    runtime = await openRuntime({
      config: loadConfig({ ORGCLONE_DATA_DIR: dir, LOG_LEVEL: 'silent' }),
      cloneRunner: false,
    });
    seed = await seedDemo(runtime);
    caller = { principal: principalOf(seed.administrators.billing), requestId: 'demo-seed-test' };
  });

  afterAll(async () => {
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the demo provider a paid plan and the three administrators, and a key for the one who may clone', async () => {
    expect(seed.provider).toMatchObject({ name: DEMO_PROVIDER_NAME, plan: 'PAID' });
    expect(Object.values(seed.administrators).map((admin) => admin.roleName)).toEqual([
      'Administrator With Billing',
      'Billing Only',
      'Read Only',
    ]);
    const principal = await createApiKeyAuthenticator(runtime.providers.authenticatorLookup()).authenticate(
      seed.apiKey,
    );
    expect(principal).toMatchObject({
      administratorId: seed.administrators.billing.id,
      providerId: seed.provider.id,
      roleName: 'Administrator With Billing',
    });
    expect(seed.otherProvider.id).not.toBe(seed.provider.id);
  });

  it('previewed with everything selected, gives each source item the rule it was seeded for', async () => {
    const plan = await runtime.services.clones.preview(caller, {
      sourceOrganizationId: seed.sourceOrganization.id,
      name: 'Preview of everything',
    });

    expect(plan.preflight.filter((finding) => finding.severity === 'ERROR')).toEqual([]);
    expect(plan.counts).toEqual({ users: 3, devices: 3 });
    const expected: [string, string, Outcome, ReasonCode[]][] = [
      ['SETTING', 'USER_PORTAL', 'COPIED', []],
      ['SETTING', 'PASSWORD_CONFIGURATIONS', 'COPIED', []],
      ['PROPRIETARY_SETTING', 'contactEmail', 'SKIPPED', ['PROPRIETARY_SETTING']],
      ['USER_GROUP', 'Engineering', 'COPIED_WITH_OMISSIONS', ['MEMBERS_NOT_COPIED', 'BINDING_NOT_CLONED']],
      ['USER_GROUP', 'Contractors', 'COPIED_WITH_OMISSIONS', ['MEMBERS_NOT_COPIED']],
      [
        'DEVICE_GROUP',
        'Mac fleet',
        'COPIED_WITH_OMISSIONS',
        ['DEVICES_NOT_COPIED', 'MDM_SETTINGS_NOT_COPIED'],
      ],
      ['DEVICE_GROUP', 'Windows workstations', 'COPIED_WITH_OMISSIONS', ['DEVICES_NOT_COPIED']],
      ['COMMAND', 'Bootstrap Mac', 'COPIED_WITH_OMISSIONS', ['COMMAND_FILES_OMITTED']],
      ['COMMAND', "Clear alice's build cache", 'SKIPPED', ['NON_ROOT_UNIX_COMMAND']],
      ['COMMAND', 'Restart print spooler', 'COPIED', []],
      ['COMMAND', 'Flush DNS cache', 'COPIED', []],
      ['POLICY', 'Screensaver after 5 minutes', 'COPIED', []],
      ['POLICY', 'BitLocker with startup PIN', 'COPIED_WITH_OMISSIONS', ['SENSITIVE_VALUE_OMITTED']],
      ['POLICY', 'Chrome: safe browsing', 'COPIED_WITH_OMISSIONS', ['SENSITIVE_VALUE_OMITTED']],
      ['POLICY', 'Lobby kiosk', 'SKIPPED', ['REQUIRED_SENSITIVE_VALUE']],
      ['POLICY_GROUP', 'Mac baseline', 'COPIED', []],
      ['POLICY_GROUP', 'Windows baseline', 'COPIED_WITH_OMISSIONS', ['MEMBER_NOT_CLONED']],
      ['MFA_METHOD', 'push', 'COPIED', []],
      ['MFA_METHOD', 'webAuthn', 'COPIED', []],
      ['DUO_CONFIGURATION', 'Duo', 'SKIPPED', ['DUO_NOT_CLONED']],
      ['IP_LIST', 'Head office', 'COPIED', []],
      ['IP_LIST', 'Legacy VPN', 'EXCLUDED', ['NOT_REFERENCED']],
      ['CONDITIONAL_ACCESS_POLICY', 'Salesforce needs MFA', 'SKIPPED', ['APP_SPECIFIC_POLICY']],
      ['CONDITIONAL_ACCESS_POLICY', 'Engineering: MFA on the User Portal', 'COPIED', []],
      ['CONDITIONAL_ACCESS_POLICY', 'Admin Portal only from the office', 'COPIED', []],
      ['FEATURE', 'remoteAssist', 'COPIED', []],
    ];
    for (const [kind, name, outcome, reasons] of expected) {
      expect({ kind, name, ...verdictOf(plan, kind, name) }).toEqual({ kind, name, outcome, reasons });
    }
    const admins = plan.items.filter((item) => item.kind === 'ADMIN_ACCESS');
    expect(admins.map((item) => [item.sourceId, item.outcome])).toEqual([
      [seed.administrators.billing.id, 'COPIED'],
      [seed.administrators.readOnly.id, 'COPIED'],
    ]);
  });

  it('previewed with a user group, an administrator and a feature deselected, shows every outcome and every reason of SPEC §2', async () => {
    const source = seed.source!;
    const plan = await runtime.services.clones.preview(caller, {
      sourceOrganizationId: source.organizationId,
      name: 'Preview with deselections',
      selection: {
        excludedItemIds: [source.userGroups.contractors],
        excludedAdminIds: [seed.administrators.readOnly.id],
        features: { remoteAssist: 'JUMPCLOUD_DEFAULT' },
      },
    });

    expect(verdictOf(plan, 'CONDITIONAL_ACCESS_POLICY', 'Engineering: MFA on the User Portal')).toEqual({
      outcome: 'SKIPPED',
      reasons: ['USER_GROUP_NOT_CLONED'],
    });
    expect(verdictOf(plan, 'USER_GROUP', 'Contractors')).toEqual({
      outcome: 'EXCLUDED',
      reasons: ['EXCLUDED_BY_SELECTION'],
    });
    expect(verdictOf(plan, 'FEATURE', 'remoteAssist')).toEqual({
      outcome: 'RESET_TO_DEFAULT',
      reasons: ['JUMPCLOUD_DEFAULT_SELECTED'],
    });
    const outcomes = new Set(plan.items.map((item) => item.outcome));
    const reasons = new Set(plan.items.flatMap((item) => item.reasons));
    expect([...OUTCOMES].filter((outcome) => !outcomes.has(outcome))).toEqual([]);
    expect(SPEC_REASONS.filter((reason) => !reasons.has(reason))).toEqual([]);
  });

  it('seeded again, reuses the providers, administrators and organizations and issues a new key', async () => {
    const again = await seedDemo(runtime);

    expect(again.provider.id).toBe(seed.provider.id);
    expect(again.otherProvider.id).toBe(seed.otherProvider.id);
    expect(again.administrators).toEqual(seed.administrators);
    expect(again.source).toBeNull();
    expect(again.sourceOrganization.id).toBe(seed.sourceOrganization.id);
    expect(again.sourceOrganization.displayName).toBe(DEMO_SOURCE_NAME);
    expect(again.apiKey).not.toBe(seed.apiKey);
    expect(runtime.services.readModels.providers.providersNamed(DEMO_PROVIDER_NAME)).toHaveLength(1);
    const organizations = runtime.services.organizations.listOrganizations(caller, { first: 10 });
    expect(organizations.map((organization) => organization.displayName)).toEqual([DEMO_SOURCE_NAME]);
  });
});
