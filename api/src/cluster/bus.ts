/**
 * What one API node tells the others: live updates to relay to their
 * subscribers, cached results to drop, and the networks its stored events
 * came from (the attack context). A node hears only the other nodes'
 * messages; its own it has already acted on.
 */
export type BusChannel = 'live' | 'invalidate' | 'activity';

export interface ClusterBus {
  /** Sends to every other node; never throws (a message that cannot be sent is counted and logged). */
  publish(channel: BusChannel, message: unknown): void;
  /** Hears the other nodes' messages on a channel; returns the way to stop. */
  on(channel: BusChannel, listener: (message: unknown) => void): () => void;
  /** Hears that messages may have been missed: this node's connection, or another node's, was lost and is back. */
  onMissed(listener: () => void): () => void;
  /** Whether this node hears the others right now (false while Redis is unreachable). */
  hearing(): boolean;
  /** Resolves once this node sends and hears. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** One node alone: nobody to tell, nobody to hear. */
export const SINGLE_NODE: ClusterBus = {
  publish() {},
  on: () => () => {},
  onMissed: () => () => {},
  hearing: () => true,
  ready: async () => {},
  close: async () => {},
};
