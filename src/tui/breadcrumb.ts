import type { Screen } from './components/ScreenView.js';

const NAMES: Record<Exclude<Screen['kind'], 'library' | 'seasons' | 'episodes'>, string> = {
  home: 'Home',
  search: 'Search',
  details: 'Details',
  playing: 'Now playing',
  sync: 'Sync',
  settings: 'Settings',
  signin: 'Sign in',
  message: 'Message',
};

/** A screen as the header's trail names it: a library, series or season by its own name. */
export function screenName(screen: Screen): string {
  switch (screen.kind) {
    case 'library':
      return screen.parent.name;
    case 'seasons':
      return screen.series.name;
    case 'episodes':
      return screen.season.name;
    default:
      return NAMES[screen.kind];
  }
}

/**
 * The trail of screens, `Home › Shows › Amber Lighthouse › Season 1`, in at most `width`
 * columns: the screens just after home give way first (`Home › … › Season 1`), so where the
 * user is stays in view.
 */
export function breadcrumb(screens: readonly Screen[], width: number): string {
  const names = screens.map(screenName);
  const fits = (text: string) => [...text].length <= width;
  let text = names.join(' › ');
  for (let dropped = 1; !fits(text) && dropped < names.length - 1; dropped++) {
    text = [names[0]!, '…', ...names.slice(dropped + 1)].join(' › ');
  }
  return text;
}
