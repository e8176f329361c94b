import { InvalidValue, parsePort } from '../config/config-values.js';

/** `--metrics-address`: `host:port` (`[::1]:9090` for IPv6, `:9090` for every interface); '' for none. */
export function parseMetricsAddress(raw: string): string {
  const value = raw.trim();
  if (value === '') return '';
  splitAddress(value);
  return value;
}

/** The host and port of a checked `--metrics-address` (an empty host listens on every interface). */
export function splitAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]*)):(\d+)$/.exec(address);
  if (!match) throw new InvalidValue('is not host:port (for example 0.0.0.0:9090, [::1]:9090 or :9090)');
  const port = parsePort(match[3] ?? '');
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}
