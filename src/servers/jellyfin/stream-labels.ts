import type { MediaStream } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { trackLabels } from '../../text/track-labels.js';

export { languageName } from '../../text/track-labels.js';

/** Jellyfin's streams as the viewer reads them (`trackLabels`): "English (default)", "German · external". */
export function streamLabels(streams: readonly MediaStream[]): string[] {
  return trackLabels(
    streams.map((stream) => ({
      kind: stream.Type ?? '',
      language: stream.Language,
      title: stream.Title,
      codec: stream.Codec,
      isDefault: stream.IsDefault === true,
      isForced: stream.IsForced === true,
      isExternal: stream.IsExternal === true,
    })),
  );
}
