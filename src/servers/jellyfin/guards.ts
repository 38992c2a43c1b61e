import type {
  AuthenticationResult,
  BaseItemDto,
  BaseItemDtoQueryResult,
  MediaSegmentDtoQueryResult,
  PlaybackInfoResponse,
  PublicSystemInfo,
  QuickConnectResult,
  UserDto,
  UserItemDataDto,
} from '@jellyfin/sdk/lib/generated-client/models/index.js';

/** A reply that parsed as JSON but does not have the shape Jellyfin sends. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

type Kind = 'string' | 'number' | 'boolean' | 'date' | 'object' | 'array';
type FieldSpec = Record<string, Kind | `${Kind}?`>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matches(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === kind;
  }
}

/**
 * Checks the fields the app reads. Jellyfin omits nulls, so an optional field may be absent
 * (or null, from proxies and older servers); a present field must have the right type.
 */
function checkFields(value: unknown, spec: FieldSpec, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new ShapeError(`expected ${what} to be an object, got ${describe(value)}`);
  for (const [field, rule] of Object.entries(spec)) {
    const optional = rule.endsWith('?');
    const kind = (optional ? rule.slice(0, -1) : rule) as Kind;
    const actual = value[field];
    if (actual === undefined || actual === null) {
      if (!optional) throw new ShapeError(`${what} has no ${field}`);
      continue;
    }
    if (!matches(actual, kind)) throw new ShapeError(`${what}'s ${field} is ${describe(actual)}, expected ${kind === 'date' ? 'a date' : `a ${kind}`}`);
  }
  return value;
}

// Jellyfin always sends its non-nullable fields (Played, PlaybackPositionTicks): an object
// without Played is not user data, whatever else it holds.
const USER_DATA: FieldSpec = {
  PlaybackPositionTicks: 'number?',
  PlayCount: 'number?',
  Played: 'boolean',
  LastPlayedDate: 'date?',
  PlayedPercentage: 'number?',
  UnplayedItemCount: 'number?',
};

const ITEM: FieldSpec = {
  Id: 'string',
  Name: 'string?',
  Type: 'string?',
  IsFolder: 'boolean?',
  ProductionYear: 'number?',
  RunTimeTicks: 'number?',
  Overview: 'string?',
  SeriesId: 'string?',
  SeriesName: 'string?',
  SeasonId: 'string?',
  SeasonName: 'string?',
  IndexNumber: 'number?',
  ParentIndexNumber: 'number?',
  ChildCount: 'number?',
  CollectionType: 'string?',
  UserData: 'object?',
};

/** A `UserItemDataDto`. */
export function asUserItemData(value: unknown, what = 'the user data'): UserItemDataDto {
  return checkFields(value, USER_DATA, what) as unknown as UserItemDataDto;
}

/** A `BaseItemDto` (with its `UserData`, when present). */
export function asItem(value: unknown, what = 'the item'): BaseItemDto {
  const item = checkFields(value, ITEM, what);
  if (item.UserData !== undefined && item.UserData !== null) asUserItemData(item.UserData, `${what}'s UserData`);
  return item as BaseItemDto;
}

/** A `BaseItemDtoQueryResult`: `Items` and every item in it. */
export function asItemList(value: unknown): BaseItemDtoQueryResult {
  const result = checkFields(value, { Items: 'array', TotalRecordCount: 'number?', StartIndex: 'number?' }, 'the item list');
  (result.Items as unknown[]).forEach((item, index) => asItem(item, `item ${index + 1}`));
  return result as BaseItemDtoQueryResult;
}

/** An `AuthenticationResult` with a token and a user. */
export function asAuthenticationResult(value: unknown): AuthenticationResult {
  const result = checkFields(value, { AccessToken: 'string', User: 'object', ServerId: 'string?' }, 'the sign-in reply');
  checkFields(result.User, { Id: 'string', Name: 'string?', ServerId: 'string?' }, 'the signed-in user');
  return result as AuthenticationResult;
}

/** A `UserDto`. */
export function asUser(value: unknown): UserDto {
  return checkFields(value, { Id: 'string', Name: 'string?', ServerId: 'string?' }, 'the user') as UserDto;
}

/** A `PublicSystemInfo`. */
export function asPublicSystemInfo(value: unknown): PublicSystemInfo {
  return checkFields(value, { Id: 'string?', ServerName: 'string?', Version: 'string', ProductName: 'string?' }, 'the server info') as PublicSystemInfo;
}

/** A `PlaybackInfoResponse` and its media sources. */
export function asPlaybackInfo(value: unknown): PlaybackInfoResponse {
  const info = checkFields(value, { MediaSources: 'array', PlaySessionId: 'string?' }, 'the playback info');
  (info.MediaSources as unknown[]).forEach((source, index) => {
    const what = `media source ${index + 1}`;
    const checked = checkFields(
      source,
      { Id: 'string?', RunTimeTicks: 'number?', SupportsDirectStream: 'boolean?', MediaStreams: 'array?', DefaultAudioStreamIndex: 'number?', DefaultSubtitleStreamIndex: 'number?' },
      what,
    );
    ((checked.MediaStreams as unknown[] | undefined) ?? []).forEach((stream, n) =>
      checkFields(
        stream,
        { Type: 'string?', Index: 'number?', Language: 'string?', Title: 'string?', DisplayTitle: 'string?', Codec: 'string?', IsDefault: 'boolean?', IsExternal: 'boolean?', DeliveryUrl: 'string?' },
        `${what}'s stream ${n + 1}`,
      ),
    );
  });
  return info as PlaybackInfoResponse;
}

/** A `MediaSegmentDtoQueryResult`. */
export function asMediaSegments(value: unknown): MediaSegmentDtoQueryResult {
  const result = checkFields(value, { Items: 'array' }, 'the media segments');
  (result.Items as unknown[]).forEach((segment, index) => checkFields(segment, { Type: 'string?', StartTicks: 'number?', EndTicks: 'number?' }, `segment ${index + 1}`));
  return result as MediaSegmentDtoQueryResult;
}

/** A `QuickConnectResult` with its secret and code. */
export function asQuickConnectResult(value: unknown): QuickConnectResult {
  return checkFields(value, { Secret: 'string', Code: 'string', Authenticated: 'boolean?' }, 'the Quick Connect reply') as QuickConnectResult;
}

/** A JSON boolean (`/QuickConnect/Enabled`). */
export function asBoolean(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ShapeError(`expected true or false, got ${describe(value)}`);
  return value;
}

/** `/System/Ping`'s JSON string. */
export function asPing(value: unknown): string {
  if (typeof value !== 'string') throw new ShapeError(`expected the ping reply to be a string, got ${describe(value)}`);
  return value;
}
