/**
 * What an item mutation answers: the organization after the change (its new `version`) and the
 * item as it now is — null once removed.
 */
import 'reflect-metadata';
import { Field, ObjectType, type ClassType } from 'type-graphql';
import {
  Command,
  ConditionalAccessPolicy,
  Device,
  DeviceGroup,
  IpList,
  Organization,
  Policy,
  PolicyGroup,
  User,
  UserGroup,
} from './organization.type.js';
import { Administrator } from './provider.type.js';

function ItemPayload<Item extends object>(
  itemType: ClassType<Item>,
  field: string,
  item: { name: string; typeName?: string; nullWhen?: string },
) {
  @ObjectType(item.typeName ?? `${itemType.name}Payload`, {
    description: `The organization and the ${item.name} after the change.`,
  })
  class Payload {
    @Field(() => Organization, { description: 'The organization after the change.' })
    organization!: Organization;
  }
  Field(() => itemType, {
    nullable: true,
    description: `The ${item.name} as it now is; null ${item.nullWhen ?? 'once removed'}.`,
  })(Payload.prototype, field);
  return Payload;
}

export const CommandPayload = ItemPayload(Command, 'command', { name: 'command' });
export const PolicyPayload = ItemPayload(Policy, 'policy', { name: 'policy' });
export const PolicyGroupPayload = ItemPayload(PolicyGroup, 'policyGroup', { name: 'policy group' });
export const UserGroupPayload = ItemPayload(UserGroup, 'userGroup', { name: 'user group' });
export const DeviceGroupPayload = ItemPayload(DeviceGroup, 'deviceGroup', { name: 'device group' });
export const UserPayload = ItemPayload(User, 'user', { name: 'user' });
export const DevicePayload = ItemPayload(Device, 'device', { name: 'device' });
export const IpListPayload = ItemPayload(IpList, 'ipList', { name: 'IP list' });
export const ConditionalAccessPolicyPayload = ItemPayload(
  ConditionalAccessPolicy,
  'conditionalAccessPolicy',
  {
    name: 'conditional access policy',
  },
);
export const AdminAccessPayload = ItemPayload(Administrator, 'administrator', {
  name: 'administrator',
  typeName: 'AdminAccessPayload',
  nullWhen: 'once its access is revoked',
});
