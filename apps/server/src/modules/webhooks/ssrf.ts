import { lookup } from "node:dns/promises";
import net from "node:net";

/** Set to 1 to allow webhook targets on private or loopback addresses (tests, on-premises receivers). */
export const ALLOW_PRIVATE_ENV = "RAPPORT_WEBHOOKS_ALLOW_PRIVATE";
export const allowPrivateTargets = () => process.env[ALLOW_PRIVATE_ENV] === "1";

const V4_BLOCKS: Array<[string, number]> = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];
const V6_BLOCKS: Array<[string, number]> = [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
  ["2001:db8::", 32],
];
const list = new net.BlockList();
for (const [a, p] of V4_BLOCKS) list.addSubnet(a, p, "ipv4");
for (const [a, p] of V6_BLOCKS) list.addSubnet(a, p, "ipv6");

/** Whether an IP address is private, loopback, link-local, reserved or multicast. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return list.check(mapped[1], "ipv4");
    return list.check(address, "ipv6");
  }
  return list.check(address, "ipv4");
}

/**
 * Resolves a webhook target's host and refuses private targets (SSRF guard) unless allowed.
 * Returns the address to connect to, so the checked address is the one used (no DNS rebinding).
 */
export async function resolveTarget(url: URL): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addrs = net.isIP(host)
    ? [{ address: host, family: net.isIP(host) as 4 | 6 }]
    : ((await lookup(host, { all: true })) as Array<{ address: string; family: 4 | 6 }>);
  const first = addrs[0];
  if (!first) throw new Error(`${host} does not resolve`);
  if (!allowPrivateTargets() && addrs.some((a) => isPrivateAddress(a.address)))
    throw new SsrfError(`${host} resolves to a private or loopback address`);
  return first;
}

export class SsrfError extends Error {}
