import type { UserDto } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { describe, expect, it } from 'vitest';
import { toUserProfile } from '../../src/servers/jellyfin/mappers.js';

describe('whether the server remembers a user\'s track selections', () => {
  it.each([
    ['both on', { RememberAudioSelections: true, RememberSubtitleSelections: true }, [true, true]],
    ['audio off', { RememberAudioSelections: false, RememberSubtitleSelections: true }, [false, true]],
    ['subtitles off', { RememberAudioSelections: true, RememberSubtitleSelections: false }, [true, false]],
    ['not said: Jellyfin\'s default, on', {}, [true, true]],
    ['no configuration at all', undefined, [true, true]],
    ['a configuration of the wrong type', 'yes', [true, true]],
    ['flags of the wrong type', { RememberAudioSelections: 'false', RememberSubtitleSelections: 0 }, [true, true]],
  ] as const)('%s', (_what, configuration, [audio, subtitle]) => {
    const profile = toUserProfile({ Id: 'u1', Name: 'ann', Configuration: configuration } as unknown as UserDto);
    expect(profile).toMatchObject({ rememberAudioSelections: audio, rememberSubtitleSelections: subtitle });
  });
});
