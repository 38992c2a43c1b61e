import type { DemoUser } from '../auth.js';
import { currentUser, type DemoRequest, type DemoState } from '../context.js';
import type { DemoItem } from '../library.js';
import { BadRequest } from '../request.js';
import { parseGuid } from '../wire.js';

/** A user who is not allowed to act for the `userId` named (`RequestHelpers.GetUserId` → 403). */
export class Forbidden extends Error {}

/** A GUID route or query value; anything else is a 400, as model binding gives. */
export function guidParam(value: string, name: string): string {
  const id = parseGuid(value);
  if (id === undefined) throw new BadRequest(`The value '${value}' is not valid for ${name}.`);
  return id;
}

/** The route's `{itemId}` looked up in the library (undefined when unknown). */
export function routeItem(request: DemoRequest, state: DemoState, name = 'itemId'): DemoItem | undefined {
  return state.library.get(guidParam(request.params[name] ?? '', name));
}

/**
 * The user a request acts for: the token's user. A `userId` naming someone else needs an
 * administrator, which demo users are not (`RequestHelpers.GetUserId` → 403). The legacy
 * `/Users/{userId}/…` twins pass their route's `userId` to the same check.
 */
export function actingUser(request: DemoRequest): DemoUser {
  const user = currentUser(request);
  const asked = request.params.userId ?? request.query.get('userId');
  if (asked !== undefined && asked !== '' && guidParam(asked, 'userId') !== user.id) throw new Forbidden('Forbidden');
  return user;
}

/** An integer route or query value; 400 when it is not one. */
export function integerParam(raw: string, name: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new BadRequest(`The value '${raw}' is not valid for ${name}.`);
  return Number(raw);
}

/** An integer query value (`startIndex`, `limit`, `season`); 400 when it is not one. */
export function intQuery(request: DemoRequest, name: string): number | undefined {
  const raw = request.query.get(name);
  if (raw === undefined || raw === '') return undefined;
  return integerParam(raw, name);
}

/** A boolean query value (`recursive`, `isPlayed`, `enableUserData`); 400 when it is not one. */
export function boolQuery(request: DemoRequest, name: string): boolean | undefined {
  const raw = request.query.get(name);
  if (raw === undefined || raw === '') return undefined;
  const folded = raw.trim().toLowerCase();
  if (folded !== 'true' && folded !== 'false') throw new BadRequest(`The value '${raw}' is not valid for ${name}.`);
  return folded === 'true';
}
