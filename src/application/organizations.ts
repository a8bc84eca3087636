/**
 * What the API does with organizations, one method per operation, each taking the caller and one
 * input: resolve the caller's permissions, run the command on `organization-{id}`, wait until the
 * read models show the write, and answer from them. Resolvers only map GraphQL in and out.
 *
 * Refusals are domain errors (src/domain/errors.ts): an organization the caller may not see is
 * NOT_FOUND, never FORBIDDEN; an organization a clone is still writing is CONFLICT
 * `ORGANIZATION_BEING_CLONED`; a name in use is CONFLICT `NAME_TAKEN`. Input the domain refuses
 * writes nothing.
 */
import type { Decider } from '../domain/decider.js';
import { NotFoundError, UnauthenticatedError } from '../domain/errors.js';
import type {
  AddCommand,
  AddConditionalAccessPolicy,
  AddDevice,
  AddDeviceGroup,
  AddIpList,
  AddPolicy,
  AddPolicyGroup,
  AddUser,
  AddUserGroup,
  ConfigureDuo,
  ConfigureMfa,
  OrganizationCommand,
  SetFeatures,
  UpdateCommand,
  UpdateConditionalAccessPolicy,
  UpdateDevice,
  UpdateDeviceGroup,
  UpdateIpList,
  UpdatePolicy,
  UpdatePolicyGroup,
  UpdateProprietarySettings,
  UpdateSettings,
  UpdateUser,
  UpdateUserGroup,
} from '../domain/organization/commands.js';
import type { OrganizationDecisionContext } from '../domain/organization/context.js';
import { initialState, organizationDecider } from '../domain/organization/decider.js';
import type { OrganizationEvent } from '../domain/organization/events.js';
import type { OrganizationState } from '../domain/organization/state.js';
import type { ProviderCommand } from '../domain/provider/commands.js';
import { providerDecider } from '../domain/provider/decider.js';
import type { Actor } from '../domain/provider/permissions.js';
import { authorize, canSeeOrganization } from '../domain/provider/permissions.js';
import type { EventStore } from '../eventstore/types.js';
import type {
  OrganizationItemKind,
  OrganizationItemViews,
  OrganizationRecord,
} from '../projections/organizations/queries.js';
import { OrganizationReadModel } from '../projections/organizations/queries.js';
import type { ProjectionRunner } from '../projections/projection-runner.js';
import { ProviderReadModel } from '../projections/providers/queries.js';
import type { ReadModelDb } from '../projections/read-model-db.js';
import type { Sealer } from '../security/sealer.js';
import type { Principal } from '../server/auth.js';
import type { CommandMetadata } from './command-handler.js';
import type { AggregateCache } from './aggregate-cache.js';
import { handleCommand, loadAggregate } from './command-handler.js';
import { metadataOf, waitForOwnWrite } from './own-writes.js';
import { NameReservations } from './name-reservations.js';
import { newObjectId } from './object-ids.js';
import { organizationStreamId, providerStreamId } from './streams.js';

/** Who calls, and the request every event it causes is correlated with. */
export interface Caller {
  principal: Principal;
  requestId: string;
}

export interface OrganizationServiceOptions {
  store: EventStore;
  /** The read-model database the projection runner keeps up to date. */
  db: ReadModelDb;
  projections: Pick<ProjectionRunner, 'waitForPosition'>;
  sealer: Pick<Sealer, 'seal'>;
  now?: () => Date;
  /** Ids of new organizations and items; 24 random hex characters by default. */
  newId?: () => string;
  /** How long a mutation waits for the read models to show its write. */
  projectionTimeoutMs?: number;
  /** Folded organizations, shared with the clone service and runner of the process. */
  organizationCache?: AggregateCache<OrganizationState>;
}

/** The organization after a change to one of its items, and that item (null once removed). */
export interface ItemChange<K extends OrganizationItemKind> {
  organization: OrganizationRecord;
  item: OrganizationItemViews[K] | null;
}

export interface ListOrganizationsInput {
  search?: string | null;
  /** Rows to return at most: one more than the page size tells whether there is a next page. */
  first: number;
  /** A key from `organizationListKey` (what the cursor of the previous page encodes). */
  after?: string | null;
}

