import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/application/command-handler.js';
import { NameReservations } from '../../src/application/name-reservations.js';
import type { Caller } from '../../src/application/organizations.js';
import { organizationStreamId } from '../../src/application/streams.js';
import type { OrganizationCommand } from '../../src/domain/organization/commands.js';
import { organizationDecider } from '../../src/domain/organization/decider.js';
import { ADMIN_ROLES, ROOT_USER_ID } from '../../src/domain/organization/model.js';
import type { AdminRole } from '../../src/domain/organization/model.js';
import { ProviderReadModel } from '../../src/projections/providers/queries.js';
import { OrgcloneError } from '../../src/shared/errors.js';
import type { ServiceFixture } from './support/service-fixture.js';
import { serviceFixture } from './support/service-fixture.js';

const WIFI_TEMPLATE = '64f0a1b2c3d4e5f601000003';
const WIFI_SSID = '64f0a1b2c3d4e5f602030001';
const WIFI_ENCRYPTION = '64f0a1b2c3d4e5f602030002';
const WIFI_PASSWORD = '64f0a1b2c3d4e5f602030003';
const DUO = {
  accountId: 'duo-account-1',
  apiHost: 'api-1a2b3c4d.duosecurity.com',
  integrationKey: 'DIWJ8X6AEYOR5OMC6TQ1',
};

let fixture: ServiceFixture;
beforeEach(async () => {
  fixture = await serviceFixture();
});
afterEach(async () => {
  await fixture.close();
});

/** `ALLOWED`, or the code of the product error the operation ended with. */
async function outcome(operation: () => unknown): Promise<string> {
  try {
    await operation();
    return 'ALLOWED';
  } catch (error) {
    if (error instanceof OrgcloneError) return error.code;
    throw error;
  }
}

const addRootCommand = (organizationId: string, name = 'Update packages') => ({
  organizationId,
  name,
  command: 'apt-get update',
  commandType: 'linux' as const,
  user: ROOT_USER_ID,
});

