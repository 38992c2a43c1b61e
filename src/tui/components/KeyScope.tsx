import { useLayoutEffect, useMemo, type ReactNode } from 'react';
import { KeyContext } from '../key-context.js';
import type { KeyRouter } from '../key-router.js';

/**
 * One screen's part of the key owner: the screen's handlers register inside it, and it tells
 * the owner the screen is ready once they all have (a parent's layout effect runs after its
 * children's), so keys queued for it go on.
 */
export function KeyScope({ router, id, children }: { router: KeyRouter; id: string; children: ReactNode }) {
  const value = useMemo(() => ({ router, scope: id }), [router, id]);
  useLayoutEffect(() => {
    router.setReady(id, true);
    return () => router.setReady(id, false);
  }, [router, id]);
  return <KeyContext.Provider value={value}>{children}</KeyContext.Provider>;
}
