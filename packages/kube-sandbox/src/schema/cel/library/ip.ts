import { CelFunc, celFunc, celMethod, CelScalar } from '@bufbuild/cel';
import { IP_TYPE, opaqueText } from '../opaqueTypes';
import {
  formatIpAddress,
  IpAddress,
  isGlobalUnicast,
  isIpv4MappedIpv6,
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isUnspecified,
  isZoned,
  parseIpAddress,
} from './ipAddress';

/**
 * The Kubernetes IP library, re-expressed from k8s.io/apiserver
 * pkg/cel/library/ip.go (v0.32.0): `ip(<string>)`, `isIP(<string>)`,
 * `ip.isCanonical(<string>)`, `string(<IP>)` and the IP's `family()`,
 * `isUnspecified()`, `isLoopback()`, `isLinkLocalMulticast()`,
 * `isLinkLocalUnicast()`, `isGlobalUnicast()`. As upstream, zoned and
 * IPv4-mapped IPv6 addresses are refused.
 */

const { STRING, BOOL, INT } = CelScalar;
const IP = IP_TYPE.type;

/** ip.go `parseIPAddr`. */
function parseIp(raw: string): IpAddress {
  let ip: IpAddress;
  try {
    if (isZoned(raw)) {
      throw new Error(
        `IP address ${JSON.stringify(raw)} with zone value is not allowed`,
      );
    }
    ip = parseIpAddress(raw);
  } catch (error) {
    const detail = (error as Error).message;
    if (detail.includes('zone value')) throw error;
    throw new Error(
      `IP Address ${JSON.stringify(
        raw,
      )} parse error during conversion from string: ${detail}`,
    );
  }
  if (isIpv4MappedIpv6(ip)) {
    throw new Error(
      `IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`,
    );
  }
  return ip;
}

function ipOf(value: unknown): IpAddress {
  return parseIpAddress(opaqueText(value));
}

function predicate(name: string, test: (ip: IpAddress) => boolean): CelFunc {
  return celMethod(name, IP, [], BOOL, function ipPredicate() {
    return test(ipOf(this));
  });
}

export const ipFunctions: CelFunc[] = [
  celFunc('ip', [STRING], IP, raw => {
    return IP_TYPE.of(formatIpAddress(parseIp(raw))) as never;
  }),
  celFunc('isIP', [STRING], BOOL, raw => {
    try {
      parseIp(raw);
      return true;
    } catch {
      return false;
    }
  }),
  celFunc('ip.isCanonical', [STRING], BOOL, raw => {
    return formatIpAddress(parseIp(raw)) === raw;
  }),
  celFunc('string', [IP], STRING, value => opaqueText(value)),
  celMethod('family', IP, [], INT, function family() {
    return BigInt(ipOf(this).family);
  }),
  predicate('isUnspecified', isUnspecified),
  predicate('isLoopback', isLoopback),
  predicate('isLinkLocalMulticast', isLinkLocalMulticast),
  predicate('isLinkLocalUnicast', isLinkLocalUnicast),
  predicate('isGlobalUnicast', isGlobalUnicast),
];