describe('permissions', () => {
  const CAN_READ: readonly AdminRole[] = ADMIN_ROLES.filter((role) => role !== 'Billing Only');
  const CAN_EDIT: readonly AdminRole[] = ['Administrator With Billing', 'Administrator', 'Manager'];

  it('follows the role matrix for reading, listing, creating and editing', async () => {
    const { main } = fixture;
    const provider = await fixture.provider();
    const owner = await fixture.caller(provider.id);
    const organization = await main.organizations.createOrganization(owner, { displayName: 'Matrix' });

    const table: Record<string, Record<string, string>> = {};
    for (const role of ADMIN_ROLES) {
      const caller = await fixture.caller(provider.id, role);
      table[role] = {
        read: await outcome(() => main.organizations.organization(caller, organization.id)),
        list: await outcome(() => main.organizations.listOrganizations(caller, { first: 10 })),
        create: await outcome(() =>
          main.organizations.createOrganization(caller, { displayName: `Created by ${role}` }),
        ),
        edit: await outcome(() =>
          main.organizations.setFeatures(caller, {
            organizationId: organization.id,
            features: { remoteAssist: ADMIN_ROLES.indexOf(role) % 2 === 0 },
          }),
        ),
      };
    }

    const expected = Object.fromEntries(
      ADMIN_ROLES.map((role) => {
        const read = CAN_READ.includes(role) ? 'ALLOWED' : 'FORBIDDEN';
        const edit = CAN_EDIT.includes(role) ? 'ALLOWED' : 'FORBIDDEN';
        return [role, { read, list: read, create: edit, edit }];
      }),
    );
    expect(table).toEqual(expected);
  });

  it("answers NOT_FOUND, never FORBIDDEN, for another provider's organization", async () => {
    const { main } = fixture;
    const provider = await fixture.provider();
    const organization = await main.organizations.createOrganization(await fixture.caller(provider.id), {
      displayName: 'Ours',
    });
    const other = await fixture.provider();
    for (const role of ['Administrator With Billing', 'Read Only', 'Billing Only'] as const) {
      const stranger = await fixture.caller(other.id, role);
      expect(await outcome(() => main.organizations.organization(stranger, organization.id))).toBe(
        'NOT_FOUND',
      );
      expect(
        await outcome(() => main.organizations.addCommand(stranger, addRootCommand(organization.id))),
      ).toBe('NOT_FOUND');
      expect(main.organizations.visibleOrganizations(stranger, [organization.id])).toEqual([null]);
    }
    const strangerAdmin = await fixture.caller(other.id);
    expect(main.organizations.listOrganizations(strangerAdmin, { first: 10 })).toEqual([]);
    expect(await outcome(() => main.organizations.organization(strangerAdmin, 'no-such-org'))).toBe(
      'NOT_FOUND',
    );
    expect(
      await outcome(() =>
        main.organizations.setFeatures(strangerAdmin, { organizationId: 'no-such-org', features: {} }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('shows a LINKED administrator only its linked organizations, and links it to those it creates', async () => {
    const { main } = fixture;
    const provider = await fixture.provider();
    const owner = await fixture.caller(provider.id);
    const linkedOrg = await main.organizations.createOrganization(owner, { displayName: 'Linked' });
    const hiddenOrg = await main.organizations.createOrganization(owner, { displayName: 'Hidden' });
    const manager = await fixture.caller(provider.id, 'Manager', {
      orgAccess: 'LINKED',
      linkedOrganizationIds: [linkedOrg.id],
    });

    expect(await outcome(() => main.organizations.organization(manager, hiddenOrg.id))).toBe('NOT_FOUND');
    expect(
      await outcome(() =>
        main.organizations.setFeatures(manager, { organizationId: hiddenOrg.id, features: {} }),
      ),
    ).toBe('NOT_FOUND');
    expect(await outcome(() => main.organizations.addCommand(manager, addRootCommand(linkedOrg.id)))).toBe(
      'ALLOWED',
    );

    const created = await main.organizations.createOrganization(manager, { displayName: 'Mine' });
    const listed = main.organizations.listOrganizations(manager, { first: 10 }).map((org) => org.displayName);
    expect(listed).toEqual(['Linked', 'Mine']);
    expect(main.readModel.itemsOf([created.id], 'ADMIN_ACCESS')[0]).toEqual([
      { administratorId: manager.principal.administratorId },
    ]);
    expect(
      new ProviderReadModel(main.db).getAdministrator(provider.id, manager.principal.administratorId)
        ?.linkedOrganizationIds,
    ).toEqual([linkedOrg.id, created.id].sort());
    expect(
      await outcome(() =>
        main.organizations.setFeatures(manager, { organizationId: created.id, features: {} }),
      ),
    ).toBe('ALLOWED');
  });

  it('grants and revokes admin access, linking LINKED administrators so that they see the organization', async () => {
    const { main } = fixture;
    const provider = await fixture.provider();
    const owner = await fixture.caller(provider.id);
    const organization = await main.organizations.createOrganization(owner, { displayName: 'Shared' });
    const helpDesk = await fixture.caller(provider.id, 'Help Desk', { orgAccess: 'LINKED' });
    const administratorId = helpDesk.principal.administratorId;
    expect(await outcome(() => main.organizations.organization(helpDesk, organization.id))).toBe('NOT_FOUND');

    const granted = await main.organizations.grantAdminAccess(owner, {
      organizationId: organization.id,
      administratorId,
    });
    expect(granted.item).toEqual({ administratorId });
    expect(main.organizations.organization(helpDesk, organization.id).id).toBe(organization.id);

    const revoked = await main.organizations.revokeAdminAccess(owner, {
      organizationId: organization.id,
      administratorId,
    });
    expect(revoked.item).toBeNull();
    expect(await outcome(() => main.organizations.organization(helpDesk, organization.id))).toBe('NOT_FOUND');

    const stranger = await fixture.caller((await fixture.provider()).id);
    expect(
      await outcome(() =>
        main.organizations.grantAdminAccess(owner, {
          organizationId: organization.id,
          administratorId: stranger.principal.administratorId,
        }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('refuses a suspended administrator, and creation where the provider disabled it', async () => {
    const { main } = fixture;
    const provider = await fixture.provider();
    const admin = await fixture.caller(provider.id);
    const organization = await main.organizations.createOrganization(admin, { displayName: 'Before' });
    await main.providers.suspendAdministrator({
      providerId: provider.id,
      administratorId: admin.principal.administratorId,
    });
    expect(await outcome(() => main.organizations.organization(admin, organization.id))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await outcome(() => main.organizations.createOrganization(admin, { displayName: 'After' }))).toBe(
      'UNAUTHENTICATED',
    );

    const locked = await fixture.provider('PAID', true);
    const lockedAdmin = await fixture.caller(locked.id);
    expect(
      await outcome(() => main.organizations.createOrganization(lockedAdmin, { displayName: 'No' })),
    ).toBe('FORBIDDEN');
  });
});

describe('organization names', () => {
  it('lets exactly one of two concurrent creates of the same name win, across processes', async () => {
    const provider = await fixture.provider();
    const caller = await fixture.caller(provider.id);
    const other = await fixture.startProcess();
    await other.runner.waitForPosition((await fixture.main.store.headPosition())!, { timeoutMs: 10_000 });

    for (const [first, second] of [
      ['Race Corp', 'RACE corp'],
      ['Photo Finish', ' photo   finish '],
      ['Dead Heat', 'dead heat'],
    ] as const) {
      const results = await Promise.allSettled([
        fixture.main.organizations.createOrganization(
          { ...caller, requestId: randomUUID() },
          { displayName: first },
        ),
        other.organizations.createOrganization(
          { ...caller, requestId: randomUUID() },
          { displayName: second },
        ),
      ]);
      const winners = results.filter((result) => result.status === 'fulfilled');
      const losers = results.filter((result) => result.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers.map((result) => result.reason)).toEqual([
        expect.objectContaining({ code: 'CONFLICT', reason: 'NAME_TAKEN', field: 'displayName' }),
      ]);
    }
    let created = 0;
    for await (const event of fixture.main.store.readAll())
      if (event.type === 'OrganizationCreated') created++;
    expect(created).toBe(3);
  });

  it('refuses a name in use, case-insensitively, within the provider only', async () => {
    const { main } = fixture;
    const provider = await fixture.provider();
    const caller = await fixture.caller(provider.id);
    await main.organizations.createOrganization(caller, { displayName: 'Acme' });
    expect(
      await outcome(() => main.organizations.createOrganization(caller, { displayName: ' ACME ' })),
    ).toBe('CONFLICT');
    const elsewhere = await fixture.caller((await fixture.provider()).id);
    expect(
      await outcome(() => main.organizations.createOrganization(elsewhere, { displayName: 'acme' })),
    ).toBe('ALLOWED');
  });

  it('frees a name when released, and takes over the name of a discarded organization that kept it', async () => {
    const { main } = fixture;
    const provider = await fixture.provider();
    const caller = await fixture.caller(provider.id);
    const names = new NameReservations({ store: main.store, now: () => new Date() });
    const metadata = { correlationId: 'test', causationId: 'test', actor: 'test' };

    const first = await main.organizations.createOrganization(caller, { displayName: 'Phoenix' });
    expect(await names.holderOf(provider.id, 'PHOENIX')).toBe(first.id);
    await names.release(
      { providerId: provider.id, displayName: 'phoenix', organizationId: 'someone-else' },
      metadata,
    );
    expect(await names.holderOf(provider.id, 'Phoenix')).toBe(first.id);

    // A discard whose release never happened (the process died in between) leaves the claim behind.
    await handleCommand({
      store: main.store,
      streamId: organizationStreamId(first.id),
      decider: organizationDecider,
      command: { type: 'DiscardOrganization', data: {} },
      context: { seal: () => ({ sealed: 'unused' }) },
      metadata,
      now: () => new Date(),
    });
    const second = await main.organizations.createOrganization(caller, { displayName: 'phoenix' });
    expect(await names.holderOf(provider.id, 'Phoenix')).toBe(second.id);

    // What a rename or a discard does with the old name: release it, and it is free.
    await names.release(
      { providerId: provider.id, displayName: 'Phoenix', organizationId: second.id },
      metadata,
    );
    expect(await names.holderOf(provider.id, 'Phoenix')).toBeNull();
    await names.reserve(
      { providerId: provider.id, displayName: 'PHOENIX', organizationId: 'org-next' },
      metadata,
    );
    expect(await names.holderOf(provider.id, 'phoenix')).toBe('org-next');
  });
});

describe('mutations', () => {
  let caller: Caller;
  let organizationId: string;
  beforeEach(async () => {
    const provider = await fixture.provider();
    caller = await fixture.caller(provider.id);
    organizationId = (await fixture.main.organizations.createOrganization(caller, { displayName: 'Acme' }))
      .id;
  });

  it('answer with their own write, read back from the read model', async () => {
    const service = fixture.main.organizations;
    const features = await service.setFeatures(caller, {
      organizationId,
      features: { systemInsights: true },
    });
    expect(features.features).toEqual({
      directoryInsights: false,
      systemInsights: true,
      remoteAssist: false,
    });
    expect(features.version).toBe('1');

    const settings = await service.updateSettings(caller, {
      organizationId,
      settings: {
        USER_PORTAL: { idleSessionDurationMinutes: 30 },
        UID_GID_MANAGEMENT: { enableManagedUID: true },
      },
    });
    expect(settings.settings.USER_PORTAL.idleSessionDurationMinutes).toBe(30);
    expect(settings.settings.UID_GID_MANAGEMENT.enableManagedUID).toBe(true);
    expect(settings.version).toBe('3');

    const user = await service.addUser(caller, {
      organizationId,
      username: 'ann',
      email: 'ann@acme.example',
    });
    expect(user.organization.userCount).toBe(1);
    expect(user.item).toMatchObject({ username: 'ann' });
    expect(user.item!.id).toMatch(/^[0-9a-f]{24}$/);

    const group = await service.addUserGroup(caller, { organizationId, name: 'Staff' });
    const member = await service.addUserToUserGroup(caller, {
      organizationId,
      userGroupId: group.item!.id,
      userId: user.item!.id,
    });
    expect(member.item!.memberUserIds).toEqual([user.item!.id]);

    const deviceGroup = await service.addDeviceGroup(caller, { organizationId, name: 'Macs' });
    const command = await service.addCommand(caller, {
      ...addRootCommand(organizationId),
      deviceGroupIds: [deviceGroup.item!.id],
    });
    expect(command.item!.deviceGroupIds).toEqual([deviceGroup.item!.id]);
    const renamed = await service.updateCommand(caller, {
      organizationId,
      commandId: command.item!.id,
      name: 'Upgrade',
    });
    expect(renamed.item!.name).toBe('Upgrade');
    const unbound = await service.unbindDeviceGroupFromCommand(caller, {
      organizationId,
      commandId: command.item!.id,
      deviceGroupId: deviceGroup.item!.id,
    });
    expect(unbound.item!.deviceGroupIds).toEqual([]);
    const removed = await service.removeCommand(caller, { organizationId, commandId: command.item!.id });
    expect(removed.item).toBeNull();
    expect(fixture.main.readModel.itemsOf([organizationId], 'COMMAND')[0]).toEqual([]);

    const mfa = await service.configureMfa(caller, { organizationId, totp: { enabled: true } });
    expect(mfa.mfa.totp).toEqual({ enabled: true });
    const duo = await service.configureDuo(caller, { organizationId, ...DUO, secretKey: 'a'.repeat(40) });
    expect(duo.mfa.duo).toEqual(DUO);
    expect((await service.removeDuo(caller, { organizationId })).mfa.duo).toBeNull();
  });

  it('stamp their events with the request, the caller and the time', async () => {
    const requestId = randomUUID();
    await fixture.main.organizations.setFeatures(
      { ...caller, requestId },
      { organizationId, features: { remoteAssist: true } },
    );
    const events = [];
    for await (const event of fixture.main.store.readStream(organizationStreamId(organizationId)))
      events.push(event);
    expect(events.at(-1)!.metadata).toEqual({
      correlationId: requestId,
      causationId: requestId,
      actor: caller.principal.administratorId,
      recordedAt: expect.any(String),
    });
  });

  it('write nothing when the input is refused', async () => {
    const service = fixture.main.organizations;
    const before = await fixture.eventCount();
    const refusals: [string, () => Promise<unknown>][] = [
      ['empty name', () => service.createOrganization(caller, { displayName: '   ' })],
      ['name too long', () => service.createOrganization(caller, { displayName: 'x'.repeat(101) })],
      ['name taken', () => service.createOrganization(caller, { displayName: 'ACME' })],
      [
        'bad command type',
        () => service.addCommand(caller, { ...addRootCommand(organizationId), commandType: 'dos' as never }),
      ],
      [
        'unknown template',
        () => service.addPolicy(caller, { organizationId, name: 'P', templateId: 'nope', values: [] }),
      ],
      [
        'out of range',
        () =>
          service.updateSettings(caller, {
            organizationId,
            settings: { USER_PORTAL: { idleSessionDurationMinutes: 0 } },
          }),
      ],
      ['bad Duo secret', () => service.configureDuo(caller, { organizationId, ...DUO, secretKey: 'short' })],
      [
        'unknown group',
        () => service.addUserToUserGroup(caller, { organizationId, userGroupId: 'nope', userId: 'nope' }),
      ],
    ];
    const codes = [];
    for (const [, refused] of refusals) codes.push(await outcome(refused));
    expect(codes).toEqual([
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'CONFLICT',
      'VALIDATION_FAILED',
      'NOT_FOUND',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'NOT_FOUND',
    ]);
    expect(await fixture.eventCount()).toBe(before);
  });

  it('are refused while a clone is still writing the organization, then allowed', async () => {
    const { main } = fixture;
    const clonedId = 'org-being-cloned';
    const create: OrganizationCommand = {
      type: 'CreateOrganization',
      data: {
        organizationId: clonedId,
        providerId: caller.principal.providerId,
        displayName: 'Acme Copy',
        created: '2025-01-01T00:00:00.000Z',
        clonedFrom: { cloneId: 'clone-1', sourceOrganizationId: organizationId, sourceVersion: '0' },
      },
    };
    const created = await handleCommand({
      store: main.store,
      streamId: organizationStreamId(clonedId),
      decider: organizationDecider,
      command: create,
      context: { seal: () => ({ sealed: 'unused' }) },
      metadata: { correlationId: 'clone-1', causationId: 'clone-1', actor: caller.principal.administratorId },
      now: () => new Date(),
    });
    await main.runner.waitForPosition(created.position!, { timeoutMs: 10_000 });
    expect(main.organizations.organization(caller, clonedId).status).toBe('CLONING');

    const stranger = await fixture.caller((await fixture.provider()).id);
    expect(
      await outcome(() =>
        main.organizations.setFeatures(stranger, { organizationId: clonedId, features: {} }),
      ),
    ).toBe('NOT_FOUND');
    const refused = main.organizations.setFeatures(caller, {
      organizationId: clonedId,
      features: { remoteAssist: true },
    });
    await expect(refused).rejects.toMatchObject({ code: 'CONFLICT', reason: 'ORGANIZATION_BEING_CLONED' });

    const provisioned = await main.store.appendToStream(organizationStreamId(clonedId), [
      {
        id: randomUUID(),
        type: 'OrganizationProvisioned',
        data: { organizationId: clonedId, cloneId: 'clone-1' },
      },
    ]);
    await main.runner.waitForPosition(provisioned.position, { timeoutMs: 10_000 });
    const allowed = await main.organizations.setFeatures(caller, {
      organizationId: clonedId,
      features: { remoteAssist: true },
    });
    expect(allowed).toMatchObject({ status: 'ACTIVE', features: { remoteAssist: true } });
  });

  it('seal sensitive values in the log: no planted marker in any file or response', async () => {
    const service = fixture.main.organizations;
    const markers = {
      ssid: 'ssid-MARKER-0e1d2c',
      wifiPassword: 'wifi-password-MARKER-3b4a59',
      duoSecret: 'DUOSECRETMARKER9876543210zyxwvutsrqponml',
    };
    const visibleName = 'Office Wi-Fi VISIBLE-MARKER-77aa';
    const policy = await service.addPolicy(caller, {
      organizationId,
      name: visibleName,
      templateId: WIFI_TEMPLATE,
      values: [
        { configFieldID: WIFI_SSID, value: markers.ssid, sensitive: false },
        { configFieldID: WIFI_ENCRYPTION, value: 'WPA3', sensitive: false },
        { configFieldID: WIFI_PASSWORD, value: markers.wifiPassword, sensitive: false },
      ],
    });
    const duo = await service.configureDuo(caller, { organizationId, ...DUO, secretKey: markers.duoSecret });

    expect(policy.item!.values).toEqual([
      { configFieldID: WIFI_SSID, value: null, sensitive: true },
      { configFieldID: WIFI_ENCRYPTION, value: 'WPA3', sensitive: false },
      { configFieldID: WIFI_PASSWORD, value: null, sensitive: true },
    ]);
    const files = [fixture.eventsPath, ...fixture.readModelPaths]
      .flatMap((path) => [path, `${path}-wal`])
      .filter((path) => existsSync(path));
    const bytes = Buffer.concat(files.map((path) => readFileSync(path)));
    // The scan sees plain text: the policy's name is there, in the log and the read model.
    expect(bytes.includes(visibleName)).toBe(true);
    const responses = JSON.stringify([policy, duo]);
    for (const marker of Object.values(markers)) {
      expect(bytes.includes(marker)).toBe(false);
      expect(responses).not.toContain(marker);
    }
  });
});
