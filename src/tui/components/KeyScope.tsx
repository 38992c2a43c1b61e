import { useLayoutEffect, useMemo, type ReactNode } from 'react';
import { KeyContext } from '../key-context.js';
import type { KeyRouter } from '../key-router.js';

/**
 * One screen's part of the key owner: the screen's handlers register inside it, and it tells
 * the owner the screen is ready once they all have (a parent's layout effect runs after its
 * children's) and it is drawn `showing` (on top, not behind the help), so keys queued for it
 * go on. A screen drawn hidden holds its keys until it shows: its handlers were last drawn
 * inactive, and would drop them.
 */
export function KeyScope({ router, id, showing = true, children }: { router: KeyRouter; id: string; showing?: boolean; children: ReactNode }) {
  const value = useMemo(() => ({ router, scope: id }), [router, id]);
  useLayoutEffect(() => () => router.drop(id), [router, id]);
  useLayoutEffect(() => {
    router.setReady(id, showing);
  }, [router, id, showing]);
  return <KeyContext.Provider value={value}>{children}</KeyContext.Provider>;
}
