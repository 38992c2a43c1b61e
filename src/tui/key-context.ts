import { createContext } from 'react';
import type { KeyRouter } from './key-router.js';

/** The key owner and the screen a component is drawn in; absent outside the app (the first sign-in form). */
export const KeyContext = createContext<{ router: KeyRouter; scope: string } | undefined>(undefined);
