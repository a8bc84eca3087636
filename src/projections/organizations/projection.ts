/**
 * Folds the `organization-{id}` streams into the organizations read model: one row per organization
 * (status, settings, features, MFA, counts) and one row per item. Nothing sensitive lands here:
 * sealed policy values are stored as `null` (marked sensitive) and the Duo secret key is dropped.
 */
import { ORGANIZATION_STREAM_PREFIX, aggregateIdOf } from '../../application/streams.js';
import type { OrganizationEvent } from '../../domain/organization/events.js';
import type {
  Device,
  DuoConfiguration,
  MfaConfiguration,
  Policy,
  PolicyValue,
  User,
} from '../../domain/organization/model.js';
import { normalizeOrganizationName } from '../../domain/organization/naming.js';
import { findPolicyTemplate } from '../../domain/policy-templates/catalogue.js';
import { isSensitivePolicyValue } from '../../domain/policy-templates/sensitivity.js';
import type { RecordedEvent } from '../../eventstore/types.js';
import type { Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';
import type {
  AdminAccessView,
  DuoView,
  MfaView,
  OrganizationItemKind,
  OrganizationItemViews,
  OrganizationStatus,
} from './queries.js';
import { ORGANIZATIONS_TABLE, ORGANIZATION_ITEMS_TABLE } from './queries.js';

export const ORGANIZATIONS_PROJECTION = 'organizations';

export function organizationsProjection(): Projection {
  return {
    name: ORGANIZATIONS_PROJECTION,
    version: 1,
    filter: { streamPrefixes: [ORGANIZATION_STREAM_PREFIX] },
    setup(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${ORGANIZATIONS_TABLE} (
          id TEXT PRIMARY KEY,
          provider_id TEXT NOT NULL,
          display_name TEXT NOT NULL,
          normalized_name TEXT NOT NULL,
          created TEXT NOT NULL,
          version TEXT NOT NULL,
          status TEXT NOT NULL,
          cloned_from TEXT,
          settings TEXT NOT NULL,
          proprietary_settings TEXT NOT NULL,
          features TEXT NOT NULL,
          mfa TEXT NOT NULL,
          user_count INTEGER NOT NULL,
          device_count INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS organizations_by_name
          ON ${ORGANIZATIONS_TABLE} (provider_id, normalized_name, id);
        CREATE TABLE IF NOT EXISTS ${ORGANIZATION_ITEMS_TABLE} (
          organization_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          item_id TEXT NOT NULL,
          name TEXT NOT NULL,
          position INTEGER NOT NULL,
          data TEXT NOT NULL,
          PRIMARY KEY (organization_id, kind, item_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS organization_items_by_position
          ON ${ORGANIZATION_ITEMS_TABLE} (organization_id, kind, position, item_id);
      `);
    },
    reset(db) {
      db.exec(
        `DROP TABLE IF EXISTS ${ORGANIZATION_ITEMS_TABLE}; DROP TABLE IF EXISTS ${ORGANIZATIONS_TABLE};`,
      );
    },
    apply(db, events) {
      const writer = new OrganizationWriter(db);
      for (const event of events) writer.apply(event);
      writer.finish();
    },
  };
}

function prepareStatements(db: ReadModelDb) {
  return {
    insertOrganization: db.prepare(
      `INSERT INTO ${ORGANIZATIONS_TABLE} (id, provider_id, display_name, normalized_name, created, version,
         status, cloned_from, settings, proprietary_settings, features, mfa, user_count, device_count)
       VALUES (@id, @providerId, @displayName, @normalizedName, @created, @version, @status, @clonedFrom,
         @settings, '{}', @features, @mfa, 0, 0)`,
    ),
    organizationColumns: db.prepare<[string], { settings: string; mfa: string }>(
      `SELECT settings, mfa FROM ${ORGANIZATIONS_TABLE} WHERE id = ?`,
    ),
    setStatus: db.prepare<[OrganizationStatus, string, OrganizationStatus]>(
      `UPDATE ${ORGANIZATIONS_TABLE} SET status = ? WHERE id = ? AND status = ?`,
    ),
    discard: db.prepare<[string]>(`UPDATE ${ORGANIZATIONS_TABLE} SET status = 'DISCARDED' WHERE id = ?`),
    setSettings: db.prepare<[string, string]>(`UPDATE ${ORGANIZATIONS_TABLE} SET settings = ? WHERE id = ?`),
    setProprietarySettings: db.prepare<[string, string]>(
      `UPDATE ${ORGANIZATIONS_TABLE} SET proprietary_settings = ? WHERE id = ?`,
    ),
    setFeatures: db.prepare<[string, string]>(`UPDATE ${ORGANIZATIONS_TABLE} SET features = ? WHERE id = ?`),
    setMfa: db.prepare<[string, string]>(`UPDATE ${ORGANIZATIONS_TABLE} SET mfa = ? WHERE id = ?`),
    setVersion: db.prepare<[string, string]>(`UPDATE ${ORGANIZATIONS_TABLE} SET version = ? WHERE id = ?`),
    addUsers: db.prepare<[number, string]>(
      `UPDATE ${ORGANIZATIONS_TABLE} SET user_count = user_count + ? WHERE id = ?`,
    ),
    addDevices: db.prepare<[number, string]>(
      `UPDATE ${ORGANIZATIONS_TABLE} SET device_count = device_count + ? WHERE id = ?`,
    ),
    insertItem: db.prepare<[string, string, string, string, bigint, string]>(
      `INSERT INTO ${ORGANIZATION_ITEMS_TABLE} (organization_id, kind, item_id, name, position, data)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    updateItem: db.prepare<[string, string, string, string, string]>(
      `UPDATE ${ORGANIZATION_ITEMS_TABLE} SET name = ?, data = ?
       WHERE organization_id = ? AND kind = ? AND item_id = ?`,
    ),
    itemData: db.prepare<[string, string, string], { data: string }>(
      `SELECT data FROM ${ORGANIZATION_ITEMS_TABLE} WHERE organization_id = ? AND kind = ? AND item_id = ?`,
    ),
    deleteItem: db.prepare<[string, string, string]>(
      `DELETE FROM ${ORGANIZATION_ITEMS_TABLE} WHERE organization_id = ? AND kind = ? AND item_id = ?`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;
const statementsByDb = new WeakMap<ReadModelDb, Statements>();

/** The id lists an item keeps of its links, by the events that change them. */
type LinkList<K extends OrganizationItemKind> = {
  [F in keyof OrganizationItemViews[K]]: OrganizationItemViews[K][F] extends string[] ? F : never;
}[keyof OrganizationItemViews[K]];

/**
 * Applies one batch. What changes on the organization row with nearly every event (its version, its
 * user and device counts) is written once per organization, at the end of the batch.
 */
class OrganizationWriter {
  private readonly statements: Statements;
  private readonly versions = new Map<string, bigint>();
  private readonly counts = new Map<string, { users: number; devices: number }>();

  constructor(db: ReadModelDb) {
    let statements = statementsByDb.get(db);
    if (!statements) statementsByDb.set(db, (statements = prepareStatements(db)));
    this.statements = statements;
  }

  apply(recorded: RecordedEvent): void {
    const organizationId = aggregateIdOf(recorded.streamId, ORGANIZATION_STREAM_PREFIX);
    const event = { type: recorded.type, data: recorded.data } as OrganizationEvent;
    this.fold(organizationId, event, recorded.revision);
    this.versions.set(organizationId, recorded.revision);
  }

  finish(): void {
    for (const [organizationId, revision] of this.versions) {
      this.statements.setVersion.run(revision.toString(), organizationId);
    }
    for (const [organizationId, { users, devices }] of this.counts) {
      if (users !== 0) this.statements.addUsers.run(users, organizationId);
      if (devices !== 0) this.statements.addDevices.run(devices, organizationId);
    }
  }

  private fold(org: string, event: OrganizationEvent, revision: bigint): void {
    const s = this.statements;
    switch (event.type) {
      case 'OrganizationCreated': {
        const { data } = event;
        s.insertOrganization.run({
          id: org,
          providerId: data.providerId,
          displayName: data.displayName,
          normalizedName: normalizeOrganizationName(data.displayName),
          created: data.created,
          version: revision.toString(),
          status: data.clonedFrom ? 'CLONING' : 'ACTIVE',
          clonedFrom: data.clonedFrom ? JSON.stringify(data.clonedFrom) : null,
          settings: JSON.stringify(data.settings),
          features: JSON.stringify(data.features),
          mfa: JSON.stringify(mfaView(data.mfa)),
        });
        return;
      }
      case 'OrganizationProvisioned':
        s.setStatus.run('ACTIVE', org, 'CLONING');
        return;
      case 'OrganizationDiscarded':
        s.discard.run(org);
        return;
      case 'SettingsUpdated': {
        const settings = JSON.parse(this.organizationColumns(org).settings) as Record<string, unknown>;
        settings[event.data.category] = event.data.settings;
        s.setSettings.run(JSON.stringify(settings), org);
        return;
      }
      case 'ProprietarySettingsUpdated':
        s.setProprietarySettings.run(JSON.stringify(event.data.settings), org);
        return;
      case 'FeaturesSet':
        s.setFeatures.run(JSON.stringify(event.data.features), org);
        return;

      case 'CommandAdded':
        return this.addItem(org, 'COMMAND', event.data.command, revision);
      case 'CommandUpdated':
        return this.updateItem(org, 'COMMAND', event.data.command);
      case 'CommandRemoved':
        return this.removeItem(org, 'COMMAND', event.data.commandId);
      case 'PolicyAdded':
        return this.addItem(org, 'POLICY', policyView(event.data.policy), revision);
      case 'PolicyUpdated':
        return this.updateItem(org, 'POLICY', policyView(event.data.policy));
      case 'PolicyRemoved':
        return this.removeItem(org, 'POLICY', event.data.policyId);
      case 'PolicyGroupAdded':
        return this.addItem(org, 'POLICY_GROUP', event.data.policyGroup, revision);
      case 'PolicyGroupUpdated':
        return this.updateItem(org, 'POLICY_GROUP', event.data.policyGroup);
      case 'PolicyGroupRemoved':
        return this.removeItem(org, 'POLICY_GROUP', event.data.policyGroupId);
      case 'UserGroupAdded':
        return this.addItem(org, 'USER_GROUP', event.data.userGroup, revision);
      case 'UserGroupUpdated':
        return this.updateItem(org, 'USER_GROUP', event.data.userGroup);
      case 'UserGroupRemoved':
        return this.removeItem(org, 'USER_GROUP', event.data.userGroupId);
      case 'DeviceGroupAdded':
        return this.addItem(org, 'DEVICE_GROUP', event.data.deviceGroup, revision);
      case 'DeviceGroupUpdated':
        return this.updateItem(org, 'DEVICE_GROUP', event.data.deviceGroup);
      case 'DeviceGroupRemoved':
        return this.removeItem(org, 'DEVICE_GROUP', event.data.deviceGroupId);
      case 'UserAdded':
        return this.addItem(org, 'USER', event.data.user, revision);
      case 'UserUpdated':
        return this.updateItem(org, 'USER', event.data.user);
      case 'UserRemoved':
        return this.removeItem(org, 'USER', event.data.userId);
      case 'DeviceAdded':
        return this.addItem(org, 'DEVICE', event.data.device, revision);
      case 'DeviceUpdated':
        return this.updateItem(org, 'DEVICE', event.data.device);
      case 'DeviceRemoved':
        return this.removeItem(org, 'DEVICE', event.data.deviceId);
      case 'IpListAdded':
        return this.addItem(org, 'IP_LIST', event.data.ipList, revision);
      case 'IpListUpdated':
        return this.updateItem(org, 'IP_LIST', event.data.ipList);
      case 'IpListRemoved':
        return this.removeItem(org, 'IP_LIST', event.data.ipListId);
      case 'ConditionalAccessPolicyAdded':
        return this.addItem(org, 'CONDITIONAL_ACCESS_POLICY', event.data.conditionalAccessPolicy, revision);
      case 'ConditionalAccessPolicyUpdated':
        return this.updateItem(org, 'CONDITIONAL_ACCESS_POLICY', event.data.conditionalAccessPolicy);
      case 'ConditionalAccessPolicyRemoved':
        return this.removeItem(org, 'CONDITIONAL_ACCESS_POLICY', event.data.conditionalAccessPolicyId);

      case 'UserAddedToUserGroup':
      case 'UserRemovedFromUserGroup':
        return this.link(
          org,
          'USER_GROUP',
          event.data.userGroupId,
          'memberUserIds',
          event.data.userId,
          event.type === 'UserAddedToUserGroup',
        );
      case 'DeviceAddedToDeviceGroup':
      case 'DeviceRemovedFromDeviceGroup':
        return this.link(
          org,
          'DEVICE_GROUP',
          event.data.deviceGroupId,
          'memberDeviceIds',
          event.data.deviceId,
          event.type === 'DeviceAddedToDeviceGroup',
        );
      case 'PolicyAddedToPolicyGroup':
      case 'PolicyRemovedFromPolicyGroup':
        return this.link(
          org,
          'POLICY_GROUP',
          event.data.policyGroupId,
          'policyIds',
          event.data.policyId,
          event.type === 'PolicyAddedToPolicyGroup',
        );
      case 'DeviceGroupBoundToCommand':
      case 'DeviceGroupUnboundFromCommand':
        return this.link(
          org,
          'COMMAND',
          event.data.commandId,
          'deviceGroupIds',
          event.data.deviceGroupId,
          event.type === 'DeviceGroupBoundToCommand',
        );
      case 'DeviceGroupBoundToPolicy':
      case 'DeviceGroupUnboundFromPolicy':
        return this.link(
          org,
          'POLICY',
          event.data.policyId,
          'deviceGroupIds',
          event.data.deviceGroupId,
          event.type === 'DeviceGroupBoundToPolicy',
        );
      case 'DeviceGroupBoundToPolicyGroup':
      case 'DeviceGroupUnboundFromPolicyGroup':
        return this.link(
          org,
          'POLICY_GROUP',
          event.data.policyGroupId,
          'deviceGroupIds',
          event.data.deviceGroupId,
          event.type === 'DeviceGroupBoundToPolicyGroup',
        );

      case 'MfaConfigured':
        return this.changeMfa(org, (mfa) => ({ ...event.data, duo: mfa.duo }));
      case 'DuoConfigured':
        return this.changeMfa(org, (mfa) => ({ ...mfa, duo: duoView(event.data.duo) }));
      case 'DuoRemoved':
        return this.changeMfa(org, (mfa) => ({ ...mfa, duo: null }));
      case 'AdminAccessGranted': {
        const { administratorId } = event.data;
        return this.addItem(org, 'ADMIN_ACCESS', { administratorId }, revision);
      }
      case 'AdminAccessRevoked':
        return this.removeItem(org, 'ADMIN_ACCESS', event.data.administratorId);
    }
    // Event types added to the stream later change nothing here but the version, until handled.
  }

  private organizationColumns(org: string): { settings: string; mfa: string } {
    const row = this.statements.organizationColumns.get(org);
    if (!row) throw new Error(`organization ${org} has events but no OrganizationCreated`);
    return row;
  }

  private changeMfa(org: string, change: (mfa: MfaView) => MfaView): void {
    const mfa = JSON.parse(this.organizationColumns(org).mfa) as MfaView;
    this.statements.setMfa.run(JSON.stringify(change(mfa)), org);
  }

  private addItem<K extends OrganizationItemKind>(
    org: string,
    kind: K,
    item: OrganizationItemViews[K],
    revision: bigint,
  ): void {
    const [itemId, name] = identify(kind, item);
    const inserted = this.statements.insertItem.run(org, kind, itemId, name, revision, JSON.stringify(item));
    if (inserted.changes > 0) this.count(org, kind, 1);
  }

  private updateItem<K extends OrganizationItemKind>(
    org: string,
    kind: K,
    item: OrganizationItemViews[K],
  ): void {
    const [itemId, name] = identify(kind, item);
    this.statements.updateItem.run(name, JSON.stringify(item), org, kind, itemId);
  }

  private removeItem(org: string, kind: OrganizationItemKind, itemId: string): void {
    const deleted = this.statements.deleteItem.run(org, kind, itemId);
    if (deleted.changes > 0) this.count(org, kind, -1);
  }

  private count(org: string, kind: OrganizationItemKind, by: number): void {
    if (kind !== 'USER' && kind !== 'DEVICE') return;
    let counts = this.counts.get(org);
    if (!counts) this.counts.set(org, (counts = { users: 0, devices: 0 }));
    if (kind === 'USER') counts.users += by;
    else counts.devices += by;
  }

  /** Adds an id to (or removes it from) one of the id lists an item keeps. */
  private link<K extends OrganizationItemKind>(
    org: string,
    kind: K,
    itemId: string,
    list: LinkList<K>,
    linkedId: string,
    linked: boolean,
  ): void {
    const row = this.statements.itemData.get(org, kind, itemId);
    if (!row) return;
    const item = JSON.parse(row.data) as OrganizationItemViews[K];
    const ids = item[list] as string[];
    const next = linked
      ? ids.includes(linkedId)
        ? ids
        : [...ids, linkedId]
      : ids.filter((id) => id !== linkedId);
    const [, name] = identify(kind, item);
    this.statements.updateItem.run(name, JSON.stringify({ ...item, [list]: next }), org, kind, itemId);
  }
}

/** An item's id and the name it is known by. */
function identify<K extends OrganizationItemKind>(kind: K, item: OrganizationItemViews[K]): [string, string] {
  switch (kind) {
    case 'ADMIN_ACCESS': {
      const { administratorId } = item as AdminAccessView;
      return [administratorId, administratorId];
    }
    case 'USER': {
      const user = item as User;
      return [user.id, user.username];
    }
    case 'DEVICE': {
      const device = item as Device;
      return [device.id, device.hostname];
    }
    default: {
      const named = item as { id: string; name: string };
      return [named.id, named.name];
    }
  }
}

/** Sensitive values are sealed in the log; here they are `null`, marked sensitive. */
function policyView(policy: Policy): Policy {
  const template = findPolicyTemplate(policy.templateId);
  return {
    ...policy,
    values: policy.values.map((value): PolicyValue => {
      const field = template?.configFields.find((candidate) => candidate.id === value.configFieldID);
      const sensitive = isSealed(value.value) || !field || isSensitivePolicyValue(field, value);
      return sensitive ? { configFieldID: value.configFieldID, value: null, sensitive: true } : value;
    }),
  };
}

function isSealed(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'sealed' in value;
}

function duoView(duo: DuoConfiguration): DuoView {
  return { accountId: duo.accountId, apiHost: duo.apiHost, integrationKey: duo.integrationKey };
}

function mfaView(mfa: MfaConfiguration): MfaView {
  return { push: mfa.push, totp: mfa.totp, webAuthn: mfa.webAuthn, duo: mfa.duo ? duoView(mfa.duo) : null };
}
