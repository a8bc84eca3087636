import { describe, expect, it } from 'vitest';
import { organizationDecider } from '../../../src/domain/organization/decider.js';
import { parseIpListEntry } from '../../../src/domain/organization/validation/ip-addresses.js';
import { specFor } from '../given-when-then.js';
import { addIpList, history, recordingSealer } from './fixtures.js';

const spec = specFor(organizationDecider, recordingSealer());
const org = history([]);

describe('parseIpListEntry', () => {
  it.each([
    ['192.0.2.1', 'address', 4],
    ['0.0.0.0', 'address', 4],
    ['255.255.255.255', 'address', 4],
    ['::', 'address', 6],
    ['::1', 'address', 6],
    ['2001:db8::8a2e:370:7334', 'address', 6],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', 'address', 6],
    ['1:2:3:4:5:6:7::', 'address', 6],
    ['::ffff:192.0.2.128', 'address', 6],
    ['64:ff9b::192.0.2.33', 'address', 6],
    ['10.0.0.0/8', 'cidr', 4],
    ['0.0.0.0/0', 'cidr', 4],
    ['192.0.2.1/32', 'cidr', 4],
    ['2001:db8::/32', 'cidr', 6],
    ['::/0', 'cidr', 6],
    ['2001:db8::1/128', 'cidr', 6],
    ['192.0.2.10 - 192.0.2.20', 'range', 4],
    ['192.0.2.10-192.0.2.10', 'range', 4],
    ['2001:db8::1 - 2001:db8::ff', 'range', 6],
    ['  203.0.113.7  ', 'address', 4],
  ])('%s is an %s (IPv%i)', (entry, kind, family) => {
    expect(parseIpListEntry(entry)).toEqual({ kind, family });
  });

  it.each([
    '256.0.0.1',
    '192.0.2',
    '192.0.2.1.5',
    '01.2.3.4',
    '1.2.3.-4',
    'a.b.c.d',
    '',
    'localhost',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1::2::3',
    '12345::1',
    'g::1',
    ':1',
    '1:',
    '1.2.3.4::',
    '::1.2.3',
    'fe80::1%eth0',
    '10.0.0.1/8',
    '10.0.0.0/33',
    '10.0.0.0/08',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '2001:db8::1/32',
    '2001:db8::/129',
    '192.0.2.20 - 192.0.2.10',
    '192.0.2.1 - ::1',
    '192.0.2.1 - 192.0.2.5 - 192.0.2.9',
    '192.0.2.1 -',
  ])('refuses %j', (entry) => {
    expect(parseIpListEntry(entry)).toHaveProperty('error');
  });
});

describe('AddIpList / UpdateIpList / RemoveIpList', () => {
  it('adds a list with trimmed entries', () => {
    spec
      .given(org)
      .when({
        type: 'AddIpList',
        data: {
          ipListId: 'ip-office',
          name: 'Office',
          ips: [' 203.0.113.0/24', '198.51.100.7', '2001:db8::/48'],
          clonedFromId: 'ip-src',
        },
      })
      .then([
        {
          type: 'IpListAdded',
          data: {
            ipList: {
              id: 'ip-office',
              name: 'Office',
              description: '',
              ips: ['203.0.113.0/24', '198.51.100.7', '2001:db8::/48'],
              clonedFromId: 'ip-src',
            },
          },
        },
      ]);
  });

  it.each([
    [{ ips: [] }, 'ips'],
    [{ ips: ['203.0.113.0/24', '10.0.0.300'] }, 'ips[1]'],
    [{ ips: ['198.51.100.7', ' 198.51.100.7'] }, 'ips[1]'],
    [{ ips: '198.51.100.7' }, 'ips'],
    [{ ips: [7] }, 'ips[0]'],
    [{ name: '' }, 'name'],
  ])('refuses %j', (data, field) => {
    spec
      .given(org)
      .when({
        type: 'AddIpList',
        data: { ipListId: 'ip-office', name: 'Office', ips: ['198.51.100.7'], ...data } as never,
      })
      .then({ code: 'VALIDATION_FAILED', field });
  });

  it('updates, decides nothing without a change, and removes', () => {
    const withList = history([addIpList('ip-1')]);
    spec
      .given(withList)
      .when({ type: 'UpdateIpList', data: { ipListId: 'ip-1', ips: ['203.0.113.0/25', '203.0.113.128/25'] } })
      .then([
        {
          type: 'IpListUpdated',
          data: {
            ipList: {
              id: 'ip-1',
              name: 'ip-1',
              description: '',
              ips: ['203.0.113.0/25', '203.0.113.128/25'],
            },
          },
        },
      ]);
    spec
      .given(withList)
      .when({ type: 'UpdateIpList', data: { ipListId: 'ip-1', name: 'ip-1' } })
      .then([]);
    spec
      .given(withList)
      .when({ type: 'RemoveIpList', data: { ipListId: 'ip-1' } })
      .then([{ type: 'IpListRemoved', data: { ipListId: 'ip-1' } }]);
    spec
      .given(org)
      .when({ type: 'RemoveIpList', data: { ipListId: 'ip-1' } })
      .then({ code: 'NOT_FOUND', field: 'ipListId' });
  });

  it('refuses to remove a list that a conditional access condition uses', () => {
    const events = history([
      addIpList('ip-1'),
      {
        type: 'AddConditionalAccessPolicy',
        data: {
          conditionalAccessPolicyId: 'ca-1',
          name: 'Office only',
          type: 'user_portal',
          targets: { users: { inclusions: ['ALL'] }, resources: [{ type: 'user_portal' }] },
          conditions: { not: { any: [{ deviceManaged: true }, { ipAddressIn: ['ip-1'] }] } },
          effect: { action: 'deny' },
        },
      },
    ]);
    spec
      .given(events)
      .when({ type: 'RemoveIpList', data: { ipListId: 'ip-1' } })
      .then({ code: 'CONFLICT', reason: 'REFERENCED', field: 'ipListId' });
  });
});
