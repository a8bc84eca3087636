/**
 * A source organization with about `itemCount` items of every kind, referencing each other the way
 * real ones do (commands and policies bound to device groups, policy groups of policies, access
 * policies over user groups and IP lists), with users and devices in the groups. Deterministic:
 * item i of a kind always looks the same. Its policies use the templates of the domain fixtures.
 */
import type { OrganizationState } from '../../src/domain/organization/state.js';
import {
  accessPolicy,
  byId,
  command,
  deviceGroup,
  ipList,
  organization,
  policy,
  policyGroup,
  userGroup,
} from '../domain/clone/fixtures.js';

const hex = (kind: number, index: number) => `${kind.toString(16)}${index.toString(16).padStart(23, '0')}`;

export function largeSource(itemCount: number): OrganizationState {
  const perKind = Math.max(1, Math.floor(itemCount / 8));
  const ids = (kind: number) => Array.from({ length: perKind }, (_, index) => hex(kind, index));
  const [userGroupIds, deviceGroupIds, commandIds, policyIds, policyGroupIds, ipListIds, accessPolicyIds] = [
    ids(1),
    ids(2),
    ids(3),
    ids(4),
    ids(5),
    ids(6),
    ids(7),
  ] as string[][];
  const userIds = ids(8).slice(0, 50);
  const deviceIds = ids(9).slice(0, 50);
  const nth = <T>(values: readonly T[], index: number) => values[index % values.length]!;
  return organization({
    users: byId(...userIds.map((id) => ({ id, username: `user-${id}`, email: `${id}@source.example` }))),
    devices: byId(...deviceIds.map((id) => ({ id, hostname: `host-${id}`, os: 'Ubuntu' }))),
    userGroups: byId(
      ...userGroupIds!.map((id, index) =>
        userGroup({ id, name: `Team ${index}`, memberUserIds: [nth(userIds, index)] }),
      ),
    ),
    deviceGroups: byId(
      ...deviceGroupIds!.map((id, index) =>
        deviceGroup({ id, name: `Fleet ${index}`, memberDeviceIds: [nth(deviceIds, index)] }),
      ),
    ),
    commands: byId(
      ...commandIds!.map((id, index) =>
        command({
          id,
          name: `Maintenance ${index}`,
          command: `apt-get update && apt-get -y upgrade # ${index}`,
          user: index % 5 === 0 ? nth(userIds, index) : '000000000000000000000000',
          deviceGroupIds: [nth(deviceGroupIds!, index)],
        }),
      ),
    ),
    policies: byId(
      ...policyIds!.map((id, index) =>
        policy({
          id,
          name: `Login banner ${index}`,
          values: [
            { configFieldID: 'f-enabled', value: true, sensitive: false },
            { configFieldID: 'f-delay', value: index, sensitive: false },
          ],
          deviceGroupIds: [nth(deviceGroupIds!, index + 1)],
        }),
      ),
    ),
    policyGroups: byId(
      ...policyGroupIds!.map((id, index) =>
        policyGroup({
          id,
          name: `Baseline ${index}`,
          policyIds: [nth(policyIds!, index), nth(policyIds!, index + 1)],
          deviceGroupIds: [nth(deviceGroupIds!, index)],
        }),
      ),
    ),
    ipLists: byId(...ipListIds!.map((id, index) => ipList({ id, name: `Office ${index}` }))),
    conditionalAccessPolicies: byId(
      ...accessPolicyIds!.map((id, index) =>
        accessPolicy({
          id,
          name: `Access ${index}`,
          targets: { userGroups: { inclusions: [nth(userGroupIds!, index)], exclusions: [] } },
          conditions: { ipAddressIn: [nth(ipListIds!, index)] },
        }),
      ),
    ),
    adminIds: ['admin-1', 'admin-2'],
  });
}