type OnOrganization<T> = T & { organizationId: string };
/** The data of an `Add…` command without the ids the service assigns (and no lineage: clones only). */
type NewItem<C extends { data: object }, IdKey extends string> = OnOrganization<
  Omit<C['data'], IdKey | 'clonedFromId'>
>;
type Change<C extends { data: object }> = OnOrganization<C['data']>;

export class OrganizationService {
  private readonly organizations: OrganizationReadModel;
  private readonly providers: ProviderReadModel;
  private readonly names: NameReservations;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly context: OrganizationDecisionContext;

  constructor(private readonly options: OrganizationServiceOptions) {
    this.organizations = new OrganizationReadModel(options.db);
    this.providers = new ProviderReadModel(options.db);
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? newObjectId;
    this.names = new NameReservations({ store: options.store, now: this.now });
    const { sealer } = options;
    this.context = { seal: (plain) => sealer.seal(plain) };
  }

  // ---- reads --------------------------------------------------------------------------------------

  /**
   * One entry per id (a DataLoader batch): the organization, whatever its status, or null when it
   * does not exist or the caller may not see it.
   */
  visibleOrganizations(caller: Caller, ids: readonly string[]): (OrganizationRecord | null)[] {
    const actor = this.actorOf(caller);
    return this.organizations.getOrganizations(ids).map((organization) => {
      if (!organization || !canSeeOrganization(actor, organization)) return null;
      authorize(actor, { type: 'READ', organization });
      return organization;
    });
  }

  organization(caller: Caller, organizationId: string): OrganizationRecord {
    const [organization] = this.visibleOrganizations(caller, [organizationId]);
    if (!organization) throw new NotFoundError('organization', organizationId, 'id');
    return organization;
  }

  /** The caller's provider's organizations that are not discarded (only linked ones for `LINKED`). */
  listOrganizations(caller: Caller, input: ListOrganizationsInput): OrganizationRecord[] {
    const actor = this.actorOf(caller);
    authorize(actor, { type: 'READ' });
    return this.organizations.listOrganizations(actor.providerId, {
      search: input.search ?? null,
      first: input.first,
      after: input.after ?? null,
      ...(actor.orgAccess === 'LINKED' ? { visibleIds: actor.linkedOrganizationIds } : {}),
    });
  }

  // ---- lifecycle ----------------------------------------------------------------------------------

  /**
   * Creates an organization of the caller's provider. Its name is claimed first (CONFLICT
   * `NAME_TAKEN` when in use); an administrator with `LINKED` access is linked to it.
   */
  async createOrganization(caller: Caller, input: { displayName: string }): Promise<OrganizationRecord> {
    const actor = this.actorOf(caller);
    authorize(actor, { type: 'CREATE_ORGANIZATION' });
    const organizationId = this.newId();
    const command: OrganizationCommand = {
      type: 'CreateOrganization',
      data: {
        organizationId,
        providerId: actor.providerId,
        displayName: input.displayName,
        created: this.now().toISOString(),
      },
    };
    // Decided once on its own first, so that a name the domain refuses claims nothing.
    const [created] = organizationDecider.decide(command, initialState(), this.context);
    if (created?.type !== 'OrganizationCreated') throw new Error('CreateOrganization decided no creation');
    const name = { providerId: actor.providerId, displayName: created.data.displayName, organizationId };
    const metadata = metadataOf(caller);
    await this.names.reserve(name, metadata);

    let position: bigint | null;
    let creation: string;
    try {
      const result = await this.runOrganizationCommand(
        organizationId,
        organizationDecider,
        command,
        metadata,
      );
      position = result.position;
      creation = result.events[0]!.id;
    } catch (error) {
      if (!(await this.exists(organizationId))) await this.names.release(name, metadata);
      throw error;
    }
    if (actor.orgAccess === 'LINKED') {
      const caused = { ...metadata, causationId: creation };
      const linked = await this.linkAdministrator(actor.providerId, actor.id, organizationId, true, caused);
      const granted = await this.runOrganizationCommand(
        organizationId,
        organizationDecider,
        { type: 'GrantAdminAccess', data: { administratorId: actor.id } },
        caused,
      );
      position = latest(position, linked, granted.position);
    }
    await this.waitFor(position);
    return this.organizations.getOrganization(organizationId)!;
  }

  // ---- settings, features, MFA --------------------------------------------------------------------

