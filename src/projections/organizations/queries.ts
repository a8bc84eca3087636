/**
 * Reads of the organizations read model (tables written by `organizationsProjection`). Every query
 * that takes ids answers in the order of the ids, one entry per id, so that it can back a DataLoader
 * batch function directly.
 */
import { ValidationError } from '../../domain/errors.js';
import type {
  Command,
  ConditionalAccessPolicy,
  Device,
  DeviceGroup,
  Features,
  IpList,
  MfaConfiguration,
  OrganizationSettings,
  Policy,
  PolicyGroup,
  ProprietarySettings,
  User,
  UserGroup,
} from '../../domain/organization/model.js';
import { normalizeOrganizationName } from '../../domain/organization/naming.js';
import type { ClonedFrom } from '../../domain/organization/state.js';
import type { ReadModelDb } from '../read-model-db.js';

export const ORGANIZATIONS_TABLE = 'organizations';
export const ORGANIZATION_ITEMS_TABLE = 'organization_items';

/** `CLONING`: created by a clone that has not provisioned it yet; `DISCARDED`: hidden, name free. */
export type OrganizationStatus = 'ACTIVE' | 'CLONING' | 'DISCARDED';

/** The Duo integration as it may be shown: everything but the secret key. */
export interface DuoView {
  accountId: string;
  apiHost: string;
  integrationKey: string;
}

/** MFA as it may be shown; `duo` is null when Duo is not configured. */
export type MfaView = Omit<MfaConfiguration, 'duo'> & { duo: DuoView | null };

export interface OrganizationRecord {
  id: string;
  providerId: string;
  displayName: string;
  /** The case-insensitive comparison key of the name (`normalizeOrganizationName`). */
  normalizedName: string;
  /** ISO-8601 time of creation. */
  created: string;
  /** Revision of the organization's stream after its last event, as a decimal string. */
  version: string;
  status: OrganizationStatus;
  clonedFrom: ClonedFrom | null;
  settings: OrganizationSettings;
  proprietarySettings: ProprietarySettings;
  features: Features;
  mfa: MfaView;
  userCount: number;
  deviceCount: number;
}

export const ORGANIZATION_ITEM_KINDS = [
  'COMMAND',
  'POLICY',
  'POLICY_GROUP',
  'USER_GROUP',
  'DEVICE_GROUP',
  'USER',
  'DEVICE',
  'IP_LIST',
  'CONDITIONAL_ACCESS_POLICY',
  'ADMIN_ACCESS',
] as const;
export type OrganizationItemKind = (typeof ORGANIZATION_ITEM_KINDS)[number];

/** An administrator allowed to manage the organization (JumpCloud's administrator–organization link). */
export interface AdminAccessView {
  administratorId: string;
}

/**
 * Items as stored. Policies keep the domain shape, except that a sensitive value (sealed in the log)
 * reads `value: null, sensitive: true`: neither the value nor its sealed form is in the read model.
 */
export interface OrganizationItemViews {
  COMMAND: Command;
  POLICY: Policy;
  POLICY_GROUP: PolicyGroup;
  USER_GROUP: UserGroup;
  DEVICE_GROUP: DeviceGroup;
  USER: User;
  DEVICE: Device;
  IP_LIST: IpList;
  CONDITIONAL_ACCESS_POLICY: ConditionalAccessPolicy;
  ADMIN_ACCESS: AdminAccessView;
}

export interface ListOrganizationsOptions {
  /** Case-insensitive substring of the name. */
  search?: string | null;
  /** How many rows to return at most: ask for one more than the page size to learn `hasNextPage`. */
  first: number;
  /** A key from `organizationListKey`: rows after it. */
  after?: string | null;
  /** Only these organizations (an administrator with `LINKED` access). */
  visibleIds?: readonly string[];
}

export interface ListItemsOptions {
  first: number;
  /** A key from `itemListKey`. */
  after?: string | null;
}

interface OrganizationRow {
  id: string;
  provider_id: string;
  display_name: string;
  normalized_name: string;
  created: string;
  version: string;
  status: OrganizationStatus;
  cloned_from: string | null;
  settings: string;
  proprietary_settings: string;
  features: string;
  mfa: string;
  user_count: number;
  device_count: number;
}

interface ItemRow {
  organization_id: string;
  item_id: string;
  position: number;
  data: string;
}

/** Organizations are listed by name, then id (names are unique per provider only among live orgs). */
export function organizationListKey(organization: Pick<OrganizationRecord, 'normalizedName' | 'id'>): string {
  return JSON.stringify([organization.normalizedName, organization.id]);
}

/** Items are listed in the order they were added (their position in the organization's stream). */
export function itemListKey(position: number, itemId: string): string {
  return JSON.stringify([position, itemId]);
}

function parseKey<T extends [unknown, unknown]>(key: string, isValid: (parts: unknown[]) => boolean): T {
  let parts: unknown;
  try {
    parts = JSON.parse(key);
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || parts.length !== 2 || !isValid(parts)) {
    throw new ValidationError('after', 'not a cursor of this list');
  }
  return parts as T;
}

