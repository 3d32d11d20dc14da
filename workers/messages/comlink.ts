// Comlink serializes a thrown error as { message, name, stack } only: this handler keeps a
// MessageError's `msg`, so the page can say what went wrong in the user's language. Registered on
// both sides of every worker boundary (each *.worker.ts and the page's bridges).
import * as Comlink from 'comlink';
import { MessageError, isMsg, type Msg } from './index.ts';

interface SerializedError {
  isError: true;
  value: { message: string; name: string; stack?: string; msg?: Msg };
}
interface SerializedValue {
  isError: false;
  value: unknown;
}
type Thrown = { value: unknown };

export function registerMessageErrors(): void {
  const base = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<
    Thrown,
    SerializedError | SerializedValue
  >;
  Comlink.transferHandlers.set('throw', {
    canHandle: base.canHandle,
    serialize(thrown: Thrown): [SerializedError | SerializedValue, Transferable[]] {
      const v = thrown.value;
      if (v instanceof Error) {
        const m = (v as { msg?: unknown }).msg;
        return [
          {
            isError: true,
            value: {
              message: v.message,
              name: v.name,
              stack: v.stack,
              ...(isMsg(m) ? { msg: m } : {}),
            },
          },
          [],
        ];
      }
      return base.serialize(thrown);
    },
    deserialize(s: SerializedError | SerializedValue): never {
      if (s.isError && s.value.msg) {
        const e = new MessageError(s.value.msg);
        if (s.value.stack) e.stack = s.value.stack;
        throw e;
      }
      return base.deserialize(s) as never;
    },
  });
}
