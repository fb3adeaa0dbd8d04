/**
 * IP addresses as Go's net/netip parses and prints them (`ParseAddr`,
 * `Addr.String`, the `Is*` predicates), re-expressed for the Kubernetes IP
 * library. Addresses are 4 or 16 bytes.
 */

export interface IpAddress {
  family: 4 | 6;
  bytes: number[];
}

class IpError extends Error {}

function fail(raw: string, detail: string): never {
  throw new IpError(`ParseAddr(${JSON.stringify(raw)}): ${detail}`);
}

function parseIpv4(raw: string, text: string): number[] {
  const fields = text.split('.');
  if (fields.length !== 4) fail(raw, 'IPv4 address too short');
  return fields.map(field => {
    if (!/^[0-9]{1,3}$/.test(field)) fail(raw, 'unexpected character');
    if (field.length > 1 && field.startsWith('0')) {
      fail(raw, 'IPv4 field has octet with leading zero');
    }
    const value = Number(field);
    if (value > 255) fail(raw, 'IPv4 field has value >255');
    return value;
  });
}

function parseIpv6(raw: string): number[] {
  if (raw.includes('%')) fail(raw, 'zone');
  const halves = raw.split('::');
  if (halves.length > 2) fail(raw, 'multiple :: in address');
  const groups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    pieces.forEach((piece, i) => {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(raw, piece);
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        return;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
        fail(raw, 'each colon-separated field must have at least one digit');
      }
      out.push(parseInt(piece, 16));
    });
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) {
    fail(
      raw,
      missing < 0 ? 'IPv6 address too long' : 'address string too short',
    );
  }
  const all = [...head, ...new Array(missing).fill(0), ...tail];
  return all.flatMap(g => [g >> 8, g & 0xff]);
}

/** Throws with netip's wording when `raw` is not an address. */
export function parseIpAddress(raw: string): IpAddress {
  if (raw === '') fail(raw, 'unable to parse IP');
  if (raw.includes(':')) {
    const bytes = parseIpv6(raw);
    return { family: 6, bytes };
  }
  if (raw.includes('.')) return { family: 4, bytes: parseIpv4(raw, raw) };
  return fail(raw, 'unable to parse IP');
}

export function isZoned(raw: string): boolean {
  return raw.includes(':') && raw.includes('%');
}

export function isIpv4MappedIpv6(ip: IpAddress): boolean {
  return (
    ip.family === 6 &&
    ip.bytes.slice(0, 10).every(b => b === 0) &&
    ip.bytes[10] === 0xff &&
    ip.bytes[11] === 0xff
  );
}

/** `Addr.String()`: dotted decimal, or RFC 5952 text for IPv6. */
export function formatIpAddress(ip: IpAddress): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((ip.bytes[i] << 8) | ip.bytes[i + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map(g => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(
    groups.slice(bestStart + bestLength),
  )}`;
}

export function isUnspecified(ip: IpAddress): boolean {
  return ip.bytes.every(b => b === 0);
}

export function isLoopback(ip: IpAddress): boolean {
  if (ip.family === 4) return ip.bytes[0] === 127;
  return ip.bytes.slice(0, 15).every(b => b === 0) && ip.bytes[15] === 1;
}

export function isMulticast(ip: IpAddress): boolean {
  if (ip.family === 4) return (ip.bytes[0] & 0xf0) === 0xe0;
  return ip.bytes[0] === 0xff;
}

export function isLinkLocalMulticast(ip: IpAddress): boolean {
  if (ip.family === 4) {
    return ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0;
  }
  return ip.bytes[0] === 0xff && (ip.bytes[1] & 0x0f) === 0x02;
}

export function isLinkLocalUnicast(ip: IpAddress): boolean {
  if (ip.family === 4) return ip.bytes[0] === 169 && ip.bytes[1] === 254;
  return ip.bytes[0] === 0xfe && (ip.bytes[1] & 0xc0) === 0x80;
}

export function isGlobalUnicast(ip: IpAddress): boolean {
  if (ip.family === 4 && ip.bytes.every(b => b === 255)) return false;
  return (
    !isUnspecified(ip) &&
    !isLoopback(ip) &&
    !isMulticast(ip) &&
    !isLinkLocalUnicast(ip)
  );
}
