/**
 * ISSUE-5 type test: `@OnMessage(token)` checks the handler's payload and result types against a
 * defineAction() token; a string action accepts any handler. Compiled (never run) by
 * test/unit/di/decorator-types.test.ts: each `@ts-expect-error` line must be an error.
 */
import { Master, OnMessage, Trace, Worker, defineAction, type MessageContext } from 'clustercore';

const ADD = defineAction<{ a: number; b: number }, number>('ADD');
const NAME = defineAction<void, string>('NAME');

@Worker()
export class Fine {
  @OnMessage(ADD) @Trace()
  add(p: { a: number; b: number }): number { return p.a + p.b; }

  @OnMessage(ADD) @Trace()
  async addLater(p: { a: number; b: number }, ctx: MessageContext<number>): Promise<number> { ctx.reply(p.a); return p.b; }

  @OnMessage(NAME) @Trace()
  name(): string { return 'w'; }

  @OnMessage('ANYTHING')
  anything(payload: { whatever: string[] }, ctx: MessageContext): void { void payload; void ctx.fromProcessId; }

  @OnMessage('NOTHING')
  nothing(): void {}
}

@Master()
export class Wrong {
  // @ts-expect-error the payload type does not match the token's
  @OnMessage(ADD) @Trace()
  add(p: { a: string }): number { return Number(p.a); }

  // @ts-expect-error the result type does not match the token's
  @OnMessage(ADD) @Trace()
  sum(p: { a: number; b: number }): string { return String(p.a + p.b); }

  // @ts-expect-error an async result of the wrong type
  @OnMessage(NAME) @Trace()
  async name(): Promise<number> { return 1; }

  @OnMessage(NAME) @Trace()
  early(_p: void, ctx: MessageContext<string>): string {
    // @ts-expect-error ctx.reply takes the token's result type
    ctx.reply(42);
    return 'x';
  }
}
