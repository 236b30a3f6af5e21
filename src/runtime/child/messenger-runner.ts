/**
 * A worker's side of consume() and map(): the master's MESSENGER_RUN order is unwrapped into the
 * user message the handler expects, from the process that called consume()/map(), and run through
 * the normal pipeline (onProcessWillReceiveMessage → handler), so handlers cannot tell it from a send.
 * - consume: a one-way message; the master gets MESSENGER_ACK once the pipeline took it.
 * - map: a request; the handler's answer (resTrace / @Trace) goes back to the master, which asked.
 */
import { createEnvelope, type Envelope, type MessageData } from '../../protocol/envelope';
import { ClusterCoreError, toWireError } from '../../protocol/errors';
import { InternalActions } from '../../protocol/macros';
import { MASTER_ID, isProcessId } from '../../protocol/process-id';
import { isPlainObject } from '../../protocol/json-safe';
import type { Responder } from '../received-data';
import { runPipeline } from '../pipeline';
import type { Engine } from '../engine';
import type { RunOrder } from '../messenger-wire';

/** Registers the MESSENGER_RUN handler on a worker's engine. */
export function installMessengerRunner(engine: Engine): void {
  // map answers go to the master (which asked), whoever the handler sees as the sender.
  const toMaster: Responder = {
    reply: (_to, traceId, data, cb) => engine.reply(MASTER_ID, traceId, data, cb),
    replyError: (_to, traceId, error) => engine.replyError(MASTER_ID, traceId, error),
  };
  engine.handleInternal(InternalActions.MESSENGER_RUN, (env) => {
    const order = env.data.payload as Partial<RunOrder> | undefined;
    if (!isPlainObject(order) || (order.op !== 'consume' && order.op !== 'map') || typeof order.action !== 'string' || !isProcessId(order.from)) {
      const error = new ClusterCoreError(`${engine.processId}: malformed messenger order from the master`);
      engine.options.logger.warn(error.message);
      if (env.meta.traceId !== null) engine.replyInternal(env, { action: InternalActions.MESSENGER_ACK, error: toWireError(error) });
      return;
    }
    const data: MessageData = order.payload === undefined ? { action: order.action } : { action: order.action, payload: order.payload };
    // `order.from` is the caller of consume()/map() as the master names it: an id in a payload is
    // believed here only because Engine.route lets MESSENGER_RUN in from the master alone.
    const user: Envelope = createEnvelope(order.from, engine.processId, data, order.op === 'map' ? env.meta.traceId : null);
    const received = engine.acceptUserData(user, MASTER_ID, order.op === 'map' ? toMaster : engine);
    if (received === null) {
      // Past a data limit (counted and logged): the job is refused, never half-run.
      if (env.meta.traceId !== null) engine.replyInternal(env, { action: InternalActions.MESSENGER_ACK, error: toWireError(new ClusterCoreError(`${engine.processId}: the ${order.op} payload breaks a data limit (R-IPC-2)`)) });
      return;
    }
    // A map is a request handed to user code: a retiring worker answers it before it leaves (R-SUP-6).
    if (order.op === 'map') engine.noteInbound(env.meta.traceId);
    runPipeline(engine.hooks, engine.options.logger, order.from, received);
    if (order.op === 'consume') engine.replyInternal(env, { action: InternalActions.MESSENGER_ACK });
  });
}
