/**
 * Entries of an IP list (JumpCloud `/api/v2/iplists`): a single IPv4 or IPv6 address, a range
 * `a - b` of one family with a ≤ b, or a CIDR block whose host bits are zero.
 */
import { ValidationError } from '../../errors.js';

export type IpFamily = 4 | 6;
export type IpListEntryKind = 'address' | 'range' | 'cidr';

interface ParsedAddress {
  family: IpFamily;
  value: bigint;
}

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const IPV6_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const PREFIX_LENGTH = /^(0|[1-9][0-9]{0,2})$/;

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!IPV4_OCTET.test(octet) || Number(octet) > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6Groups(text: string): bigint[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: bigint[] = [];
  for (const [index, part] of parts.entries()) {
    // An embedded IPv4 address may stand for the last two groups (`::ffff:192.0.2.1`).
    if (index === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseIpv4(part);
      if (ipv4 === undefined) return undefined;
      groups.push(ipv4 >> 16n, ipv4 & 0xffffn);
    } else if (IPV6_GROUP.test(part)) {
      groups.push(BigInt(`0x${part}`));
    } else {
      return undefined;
    }
  }
  return groups;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseIpv6Groups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 2 && (halves[0] ?? '').includes('.')) return undefined;
  const missing = 8 - head.length - tail.length;
  // `::` stands for at least one group of zeros; without it there must be exactly eight.
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<bigint>(halves.length === 2 ? missing : 0).fill(0n), ...tail].reduce(
    (value, group) => (value << 16n) | group,
    0n,
  );
}

function parseAddress(text: string): ParsedAddress | undefined {
  const ipv4 = parseIpv4(text);
  if (ipv4 !== undefined) return { family: 4, value: ipv4 };
  const ipv6 = text.includes(':') ? parseIpv6(text) : undefined;
  return ipv6 === undefined ? undefined : { family: 6, value: ipv6 };
}

const BITS: Record<IpFamily, bigint> = { 4: 32n, 6: 128n };

/** The kind of an IP list entry, or a reason why it is not one. */
export function parseIpListEntry(
  entry: string,
): { kind: IpListEntryKind; family: IpFamily } | { error: string } {
  const text = entry.trim();
  if (text.includes('/')) {
    const [address, prefix, ...rest] = text.split('/');
    const parsed = parseAddress(address ?? '');
    if (!parsed || rest.length > 0) return { error: 'is not a CIDR block address/prefix' };
    if (!PREFIX_LENGTH.test(prefix ?? '') || BigInt(prefix ?? '') > BITS[parsed.family]) {
      return { error: `has a prefix length outside 0..${BITS[parsed.family]}` };
    }
    const hostBits = BITS[parsed.family] - BigInt(prefix ?? '');
    if ((parsed.value & ((1n << hostBits) - 1n)) !== 0n)
      return { error: 'has host bits set after the prefix' };
    return { kind: 'cidr', family: parsed.family };
  }
  if (text.includes('-')) {
    const bounds = text.split('-').map((bound) => bound.trim());
    const [start, end] = bounds.map(parseAddress);
    if (bounds.length !== 2 || !start || !end) return { error: 'is not a range "first - last"' };
    if (start.family !== end.family) return { error: 'mixes IPv4 and IPv6 in one range' };
    if (start.value > end.value) return { error: 'has its first address after its last' };
    return { kind: 'range', family: start.family };
  }
  const address = parseAddress(text);
  if (!address) return { error: 'is not an IPv4 or IPv6 address, range or CIDR block' };
  return { kind: 'address', family: address.family };
}

export function requireIpListEntry(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be a string');
  const parsed = parseIpListEntry(value);
  if ('error' in parsed) throw new ValidationError(field, parsed.error);
  return value.trim();
}
