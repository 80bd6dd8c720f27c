import type { ClusterOptions } from 'ioredis';
import type { RedisClusterConfig } from '#src/config/config.js';

// Connection helpers for Redis, the queue backend of the scale-out mode: storage resolves the
// connection (storage.ts) and the queue layer hands it to BullMQ, so both read them from here.

/** BullMQ's ioredis options for a redis:// or rediss:// URL (user, password, database number, TLS). */
export function redisConnectionOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers need blocking commands that never give up.
    maxRetriesPerRequest: null,
  };
}

/**
 * ioredis Cluster options for BullMQ on a Redis Cluster. Credentials and TLS go to every node
 * (`redisOptions`); the queue prefix must carry a hash tag (checked in config.ts), since BullMQ's
 * scripts touch several keys of a queue at once.
 */
export function redisClusterOptions(cluster: RedisClusterConfig): { nodes: RedisClusterConfig['nodes']; options: ClusterOptions } {
  return {
    nodes: cluster.nodes,
    options: {
      redisOptions: {
        username: cluster.username,
        password: cluster.password,
        tls: cluster.tls ? {} : undefined,
        // BullMQ workers need blocking commands that never give up.
        maxRetriesPerRequest: null,
      },
      // With TLS, connect to the names the nodes announce as they are, so that the certificate's
      // host name matches (resolving them first breaks managed clusters such as ElastiCache).
      ...(cluster.tls ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {}),
    },
  };
}