function prepareStatements(db: ReadModelDb) {
  return {
    byIds: db.prepare<[string], OrganizationRow>(
      `SELECT * FROM ${ORGANIZATIONS_TABLE} WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    nameTaken: db.prepare<[string, string], { taken: number }>(
      `SELECT EXISTS (SELECT 1 FROM ${ORGANIZATIONS_TABLE}
         WHERE provider_id = ? AND normalized_name = ? AND status <> 'DISCARDED') AS taken`,
    ),
    itemsOf: db.prepare<[string, string], ItemRow>(
      `SELECT organization_id, item_id, position, data FROM ${ORGANIZATION_ITEMS_TABLE}
       WHERE organization_id IN (SELECT value FROM json_each(?)) AND kind = ?
       ORDER BY organization_id, position, item_id`,
    ),
    item: db.prepare<[string, string, string], ItemRow>(
      `SELECT organization_id, item_id, position, data FROM ${ORGANIZATION_ITEMS_TABLE}
       WHERE organization_id = ? AND kind = ? AND item_id = ?`,
    ),
    itemPage: db.prepare<[string, string, number, number, string, number], ItemRow>(
      `SELECT organization_id, item_id, position, data FROM ${ORGANIZATION_ITEMS_TABLE}
       WHERE organization_id = ? AND kind = ? AND (position > ? OR (position = ? AND item_id > ?))
       ORDER BY position, item_id LIMIT ?`,
    ),
  };
}

/**
 * Queries over the read-model database the organizations projection writes. Statements are prepared
 * on first use: the tables exist once the projection runner (or a rebuild) has set them up.
 */
export class OrganizationReadModel {
  #statements: ReturnType<typeof prepareStatements> | undefined;

  constructor(private readonly db: ReadModelDb) {}

  private get statements(): ReturnType<typeof prepareStatements> {
    return (this.#statements ??= prepareStatements(this.db));
  }

  /** One entry per id, in order: the organization (whatever its status), or null. */
  getOrganizations(ids: readonly string[]): (OrganizationRecord | null)[] {
    const rows = this.statements.byIds.all(JSON.stringify(ids));
    const byId = new Map(rows.map((row) => [row.id, toRecord(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  getOrganization(id: string): OrganizationRecord | null {
    return this.getOrganizations([id])[0] ?? null;
  }

  /** A provider's organizations that are not discarded, by name then id. */
  listOrganizations(providerId: string, options: ListOrganizationsOptions): OrganizationRecord[] {
    const conditions = ['provider_id = ?', `status <> 'DISCARDED'`];
    const parameters: (string | number)[] = [providerId];
    const search = options.search ? normalizeOrganizationName(options.search) : '';
    if (search !== '') {
      conditions.push('instr(normalized_name, ?) > 0');
      parameters.push(search);
    }
    if (options.visibleIds) {
      conditions.push('id IN (SELECT value FROM json_each(?))');
      parameters.push(JSON.stringify(options.visibleIds));
    }
    if (options.after !== undefined && options.after !== null) {
      const [name, id] = parseKey<[string, string]>(options.after, (parts) =>
        parts.every((part) => typeof part === 'string'),
      );
      conditions.push('(normalized_name > ? OR (normalized_name = ? AND id > ?))');
      parameters.push(name, name, id);
    }
    parameters.push(options.first);
    const rows = this.db
      .prepare<(string | number)[], OrganizationRow>(
        `SELECT * FROM ${ORGANIZATIONS_TABLE} WHERE ${conditions.join(' AND ')}
         ORDER BY normalized_name, id LIMIT ?`,
      )
      .all(...parameters);
    return rows.map(toRecord);
  }

  /** Whether a live (not discarded) organization of the provider has this name, case-insensitively. */
  isNameTaken(providerId: string, name: string): boolean {
    return this.statements.nameTaken.get(providerId, normalizeOrganizationName(name))!.taken === 1;
  }

  /** One list per organization id, in order, each in the order the items were added. */
  itemsOf<K extends OrganizationItemKind>(
    organizationIds: readonly string[],
    kind: K,
  ): OrganizationItemViews[K][][] {
    const byOrganization = new Map<string, OrganizationItemViews[K][]>();
    for (const row of this.statements.itemsOf.all(JSON.stringify(organizationIds), kind)) {
      let items = byOrganization.get(row.organization_id);
      if (!items) byOrganization.set(row.organization_id, (items = []));
      items.push(JSON.parse(row.data) as OrganizationItemViews[K]);
    }
    return organizationIds.map((id) => byOrganization.get(id) ?? []);
  }

  getItem<K extends OrganizationItemKind>(
    organizationId: string,
    kind: K,
    itemId: string,
  ): OrganizationItemViews[K] | null {
    const row = this.statements.item.get(organizationId, kind, itemId);
    return row ? (JSON.parse(row.data) as OrganizationItemViews[K]) : null;
  }

  /** A page of one kind of item, in the order they were added; each comes with its list key. */
  listItems<K extends OrganizationItemKind>(
    organizationId: string,
    kind: K,
    options: ListItemsOptions,
  ): { key: string; item: OrganizationItemViews[K] }[] {
    const [position, itemId] =
      options.after === undefined || options.after === null
        ? [-1, '']
        : parseKey<[number, string]>(
            options.after,
            ([position, itemId]) => Number.isSafeInteger(position) && typeof itemId === 'string',
          );
    return this.statements.itemPage
      .all(organizationId, kind, position, position, itemId, options.first)
      .map((row) => ({
        key: itemListKey(row.position, row.item_id),
        item: JSON.parse(row.data) as OrganizationItemViews[K],
      }));
  }
}

function toRecord(row: OrganizationRow): OrganizationRecord {
  return {
    id: row.id,
    providerId: row.provider_id,
    displayName: row.display_name,
    normalizedName: row.normalized_name,
    created: row.created,
    version: row.version,
    status: row.status,
    clonedFrom: row.cloned_from === null ? null : (JSON.parse(row.cloned_from) as ClonedFrom),
    settings: JSON.parse(row.settings) as OrganizationSettings,
    proprietarySettings: JSON.parse(row.proprietary_settings) as ProprietarySettings,
    features: JSON.parse(row.features) as Features,
    mfa: JSON.parse(row.mfa) as MfaView,
    userCount: row.user_count,
    deviceCount: row.device_count,
  };
}
