import type { SeenState } from './op.js';

/** Newest of several views of the same item's server state. */
export function newestSeen(...views: Array<SeenState | undefined>): SeenState | undefined {
  let newest: SeenState | undefined;
  for (const view of views) if (view !== undefined && (newest === undefined || view.at > newest.at)) newest = view;
  return newest;
}