  /** Changes settings of one or more categories; fields left out stay as they are. */
  updateSettings(caller: Caller, input: Change<UpdateSettings>): Promise<OrganizationRecord> {
    const { organizationId, ...data } = input;
    return this.change(caller, organizationId, { type: 'UpdateSettings', data });
  }

  /** Changes proprietary settings (contact, logo, …); `null` removes one. */
  updateProprietarySettings(
    caller: Caller,
    input: Change<UpdateProprietarySettings>,
  ): Promise<OrganizationRecord> {
    const { organizationId, ...data } = input;
    return this.change(caller, organizationId, { type: 'UpdateProprietarySettings', data });
  }

  setFeatures(caller: Caller, input: Change<SetFeatures>): Promise<OrganizationRecord> {
    const { organizationId, ...data } = input;
    return this.change(caller, organizationId, { type: 'SetFeatures', data });
  }

  configureMfa(caller: Caller, input: Change<ConfigureMfa>): Promise<OrganizationRecord> {
    const { organizationId, ...data } = input;
    return this.change(caller, organizationId, { type: 'ConfigureMfa', data });
  }

  /** The secret key is sealed before it enters the event; no read returns it. */
  configureDuo(caller: Caller, input: Change<ConfigureDuo>): Promise<OrganizationRecord> {
    const { organizationId, ...data } = input;
    return this.change(caller, organizationId, { type: 'ConfigureDuo', data });
  }

  removeDuo(caller: Caller, input: { organizationId: string }): Promise<OrganizationRecord> {
    return this.change(caller, input.organizationId, { type: 'RemoveDuo', data: {} });
  }

  // ---- commands -----------------------------------------------------------------------------------

  addCommand(caller: Caller, input: NewItem<AddCommand, 'commandId'>): Promise<ItemChange<'COMMAND'>> {
    const { organizationId, ...fields } = input;
    const commandId = this.newId();
    return this.changeItem(caller, organizationId, 'COMMAND', commandId, {
      type: 'AddCommand',
      data: { ...fields, commandId },
    });
  }

