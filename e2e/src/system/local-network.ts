import { readFileSync } from 'node:fs';
import { authDir } from '@stepwise/infra';

/**
 * The provider network the local identity puts in service tokens (`.infra/auth/clients.json`, written by
 * `infra:up`). People's tokens in the demo and the tests name the same network, as they would at a real
 * provider: a service acting for the network then finds the network's clients and sites.
 */
export function localNetworkId(): string {
  const registry = JSON.parse(readFileSync(authDir('clients.json'), 'utf8')) as { network?: unknown };
  if (typeof registry.network !== 'string')
    throw new Error('infra:up has not registered the local service clients');
  return registry.network;
}
