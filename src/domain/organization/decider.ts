/**
 * The organization aggregate (stream `organization-{id}`): its settings, features and items.
 *
 * Rules that hold for every command:
 * - a command on an organization that does not exist is NOT_FOUND; on a discarded one, CONFLICT
 *   (`ORGANIZATION_DISCARDED`), except a repeated discard, which decides nothing;
 * - an organization a clone creates is `provisioning` until the clone has written all of it
 *   (`OrganizationProvisioned`): every configuration command is refused meanwhile with CONFLICT
 *   (`ORGANIZATION_BEING_CLONED`), so that nothing interleaves with the clone's writes; discarding it
 *   stays possible (a clone that failed for good leaves it provisioning);
 * - a command whose effect is already in place decides nothing (no event), so retries are harmless;
 * - removing an item that others link to removes those links first, as explicit events in the same
 *   decision (policy from policy groups, device group bindings, user and device memberships); it is
 *   refused with CONFLICT (`REFERENCED`) when the link is part of a conditional access policy
 *   (user, user group, IP list), since dropping it would change who the policy lets in;
 * - sensitive values (policy values of sensitive fields, the Duo secret key) are validated plain
 *   and leave the decision sealed by `context.seal`.
 */
import type { Decider } from '../decider.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { OrganizationCommand } from './commands.js';
import type { OrganizationDecisionContext } from './context.js';
import { grantAdminAccess, revokeAdminAccess } from './decisions/admin-access.js';
import { addCommand, removeCommand, updateCommand } from './decisions/commands.js';
import {
  addConditionalAccessPolicy,
  addIpList,
  removeConditionalAccessPolicy,
  removeIpList,
  updateConditionalAccessPolicy,
  updateIpList,
} from './decisions/conditional-access.js';
import {
  addDevice,
  addUser,
  removeDevice,
  removeUser,
  updateDevice,
  updateUser,
} from './decisions/directory.js';
import {
  addDeviceGroup,
  addUserGroup,
  removeDeviceGroup,
  removeUserGroup,
  updateDeviceGroup,
  updateUserGroup,
} from './decisions/groups.js';
import { createOrganization, discardOrganization } from './decisions/lifecycle.js';
import {
  addDeviceToDeviceGroup,
  addPolicyToPolicyGroup,
  addUserToUserGroup,
  bindDeviceGroupToCommand,
  bindDeviceGroupToPolicy,
  bindDeviceGroupToPolicyGroup,
  removeDeviceFromDeviceGroup,
  removePolicyFromPolicyGroup,
  removeUserFromUserGroup,
  unbindDeviceGroupFromCommand,
  unbindDeviceGroupFromPolicy,
  unbindDeviceGroupFromPolicyGroup,
} from './decisions/memberships.js';
import { configureDuo, configureMfa, removeDuo } from './decisions/mfa.js';
import {
  addPolicy,
  addPolicyGroup,
  removePolicy,
  removePolicyGroup,
  updatePolicy,
  updatePolicyGroup,
} from './decisions/policies.js';
import { setFeatures, updateProprietarySettings, updateSettings } from './decisions/settings.js';
import type { OrganizationEvent } from './events.js';
import { evolve, evolveAll, initialState } from './evolve.js';
import type { OrganizationState } from './state.js';

export { evolve, initialState };

type ItemCommand = Exclude<OrganizationCommand, { type: 'CreateOrganization' | 'DiscardOrganization' }>;
type Decision<C> = (
  command: C,
  state: OrganizationState,
  context: OrganizationDecisionContext,
) => OrganizationEvent[];

const DECISIONS: { [T in ItemCommand['type']]: Decision<Extract<ItemCommand, { type: T }>> } = {
  UpdateSettings: updateSettings,
  UpdateProprietarySettings: updateProprietarySettings,
  SetFeatures: setFeatures,
  AddCommand: addCommand,
  UpdateCommand: updateCommand,
  RemoveCommand: removeCommand,
  AddPolicy: addPolicy,
  UpdatePolicy: updatePolicy,
  RemovePolicy: removePolicy,
  AddPolicyGroup: addPolicyGroup,
  UpdatePolicyGroup: updatePolicyGroup,
  RemovePolicyGroup: removePolicyGroup,
  AddUserGroup: addUserGroup,
  UpdateUserGroup: updateUserGroup,
  RemoveUserGroup: removeUserGroup,
  AddDeviceGroup: addDeviceGroup,
  UpdateDeviceGroup: updateDeviceGroup,
  RemoveDeviceGroup: removeDeviceGroup,
  AddUser: addUser,
  UpdateUser: updateUser,
  RemoveUser: removeUser,
  AddDevice: addDevice,
  UpdateDevice: updateDevice,
  RemoveDevice: removeDevice,
  AddIpList: addIpList,
  UpdateIpList: updateIpList,
  RemoveIpList: removeIpList,
  AddConditionalAccessPolicy: addConditionalAccessPolicy,
  UpdateConditionalAccessPolicy: updateConditionalAccessPolicy,
  RemoveConditionalAccessPolicy: removeConditionalAccessPolicy,
  AddUserToUserGroup: addUserToUserGroup,
  RemoveUserFromUserGroup: removeUserFromUserGroup,
  AddDeviceToDeviceGroup: addDeviceToDeviceGroup,
  RemoveDeviceFromDeviceGroup: removeDeviceFromDeviceGroup,
  AddPolicyToPolicyGroup: addPolicyToPolicyGroup,
  RemovePolicyFromPolicyGroup: removePolicyFromPolicyGroup,
  BindDeviceGroupToCommand: bindDeviceGroupToCommand,
  UnbindDeviceGroupFromCommand: unbindDeviceGroupFromCommand,
  BindDeviceGroupToPolicy: bindDeviceGroupToPolicy,
  UnbindDeviceGroupFromPolicy: unbindDeviceGroupFromPolicy,
  BindDeviceGroupToPolicyGroup: bindDeviceGroupToPolicyGroup,
  UnbindDeviceGroupFromPolicyGroup: unbindDeviceGroupFromPolicyGroup,
  ConfigureMfa: configureMfa,
  ConfigureDuo: configureDuo,
  RemoveDuo: removeDuo,
  GrantAdminAccess: grantAdminAccess,
  RevokeAdminAccess: revokeAdminAccess,
};

export function decide(
  command: OrganizationCommand,
  state: OrganizationState,
  context: OrganizationDecisionContext,
): OrganizationEvent[] {
  if (command.type === 'CreateOrganization') return createOrganization(command, state);
  if (state.status === 'absent') throw new NotFoundError('organization', '');
  if (command.type === 'DiscardOrganization') return discardOrganization(command, state);
  if (state.status === 'discarded') {
    throw new ConflictError('ORGANIZATION_DISCARDED', `organization ${state.id} is discarded`);
  }
  if (state.status === 'provisioning') {
    throw new ConflictError(
      'ORGANIZATION_BEING_CLONED',
      `organization ${state.id} is being created by clone ${state.clonedFrom?.cloneId ?? ''}; try again when it is done`,
    );
  }
  const decision = Object.hasOwn(DECISIONS, command.type) ? DECISIONS[command.type] : undefined;
  if (!decision) throw new ValidationError('type', `${String(command.type)} is not an organization command`);
  return (decision as Decision<ItemCommand>)(command, state, context);
}

export const organizationDecider: Decider<
  OrganizationState,
  OrganizationCommand,
  OrganizationEvent,
  OrganizationDecisionContext
> = { decide, evolve, evolveAll, initialState };
