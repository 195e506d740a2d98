import { isIP } from 'node:net';

/**
 * The SSRF rule's address classifier: which addresses a webhook may never reach in production.
 * `public` is the only class a delivery may connect to; everything else names why not. IPv6 forms
 * that embed an IPv4 address (v4-mapped `::ffff:a.b.c.d`, v4-compatible `::a.b.c.d`, NAT64
 * `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4 address they carry.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'cgnat' | 'multicast' | 'unspecified' | 'broadcast' | 'reserved' | 'invalid';

type Range = [prefix: number[], bits: number, cls: AddressClass];

const V4_RANGES: Range[] = [
  [[0], 8, 'unspecified'], // "this network", 0.0.0.0
  [[10], 8, 'private'],
  [[100, 64], 10, 'cgnat'],
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'],
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'], // IETF protocol assignments
  [[192, 0, 2], 24, 'reserved'], // documentation
  [[192, 88, 99], 24, 'reserved'], // 6to4 relay anycast
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'reserved'], // benchmarking
  [[198, 51, 100], 24, 'reserved'], // documentation
  [[203, 0, 113], 24, 'reserved'], // documentation
  [[224], 4, 'multicast'],
  [[255, 255, 255, 255], 32, 'broadcast'],
  [[240], 4, 'reserved'],
];

const V6_RANGES: Range[] = [
  [[0x00, 0x64, 0xff, 0x9b, 0, 1], 48, 'private'], // local-use NAT64
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved'], // discard-only
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'reserved'], // documentation
  [[0x20, 0x01, 0x00, 0x00], 32, 'reserved'], // Teredo: tunnels to any address
  [[0x20, 0x01, 0x00, 0x10], 28, 'reserved'], // ORCHID
  [[0xfc], 7, 'unique-local'],
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'private'], // site-local (deprecated)
  [[0xff], 8, 'multicast'],
];

function inRange(bytes: Uint8Array | number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i / 8] ?? 0) & mask) !== ((prefix[i / 8] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyV4(bytes: number[]): AddressClass {
  for (const [prefix, bits, cls] of V4_RANGES) if (inRange(bytes, prefix, bits)) return cls;
  return 'public';
}

/** An IPv6 address as 16 bytes (a zone id `%eth0` ignored); null when it is not one. */
export function ipv6Bytes(address: string): Uint8Array | null {
  let s = address.trim().replace(/^\[(.*)\]$/, '$1');
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return null;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = tail.split('.').map(Number);
    s = `${s.slice(0, lastColon + 1)}${(((v4[0]! << 8) | v4[1]!) >>> 0).toString(16)}:${(((v4[2]! << 8) | v4[3]!) >>> 0).toString(16)}`;
  }
  const halves = s.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length > 1 ? (halves[1] ? halves[1].split(':') : []) : null;
  const groups = rest === null ? head : [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest];
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  return bytes;
}

function classifyV6(b: Uint8Array): AddressClass {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && b[15] === 1) return 'loopback';
  // v4-mapped ::ffff:a.b.c.d and v4-compatible ::a.b.c.d: the IPv4 address decides
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyV4([...b.slice(12)]);
  if (zeros(0, 12)) return classifyV4([...b.slice(12)]);
  // NAT64 64:ff9b::a.b.c.d and 6to4 2002:AABB:CCDD::: the embedded IPv4 address decides
  if (inRange(b, [0x00, 0x64, 0xff, 0x9b], 32) && zeros(4, 12)) return classifyV4([...b.slice(12)]);
  if (b[0] === 0x20 && b[1] === 0x02) return classifyV4([...b.slice(2, 6)]);
  for (const [prefix, bits, cls] of V6_RANGES) if (inRange(b, prefix, bits)) return cls;
  // only global unicast (2000::/3) is routable on the internet
  return (b[0]! & 0xe0) === 0x20 ? 'public' : 'reserved';
}

/** The class of an IP address (IPv4, IPv6, v4-mapped IPv6; brackets and zone ids allowed). */
export function classifyAddress(address: string): AddressClass {
  const a = address.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(a) === 4) return classifyV4(a.split('.').map(Number));
  const v6 = ipv6Bytes(a);
  return v6 ? classifyV6(v6) : 'invalid';
}

/** True when a webhook may connect to this address (in production: the only addresses allowed). */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}
