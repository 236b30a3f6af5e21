/** Every Redis key and channel of a cluster, under its namespace (one place, so nothing escapes it). */

/** Names of one namespace's keys and channels. */
export interface ClusterKeys {
  /** The namespace itself. */
  readonly namespace: string;
  /** Heart-beat key of a node (its record, with a TTL). */
  node(name: string): string;
  /** Set of node names that joined (cleaned of expired ones as they are seen). */
  readonly nodes: string;
  /** Channel of membership events (join, leave, update, process exit). */
  readonly events: string;
  /** The global object (one JSON value). */
  readonly global: string;
  /** The lease of the active alone process (aloneScope 'cluster'). */
  readonly alone: string;
  /** Pattern matching every key of the namespace (for clean-up). */
  readonly all: string;
}

/** The keys of `namespace`. */
export function clusterKeys(namespace: string): ClusterKeys {
  return {
    namespace,
    node: (name) => `${namespace}:node:${name}`,
    nodes: `${namespace}:nodes`,
    events: `${namespace}:events`,
    global: `${namespace}:global`,
    alone: `${namespace}:alone`,
    all: `${namespace}:*`,
  };
}
