/**
 * The message pipeline (R-PIPE): onProcessWillReceiveMessage → next() → onProcessDidReceiveMessage,
 * next(x) replaces data.payload, next(DISCARD) → onProcessDidDiscardMessage. The same `data`
 * object flows through every stage, so a change made by one hook is seen by the next.
 */
import { Macros } from '../protocol/macros';
import { safeCall } from './safe-call';
import { answerWithError } from './received-data';
import type { ProcessHooks, ReceivedData } from './hooks';
import type { Logger } from './logger';

/** Runs one user message through the hooks. */
export function runPipeline(hooks: ProcessHooks, logger: Logger, from: string, data: ReceivedData): void {
  // A hook that throws (or rejects) while a request is unanswered answers it with a RemoteError.
  const onError = (err: unknown) => answerWithError(data, err);
  if (!hooks.onProcessWillReceiveMessage) {
    safeCall(logger, 'onProcessDidReceiveMessage', () => hooks.onProcessDidReceiveMessage?.(from, data), onError);
    return;
  }
  let nextCalled = false;
  const next = (payloadOrCommand?: unknown): void => {
    if (nextCalled) {
      logger.warn(`next() called twice for message '${data.action}' from ${from}; ignored`);
      return;
    }
    nextCalled = true;
    if (payloadOrCommand === Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD) {
      safeCall(logger, 'onProcessDidDiscardMessage', () => hooks.onProcessDidDiscardMessage?.(from, data), onError);
      return;
    }
    if (payloadOrCommand !== undefined) data.payload = payloadOrCommand;
    safeCall(logger, 'onProcessDidReceiveMessage', () => hooks.onProcessDidReceiveMessage?.(from, data), onError);
  };
  safeCall(logger, 'onProcessWillReceiveMessage', () => hooks.onProcessWillReceiveMessage!(from, data, next), onError);
}
