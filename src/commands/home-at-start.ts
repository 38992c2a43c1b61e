import type { LibrarySource } from '../servers/index.js';
import type { HomeLists } from '../tui/services.js';

/**
 * Asks for home's three lists at once, while the TUI's code still loads, and returns what the
 * TUI's `homeAtStart` takes: the lists when all three are in by then, once. Otherwise (one
 * failed, or is still on its way) nothing: home asks the server itself, as it always did, and a
 * refused sign-in is noticed there.
 */
export function askForHomeEarly(library: Pick<LibrarySource, 'resume' | 'nextUp' | 'userViews'>): () => HomeLists | undefined {
  let lists: HomeLists | undefined;
  let taken = false;
  Promise.all([library.resume(), library.nextUp(), library.userViews()]).then(
    ([resume, nextUp, views]) => {
      if (!taken) lists = { resume, nextUp, views };
    },
    () => undefined,
  );
  return () => {
    taken = true;
    const now = lists;
    lists = undefined;
    return now;
  };
}
