import dns, { type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { fieldError } from '../../errors.js';

export const MAX_URL_LENGTH = 2048;

/**
 * Where a webhook must never go unless WEBHOOK_ALLOW_PRIVATE_TARGETS says so: the hub's own host and
 * the networks behind it (SSRF). IPv4-mapped IPv6 forms are judged as the IPv4 address they carry.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 itself
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated) forms
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT)
  ['64:ff9b::', 96], // NAT64: reaches the IPv4 address it embeds
  ['64:ff9b:1::', 48], // local NAT64
  ['2002::', 16], // 6to4
  ['2001::', 32], // Teredo
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d, ::ffff:7f00:1) carries, else undefined. */
function mappedIpv4(address: string): string | undefined {
  const host = new URL(`http://[${address}]/`).hostname.slice(1, -1).toLowerCase();
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!match) return undefined;
  const high = Number.parseInt(match[1]!, 16);
  const low = Number.parseInt(match[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Is this IP address (v4 or v6) on loopback, a private, link-local, multicast or reserved network? */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = mappedIpv4(address);
  return v4 ? PRIVATE.check(v4, 'ipv4') : PRIVATE.check(address, 'ipv6');
}

export interface TargetRules {
  allowPrivateTargets: boolean;
  httpsOnly: boolean;
}

/** The host of a URL without IPv6 brackets. */
const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/**
 * An endpoint URL as given at create/update: http(s) only (https only in production), no credentials,
 * at most MAX_URL_LENGTH characters, and no loopback or private host given literally (names are checked
 * again, as resolved, at every connection: see guardedLookup).
 */
export function validateTargetUrl(raw: string, rules: TargetRules, field = 'url'): string {
  if (raw.length > MAX_URL_LENGTH) throw fieldError(field, `must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fieldError(field, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw fieldError(field, 'must use https or http');
  if (rules.httpsOnly && url.protocol !== 'https:') throw fieldError(field, 'must use https');
  if (url.username || url.password) throw fieldError(field, 'must not contain credentials');
  if (url.hash) throw fieldError(field, 'must not contain a fragment');
  const host = bareHost(url).toLowerCase();
  if (!rules.allowPrivateTargets) {
    if (isIP(host) && isPrivateAddress(host)) {
      throw fieldError(field, 'must not point at a loopback, private or reserved address');
    }
    if (host === 'localhost' || host.endsWith('.localhost')) {
      throw fieldError(field, 'must not point at the hub’s own host');
    }
  }
  return url.toString();
}

export class TargetRefused extends Error {}

/**
 * For node:http(s) `lookup`: resolves as usual and keeps only public addresses (unless private ones are
 * allowed), so a name that resolves to an internal address — also one that changed since the endpoint
 * was saved (DNS rebinding) — is never connected to.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: dns.LookupOptions,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const usable = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (usable.length === 0) {
        return callback(
          Object.assign(new TargetRefused('the target resolves to a private address'), { code: 'EREFUSED' }),
          [],
        );
      }
      if (options.all) return callback(null, usable);
      return callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

/** A literal IP host never goes through `lookup`: it is checked here before connecting. */
export function refuseLiteralPrivateHost(url: URL, allowPrivate: boolean): void {
  const host = bareHost(url);
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
    throw new TargetRefused('the target is a private address');
  }
}
