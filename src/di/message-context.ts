/** The second argument of an `@OnMessage` handler: who sent the message and how to answer it. */
import type { Envelope } from '../protocol/envelope';

/** What an `@OnMessage` handler gets besides the payload. */
export interface MessageContext<Result = unknown> {
  /** The message's action. */
  readonly action: string;
  /** The process that sent it. */
  readonly fromProcessId: string;
  /** Its trace id; null for a one-way message. */
  readonly traceId: string | null;
  /** True while the request can still be answered (false for one-way messages and once answered). */
  readonly responsive: boolean;
  /** Answers the request now (a `@Trace` handler's return value is then not sent); throws when not responsive. */
  reply(payload: Result): void;
  /** Deep-copied snapshot of the envelope as received (R-IPC-4). */
  getOriginData(): Envelope;
}
