import { useInput } from 'ink';
import { useContext, useLayoutEffect, useRef } from 'react';
import { KeyContext } from '../key-context.js';
import type { KeyHandler } from '../key-router.js';

/**
 * A screen's keys, as Ink's `useInput` takes them. Inside the app they come from its one key
 * owner, in order, and only while this component's screen is the one showing: registered when
 * the screen is drawn (a layout effect), not a frame later, so no key is lost or goes to the
 * screen being left. Outside the app (a form on its own) it is Ink's `useInput`.
 */
export function useKeys(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  const context = useContext(KeyContext);
  const latest = useRef({ handler, active: options.isActive !== false });
  latest.current = { handler, active: options.isActive !== false };
  useLayoutEffect(() => {
    if (context === undefined) return undefined;
    return context.router.register(context.scope, { handler: () => latest.current.handler, active: () => latest.current.active });
  }, [context]);
  // Ink detaches a handler made inactive only after the next frame's effects: until then it asks the newest render.
  useInput(
    (input, key) => {
      if (latest.current.active) void latest.current.handler(input, key);
    },
    { isActive: context === undefined && options.isActive !== false },
  );
}
