import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_INDEX_OFFSET, EXTERNAL_SUBTITLE_INDEX, locateClip } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

const v10 = useDemoServer();
const v12 = useDemoServer({ version: '12.0.0' });

interface ProbedStream {
  index: number;
  codec_type: string;
  codec_name: string;
  channels?: number;
  sample_rate?: string;
  width?: number;
  height?: number;
  disposition: { default: number; forced: number };
  tags?: { language?: string; title?: string };
}

const probed = (JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', locateClip().path], { encoding: 'utf8' })) as { streams: ProbedStream[] }).streams;

const TYPES: Record<string, string> = { video: 'Video', audio: 'Audio', subtitle: 'Subtitle' };
const SUBTITLE_PROFILES = [
  { Format: 'srt', Method: 'External' },
  { Format: 'vtt', Method: 'External' },
];

async function playbackInfo(body?: unknown, item = v10().library.first('Movie').id) {
  const token = await rawSignIn(v10());
  return raw(v10(), 'POST', `/Items/${item}/PlaybackInfo`, { token, body });
}

describe('the streams of a video', () => {
  it('are one external subtitle, then the clip\'s own streams as ffprobe sees them, numbered after it as Jellyfin does', async () => {
    const reply = await playbackInfo({});
    const streams = reply.json.MediaSources[0].MediaStreams as Array<Record<string, unknown>>;
    expect(EXTERNAL_SUBTITLE_INDEX).toBe(0);
    expect(EMBEDDED_INDEX_OFFSET).toBe(1);
    expect(streams.map((stream) => stream.Index)).toEqual([EXTERNAL_SUBTITLE_INDEX, ...probed.map((stream) => stream.index + EMBEDDED_INDEX_OFFSET)]);
    expect(streams[0]).toMatchObject({ Index: EXTERNAL_SUBTITLE_INDEX, Type: 'Subtitle', Codec: 'srt', Language: 'ger', IsExternal: true });
    const own = streams.slice(1);
    probed.forEach((probe, at) => {
      expect(own[at]).toMatchObject({
        Index: probe.index + EMBEDDED_INDEX_OFFSET,
        Type: TYPES[probe.codec_type],
        Codec: probe.codec_name,
        Language: probe.tags?.language,
        IsDefault: probe.disposition.default === 1,
        IsForced: probe.disposition.forced === 1,
        IsExternal: false,
      });
      if (probe.channels !== undefined) expect(own[at]).toMatchObject({ Channels: probe.channels, SampleRate: Number(probe.sample_rate) });
      if (probe.width !== undefined) expect(own[at]).toMatchObject({ Width: probe.width, Height: probe.height });
      expect(own[at]).not.toHaveProperty('Title');
    });
    expect(probed.map((stream) => `${stream.codec_type}:${stream.tags?.language}`)).toEqual(['video:und', 'audio:eng', 'audio:fre', 'subtitle:eng', 'subtitle:spa']);
  });

  it('carry Jellyfin\'s display titles and text-subtitle flags', async () => {
    const streams = (await playbackInfo({})).json.MediaSources[0].MediaStreams as Array<Record<string, unknown>>;
    expect(streams.map((stream) => [stream.DisplayTitle, stream.IsTextSubtitleStream, stream.SupportsExternalStream])).toEqual([
      ['Ger - SRT - External', true, true],
      ['144p H264 SDR', false, false],
      ['English - AAC - Mono - Default', false, false],
      ['Fre - AAC - Mono', false, false],
      ['English - Default - MOV_TEXT', true, true],
      ['Spanish - MOV_TEXT', true, true],
    ]);
    expect(streams[0]).toMatchObject({ Index: EXTERNAL_SUBTITLE_INDEX, Type: 'Subtitle', Codec: 'srt', Language: 'ger', IsExternal: true, IsDefault: false });
  });

  it('name the default audio and subtitle streams as Jellyfin picks them for the demo user', async () => {
    const source = (await playbackInfo()).json.MediaSources[0];
    // The default English audio (ffprobe 1) and the default English mov_text subtitle (ffprobe 3), numbered after the external one
    expect(source).toMatchObject({ DefaultAudioStreamIndex: 1 + EMBEDDED_INDEX_OFFSET, DefaultSubtitleStreamIndex: 3 + EMBEDDED_INDEX_OFFSET });
    expect(source).toMatchObject({ DefaultAudioStreamIndex: 2, DefaultSubtitleStreamIndex: 4 });
    const chosen = source.MediaStreams.find((stream: { Index: number }) => stream.Index === 4);
    expect(chosen).toMatchObject({ Type: 'Subtitle', Language: 'eng', IsDefault: true });
    expect(chosen.Score).toBe(112221);
  });

  it('are the same in /Items with Fields=MediaSources, without delivery details', async () => {
    const token = await rawSignIn(v10());
    const movie = v10().library.first('Movie');
    const items = await raw(v10(), 'GET', `/Items?ids=${movie.id}&fields=MediaSources`, { token });
    const viaItems = items.json.Items[0].MediaSources[0];
    const viaPlayback = (await playbackInfo({ DeviceProfile: { SubtitleProfiles: SUBTITLE_PROFILES } })).json.MediaSources[0];
    expect(viaItems.MediaStreams.map((stream: { Index: number }) => stream.Index)).toEqual(viaPlayback.MediaStreams.map((stream: { Index: number }) => stream.Index));
    expect(viaItems.MediaStreams.some((stream: object) => 'DeliveryUrl' in stream || 'DeliveryMethod' in stream)).toBe(false);
  });
});

describe('subtitle delivery in PlaybackInfo', () => {
  it('is left out when the client sends no DeviceProfile, as Jellyfin does', async () => {
    for (const reply of [await playbackInfo(), await playbackInfo({ MediaSourceId: v10().library.first('Movie').id })]) {
      expect(reply.json.MediaSources[0].MediaStreams.some((stream: object) => 'DeliveryMethod' in stream)).toBe(false);
    }
  });

  it('gives each subtitle an External URL with the caller\'s token as ApiKey when the profile takes srt', async () => {
    // Given a client whose profile takes external srt and vtt
    const token = await rawSignIn(v10());
    const movie = v10().library.first('Movie');
    const reply = await raw(v10(), 'POST', `/Items/${movie.id}/PlaybackInfo`, { token, body: { DeviceProfile: { SubtitleProfiles: SUBTITLE_PROFILES } } });
    // Then every subtitle track is delivered as srt, the item id dashed, the source id not
    const dashed = movie.id.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const subtitles = (reply.json.MediaSources[0].MediaStreams as Array<Record<string, unknown>>).filter((stream) => stream.Type === 'Subtitle');
    expect(subtitles.map((stream) => [stream.Index, stream.DeliveryMethod, stream.DeliveryUrl, stream.IsExternalUrl])).toEqual(
      [EXTERNAL_SUBTITLE_INDEX, 4, 5].map((index) => [index, 'External', `/Videos/${dashed}/${movie.id}/Subtitles/${index}/0/Stream.srt?ApiKey=${token}`, false]),
    );
  });

  it('embeds what the profile can embed and converts the rest to the format it takes', async () => {
    const reply = await playbackInfo({ DeviceProfile: { SubtitleProfiles: [{ Format: 'mov_text', Method: 'Embed' }, { Format: 'vtt', Method: 'External' }] } });
    const subtitles = (reply.json.MediaSources[0].MediaStreams as Array<Record<string, unknown>>).filter((stream) => stream.Type === 'Subtitle');
    expect(subtitles.map((stream) => [stream.DeliveryMethod, typeof stream.DeliveryUrl === 'string' ? (stream.DeliveryUrl as string).replace(/^.*\/Subtitles\//, '') : undefined])).toEqual([
      ['External', expect.stringMatching(/^0\/0\/Stream\.vtt\?ApiKey=/)],
      ['Embed', undefined],
      ['Embed', undefined],
    ]);
  });

  it('falls back to burning in (Encode) when the profile lists no subtitle format', async () => {
    const reply = await playbackInfo({ DeviceProfile: {} });
    const methods = (reply.json.MediaSources[0].MediaStreams as Array<Record<string, unknown>>).filter((stream) => stream.Type === 'Subtitle').map((stream) => stream.DeliveryMethod);
    expect(methods).toEqual(['Encode', 'Encode', 'Encode']);
  });

  it('makes the requested audio and subtitle streams the defaults of the requested source', async () => {
    const movie = v10().library.first('Movie');
    // The French audio and the external German subtitle, neither of them a default
    const reply = await playbackInfo({ DeviceProfile: {}, MediaSourceId: movie.id, AudioStreamIndex: 3, SubtitleStreamIndex: EXTERNAL_SUBTITLE_INDEX }, movie.id);
    expect(reply.json.MediaSources[0]).toMatchObject({ DefaultAudioStreamIndex: 3, DefaultSubtitleStreamIndex: EXTERNAL_SUBTITLE_INDEX });
  });
});

describe('the streams on 12.0', () => {
  it('say whether a stream is the original-language one (12.0 adds IsOriginal)', async () => {
    const token = await rawSignIn(v12());
    const movie = v12().library.first('Movie');
    const reply = await raw(v12(), 'GET', `/Items/${movie.id}/PlaybackInfo`, { token });
    expect(reply.json.MediaSources[0].MediaStreams.every((stream: { IsOriginal?: boolean }) => stream.IsOriginal === false)).toBe(true);
  });
});