  updateCommand(caller: Caller, input: Change<UpdateCommand>): Promise<ItemChange<'COMMAND'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'COMMAND', data.commandId, {
      type: 'UpdateCommand',
      data,
    });
  }

  removeCommand(
    caller: Caller,
    input: OnOrganization<{ commandId: string }>,
  ): Promise<ItemChange<'COMMAND'>> {
    const { organizationId, commandId } = input;
    return this.changeItem(caller, organizationId, 'COMMAND', commandId, {
      type: 'RemoveCommand',
      data: { commandId },
    });
  }

  // ---- policies and policy groups -----------------------------------------------------------------

  /** Values of sensitive fields are sealed in the event and read back as `null`, `sensitive: true`. */
  addPolicy(caller: Caller, input: NewItem<AddPolicy, 'policyId'>): Promise<ItemChange<'POLICY'>> {
    const { organizationId, ...fields } = input;
    const policyId = this.newId();
    return this.changeItem(caller, organizationId, 'POLICY', policyId, {
      type: 'AddPolicy',
      data: { ...fields, policyId },
    });
  }

  /** `setValues` replaces the values it names, `unsetValues` clears fields; others stay. */
  updatePolicy(caller: Caller, input: Change<UpdatePolicy>): Promise<ItemChange<'POLICY'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'POLICY', data.policyId, { type: 'UpdatePolicy', data });
  }

  removePolicy(caller: Caller, input: OnOrganization<{ policyId: string }>): Promise<ItemChange<'POLICY'>> {
    const { organizationId, policyId } = input;
    return this.changeItem(caller, organizationId, 'POLICY', policyId, {
      type: 'RemovePolicy',
      data: { policyId },
    });
  }

  addPolicyGroup(
    caller: Caller,
    input: NewItem<AddPolicyGroup, 'policyGroupId'>,
  ): Promise<ItemChange<'POLICY_GROUP'>> {
    const { organizationId, ...fields } = input;
    const policyGroupId = this.newId();
    return this.changeItem(caller, organizationId, 'POLICY_GROUP', policyGroupId, {
      type: 'AddPolicyGroup',
      data: { ...fields, policyGroupId },
    });
  }

  updatePolicyGroup(caller: Caller, input: Change<UpdatePolicyGroup>): Promise<ItemChange<'POLICY_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'POLICY_GROUP', data.policyGroupId, {
      type: 'UpdatePolicyGroup',
      data,
    });
  }

  removePolicyGroup(
    caller: Caller,
    input: OnOrganization<{ policyGroupId: string }>,
  ): Promise<ItemChange<'POLICY_GROUP'>> {
    const { organizationId, policyGroupId } = input;
    return this.changeItem(caller, organizationId, 'POLICY_GROUP', policyGroupId, {
      type: 'RemovePolicyGroup',
      data: { policyGroupId },
    });
  }

  // ---- user groups and device groups --------------------------------------------------------------

  addUserGroup(
    caller: Caller,
    input: NewItem<AddUserGroup, 'userGroupId'>,
  ): Promise<ItemChange<'USER_GROUP'>> {
    const { organizationId, ...fields } = input;
    const userGroupId = this.newId();
    return this.changeItem(caller, organizationId, 'USER_GROUP', userGroupId, {
      type: 'AddUserGroup',
      data: { ...fields, userGroupId },
    });
  }

  updateUserGroup(caller: Caller, input: Change<UpdateUserGroup>): Promise<ItemChange<'USER_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'USER_GROUP', data.userGroupId, {
      type: 'UpdateUserGroup',
      data,
    });
  }

  removeUserGroup(
    caller: Caller,
    input: OnOrganization<{ userGroupId: string }>,
  ): Promise<ItemChange<'USER_GROUP'>> {
    const { organizationId, userGroupId } = input;
    return this.changeItem(caller, organizationId, 'USER_GROUP', userGroupId, {
      type: 'RemoveUserGroup',
      data: { userGroupId },
    });
  }

  addDeviceGroup(
    caller: Caller,
    input: NewItem<AddDeviceGroup, 'deviceGroupId'>,
  ): Promise<ItemChange<'DEVICE_GROUP'>> {
    const { organizationId, ...fields } = input;
    const deviceGroupId = this.newId();
    return this.changeItem(caller, organizationId, 'DEVICE_GROUP', deviceGroupId, {
      type: 'AddDeviceGroup',
      data: { ...fields, deviceGroupId },
    });
  }

  updateDeviceGroup(caller: Caller, input: Change<UpdateDeviceGroup>): Promise<ItemChange<'DEVICE_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'DEVICE_GROUP', data.deviceGroupId, {
      type: 'UpdateDeviceGroup',
      data,
    });
  }

  removeDeviceGroup(
    caller: Caller,
    input: OnOrganization<{ deviceGroupId: string }>,
  ): Promise<ItemChange<'DEVICE_GROUP'>> {
    const { organizationId, deviceGroupId } = input;
    return this.changeItem(caller, organizationId, 'DEVICE_GROUP', deviceGroupId, {
      type: 'RemoveDeviceGroup',
      data: { deviceGroupId },
    });
  }

  // ---- users and devices --------------------------------------------------------------------------

  addUser(caller: Caller, input: NewItem<AddUser, 'userId'>): Promise<ItemChange<'USER'>> {
    const { organizationId, ...fields } = input;
    const userId = this.newId();
    return this.changeItem(caller, organizationId, 'USER', userId, {
      type: 'AddUser',
      data: { ...fields, userId },
    });
  }

  updateUser(caller: Caller, input: Change<UpdateUser>): Promise<ItemChange<'USER'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'USER', data.userId, { type: 'UpdateUser', data });
  }

  removeUser(caller: Caller, input: OnOrganization<{ userId: string }>): Promise<ItemChange<'USER'>> {
    const { organizationId, userId } = input;
    return this.changeItem(caller, organizationId, 'USER', userId, { type: 'RemoveUser', data: { userId } });
  }

  addDevice(caller: Caller, input: NewItem<AddDevice, 'deviceId'>): Promise<ItemChange<'DEVICE'>> {
    const { organizationId, ...fields } = input;
    const deviceId = this.newId();
    return this.changeItem(caller, organizationId, 'DEVICE', deviceId, {
      type: 'AddDevice',
      data: { ...fields, deviceId },
    });
  }

  updateDevice(caller: Caller, input: Change<UpdateDevice>): Promise<ItemChange<'DEVICE'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'DEVICE', data.deviceId, { type: 'UpdateDevice', data });
  }

  removeDevice(caller: Caller, input: OnOrganization<{ deviceId: string }>): Promise<ItemChange<'DEVICE'>> {
    const { organizationId, deviceId } = input;
    return this.changeItem(caller, organizationId, 'DEVICE', deviceId, {
      type: 'RemoveDevice',
      data: { deviceId },
    });
  }

  // ---- IP lists and conditional access policies ---------------------------------------------------

  addIpList(caller: Caller, input: NewItem<AddIpList, 'ipListId'>): Promise<ItemChange<'IP_LIST'>> {
    const { organizationId, ...fields } = input;
    const ipListId = this.newId();
    return this.changeItem(caller, organizationId, 'IP_LIST', ipListId, {
      type: 'AddIpList',
      data: { ...fields, ipListId },
    });
  }

  updateIpList(caller: Caller, input: Change<UpdateIpList>): Promise<ItemChange<'IP_LIST'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'IP_LIST', data.ipListId, { type: 'UpdateIpList', data });
  }

  removeIpList(caller: Caller, input: OnOrganization<{ ipListId: string }>): Promise<ItemChange<'IP_LIST'>> {
    const { organizationId, ipListId } = input;
    return this.changeItem(caller, organizationId, 'IP_LIST', ipListId, {
      type: 'RemoveIpList',
      data: { ipListId },
    });
  }

  addConditionalAccessPolicy(
    caller: Caller,
    input: NewItem<AddConditionalAccessPolicy, 'conditionalAccessPolicyId'>,
  ): Promise<ItemChange<'CONDITIONAL_ACCESS_POLICY'>> {
    const { organizationId, ...fields } = input;
    const conditionalAccessPolicyId = this.newId();
    return this.changeItem(caller, organizationId, 'CONDITIONAL_ACCESS_POLICY', conditionalAccessPolicyId, {
      type: 'AddConditionalAccessPolicy',
      data: { ...fields, conditionalAccessPolicyId },
    });
  }

  updateConditionalAccessPolicy(
    caller: Caller,
    input: Change<UpdateConditionalAccessPolicy>,
  ): Promise<ItemChange<'CONDITIONAL_ACCESS_POLICY'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(
      caller,
      organizationId,
      'CONDITIONAL_ACCESS_POLICY',
      data.conditionalAccessPolicyId,
      {
        type: 'UpdateConditionalAccessPolicy',
        data,
      },
    );
  }

  removeConditionalAccessPolicy(
    caller: Caller,
    input: OnOrganization<{ conditionalAccessPolicyId: string }>,
  ): Promise<ItemChange<'CONDITIONAL_ACCESS_POLICY'>> {
    const { organizationId, conditionalAccessPolicyId } = input;
    return this.changeItem(caller, organizationId, 'CONDITIONAL_ACCESS_POLICY', conditionalAccessPolicyId, {
      type: 'RemoveConditionalAccessPolicy',
      data: { conditionalAccessPolicyId },
    });
  }

  // ---- memberships and bindings (the answer is the group or item that holds the link) ------------

  addUserToUserGroup(
    caller: Caller,
    input: OnOrganization<{ userGroupId: string; userId: string }>,
  ): Promise<ItemChange<'USER_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'USER_GROUP', data.userGroupId, {
      type: 'AddUserToUserGroup',
      data,
    });
  }

  removeUserFromUserGroup(
    caller: Caller,
    input: OnOrganization<{ userGroupId: string; userId: string }>,
  ): Promise<ItemChange<'USER_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'USER_GROUP', data.userGroupId, {
      type: 'RemoveUserFromUserGroup',
      data,
    });
  }

  addDeviceToDeviceGroup(
    caller: Caller,
    input: OnOrganization<{ deviceGroupId: string; deviceId: string }>,
  ): Promise<ItemChange<'DEVICE_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'DEVICE_GROUP', data.deviceGroupId, {
      type: 'AddDeviceToDeviceGroup',
      data,
    });
  }

  removeDeviceFromDeviceGroup(
    caller: Caller,
    input: OnOrganization<{ deviceGroupId: string; deviceId: string }>,
  ): Promise<ItemChange<'DEVICE_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'DEVICE_GROUP', data.deviceGroupId, {
      type: 'RemoveDeviceFromDeviceGroup',
      data,
    });
  }

  addPolicyToPolicyGroup(
    caller: Caller,
    input: OnOrganization<{ policyGroupId: string; policyId: string }>,
  ): Promise<ItemChange<'POLICY_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'POLICY_GROUP', data.policyGroupId, {
      type: 'AddPolicyToPolicyGroup',
      data,
    });
  }

  removePolicyFromPolicyGroup(
    caller: Caller,
    input: OnOrganization<{ policyGroupId: string; policyId: string }>,
  ): Promise<ItemChange<'POLICY_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'POLICY_GROUP', data.policyGroupId, {
      type: 'RemovePolicyFromPolicyGroup',
      data,
    });
  }

  bindDeviceGroupToCommand(
    caller: Caller,
    input: OnOrganization<{ deviceGroupId: string; commandId: string }>,
  ): Promise<ItemChange<'COMMAND'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'COMMAND', data.commandId, {
      type: 'BindDeviceGroupToCommand',
      data,
    });
  }

  unbindDeviceGroupFromCommand(
    caller: Caller,
    input: OnOrganization<{ deviceGroupId: string; commandId: string }>,
  ): Promise<ItemChange<'COMMAND'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'COMMAND', data.commandId, {
      type: 'UnbindDeviceGroupFromCommand',
      data,
    });
  }

  bindDeviceGroupToPolicy(
    caller: Caller,
    input: OnOrganization<{ deviceGroupId: string; policyId: string }>,
  ): Promise<ItemChange<'POLICY'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'POLICY', data.policyId, {
      type: 'BindDeviceGroupToPolicy',
      data,
    });
  }

  unbindDeviceGroupFromPolicy(
    caller: Caller,
    input: OnOrganization<{ deviceGroupId: string; policyId: string }>,
  ): Promise<ItemChange<'POLICY'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'POLICY', data.policyId, {
      type: 'UnbindDeviceGroupFromPolicy',
      data,
    });
  }

  bindDeviceGroupToPolicyGroup(
    caller: Caller,
    input: OnOrganization<{ deviceGroupId: string; policyGroupId: string }>,
  ): Promise<ItemChange<'POLICY_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'POLICY_GROUP', data.policyGroupId, {
      type: 'BindDeviceGroupToPolicyGroup',
      data,
    });
  }

  unbindDeviceGroupFromPolicyGroup(
    caller: Caller,
    input: OnOrganization<{ deviceGroupId: string; policyGroupId: string }>,
  ): Promise<ItemChange<'POLICY_GROUP'>> {
    const { organizationId, ...data } = input;
    return this.changeItem(caller, organizationId, 'POLICY_GROUP', data.policyGroupId, {
      type: 'UnbindDeviceGroupFromPolicyGroup',
      data,
    });
  }

  // ---- admin access -------------------------------------------------------------------------------

  /**
   * Lets an administrator of the organization's provider manage it. An administrator with `LINKED`
   * access is linked to the organization as well, which is what lets it see the organization.
   */
  grantAdminAccess(
    caller: Caller,
    input: OnOrganization<{ administratorId: string }>,
  ): Promise<ItemChange<'ADMIN_ACCESS'>> {
    return this.changeAdminAccess(caller, input, true);
  }

  /** The reverse of `grantAdminAccess`: an administrator with `LINKED` access is unlinked too. */
  revokeAdminAccess(
    caller: Caller,
    input: OnOrganization<{ administratorId: string }>,
  ): Promise<ItemChange<'ADMIN_ACCESS'>> {
    return this.changeAdminAccess(caller, input, false);
  }

  private async changeAdminAccess(
    caller: Caller,
    { organizationId, administratorId }: OnOrganization<{ administratorId: string }>,
    granted: boolean,
  ): Promise<ItemChange<'ADMIN_ACCESS'>> {
    const actor = this.actorOf(caller);
    const administrator = this.providers.getAdministrator(actor.providerId, administratorId);
    const metadata = metadataOf(caller);
    const result = await this.runOrganizationCommand(
      organizationId,
      this.authorizedDecider(actor, organizationId, () => {
        if (!administrator) throw new NotFoundError('administrator', administratorId, 'administratorId');
      }),
      granted
        ? { type: 'GrantAdminAccess', data: { administratorId } }
        : { type: 'RevokeAdminAccess', data: { administratorId } },
      metadata,
    );
    let position = result.position;
    // Also when the organization already showed the access: a link left out by an earlier failure heals.
    if (administrator?.orgAccess === 'LINKED') {
      const caused = { ...metadata, causationId: result.events[0]?.id ?? metadata.causationId };
      position = latest(
        position,
        await this.linkAdministrator(actor.providerId, administratorId, organizationId, granted, caused),
      );
    }
    await this.waitFor(position);
    return {
      organization: this.organizations.getOrganization(organizationId)!,
      item: this.organizations.getItem(organizationId, 'ADMIN_ACCESS', administratorId),
    };
  }

  // ---- the machinery ------------------------------------------------------------------------------

  private async change(
    caller: Caller,
    organizationId: string,
    command: OrganizationCommand,
  ): Promise<OrganizationRecord> {
    const actor = this.actorOf(caller);
    const { position } = await this.runOrganizationCommand(
      organizationId,
      this.authorizedDecider(actor, organizationId),
      command,
      metadataOf(caller),
    );
    await this.waitFor(position);
    return this.organizations.getOrganization(organizationId)!;
  }

  private async changeItem<K extends OrganizationItemKind>(
    caller: Caller,
    organizationId: string,
    kind: K,
    itemId: string,
    command: OrganizationCommand,
  ): Promise<ItemChange<K>> {
    const organization = await this.change(caller, organizationId, command);
    return { organization, item: this.organizations.getItem(organizationId, kind, itemId) };
  }

  /**
   * The organization decider, refusing before anything else what the caller may not do to the
   * organization as it is when the command is decided (an organization of another provider, or not
   * linked to a `LINKED` administrator, is NOT_FOUND; a role that may not edit is FORBIDDEN).
   */
  private authorizedDecider(
    actor: Actor,
    organizationId: string,
    check?: () => void,
  ): Decider<OrganizationState, OrganizationCommand, OrganizationEvent, OrganizationDecisionContext> {
    return {
      ...organizationDecider,
      decide(command, state, context) {
        if (state.status === 'absent')
          throw new NotFoundError('organization', organizationId, 'organizationId');
        authorize(actor, {
          type: 'EDIT_ORGANIZATION',
          organization: { id: state.id, providerId: state.providerId },
        });
        check?.();
        return organizationDecider.decide(command, state, context);
      },
    };
  }

  private runOrganizationCommand(
    organizationId: string,
    decider: Decider<OrganizationState, OrganizationCommand, OrganizationEvent, OrganizationDecisionContext>,
    command: OrganizationCommand,
    metadata: CommandMetadata,
  ) {
    return handleCommand({
      store: this.options.store,
      streamId: organizationStreamId(organizationId),
      decider,
      command,
      context: this.context,
      metadata,
      now: this.now,
      ...(this.options.organizationCache ? { cache: this.options.organizationCache } : {}),
    });
  }

  private async linkAdministrator(
    providerId: string,
    administratorId: string,
    organizationId: string,
    linked: boolean,
    metadata: CommandMetadata,
  ): Promise<bigint | null> {
    const data = { administratorId, organizationId };
    const command: ProviderCommand = linked
      ? { type: 'LinkAdministratorToOrganization', data }
      : { type: 'UnlinkAdministratorFromOrganization', data };
    const result = await handleCommand({
      store: this.options.store,
      streamId: providerStreamId(providerId),
      decider: providerDecider,
      command,
      context: undefined,
      metadata,
      now: this.now,
    });
    return result.position;
  }

  private async exists(organizationId: string): Promise<boolean> {
    const { revision } = await loadAggregate(
      this.options.store,
      organizationStreamId(organizationId),
      organizationDecider,
    );
    return revision !== null;
  }

  /** The caller as the permission rules see it now (role, links, suspension, the provider's plan). */
  private actorOf(caller: Caller): Actor {
    const actor = this.providers.actor(caller.principal.providerId, caller.principal.administratorId);
    if (!actor) throw new UnauthenticatedError('the administrator is not known');
    return actor;
  }

  private waitFor(position: bigint | null): Promise<void> {
    return waitForOwnWrite(this.options.projections, position, this.options.projectionTimeoutMs);
  }
}

function latest(...positions: (bigint | null)[]): bigint | null {
  let result: bigint | null = null;
  for (const position of positions)
    if (position !== null && (result === null || position > result)) result = position;
  return result;
}
