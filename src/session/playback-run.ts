import { log } from '../log.js';
import type { Outbox, SettleResult } from '../sync/outbox.js';
import { PlaybackSession, type PlayerEvent, type ResumeRule, type SessionItem, type SessionView, type TrackRef } from './playback-session.js';
import { SegmentSkipper, segmentLabel, type MediaSegment, type SegmentSkipSettings } from './segment-skipper.js';
import { chooseTracks, nextStream, selectedIndexes, streamFor, trackRef, type CarriedTracks, type LanguagePreferences, type MediaTracks } from './track-choice.js';

/** How long a message answering a key ("This is the last item") stays on the now-playing screen. */
const PLAYER_MESSAGE_MS = 5000;
/** How soon an entry's details that could not be read are asked for again; each failure doubles it, up to the cap. */
const DETAILS_RETRY_FIRST_MS = 1000;
const DETAILS_RETRY_MAX_MS = 30_000;

/** One item of a run, in playlist order. */
export interface RunEntry {
  item: SessionItem;
  mediaSourceId: string;
  playSessionId?: string;
  /** Where mpv starts this entry, in seconds (0 for the episodes that follow). */
  startSeconds: number;
}

/** What is known about an entry once the server has been asked (tracks, segments, play session). */
export interface EntryDetails {
  tracks?: MediaTracks;
  segments?: MediaSegment[];
}

/** The mpv side of a run (`src/player`'s `Player` fits). */
export interface RunPlayer {
  subscribe(listener: (event: PlayerEvent) => void): () => void;
  togglePause(): Promise<void>;
  seek(seconds: number, mode: 'relative' | 'absolute'): Promise<void>;
  stop(): Promise<void>;
  next(): Promise<boolean>;
  previous(): Promise<boolean>;
  selectTrack(kind: 'audio' | 'subtitle', ref: TrackRef | null): Promise<boolean>;
  configureEntry(index: number, tracks: { subtitleFiles?: Array<{ url: string; title?: string; lang?: string }>; audio?: TrackRef; subtitle?: TrackRef | null }): void;
}

/** The now-playing view of a run: the current item's session view and what the screen shows around it. */
export interface RunView extends SessionView {
  title: string;
  /** Which entry plays (0-based) of how many. */
  index: number;
  count: number;
  /** The playing audio stream's label, "none" when nothing is heard from the file, undefined while unknown. */
  audio?: string;
  /** The selected subtitle's label, "Off", or undefined while unknown. */
  subtitle?: string;
  /** A segment being played that a key can skip, e.g. "intro". */
  segment?: string;
  /** A short message about the last action ("Last episode", "No other audio track"). */
  message?: string;
  /** Whether mpv played anything in this run (else the server was told nothing). */
  playedAny: boolean;
  /** Said once, when playback started: mpv has no window (no display) or no sound device here. */
  notice?: string;
}

/** Options for a run. */
export interface PlaybackRunOptions {
  entries: RunEntry[];
  player: RunPlayer;
  outbox: Pick<Outbox, 'enqueue' | 'settle'>;
  /**
   * Asks the server about an entry (asked for the next entry while one plays); a failure
   * (offline) leaves mpv's own track choice, no segments, and reports that name no tracks until
   * a later ask (while the entry plays) is answered.
   */
  details(entry: RunEntry): Promise<EntryDetails>;
  /** Details already fetched for the first entry (saves a round trip). */
  firstDetails?: EntryDetails;
  languages: LanguagePreferences;
  segments: SegmentSkipSettings;
  /** The server's resume and played rules. */
  rules: ResumeRule;
  startClearsPlayed?: boolean;
  /** Called when an item's playback ends, with its final local view. */
  onItemEnded?(itemId: string, view: SessionView): void;
}

/** The one sentence that says what mpv lacks here. */
function outputsNotice(outputs: { window: boolean; sound: boolean }): string {
  if (!outputs.window && !outputs.sound) return 'mpv has no window here (no display) and no sound device: it plays unseen and unheard';
  return outputs.window ? 'mpv has no sound device here: picture only' : 'mpv has no window here (no display); sound only';
}

function ignoreFailure(work: Promise<unknown>, what: string): void {
  work.catch((error: unknown) => log.warn(`player control failed: ${what}`, { error }));
}

/**
 * One sitting in mpv: the chosen item and, with continuous play, the episodes after it in
 * mpv's playlist. Each item gets its own `PlaybackSession` (start, progress, stop and played
 * through the outbox); moving to the next file ends one and starts the next. Tracks are chosen
 * as `chooseTracks` says (what the user had in the item before, the server's remembered choice,
 * the user's languages), and every report names the ones playing; segments are skipped or
 * offered as the settings say.
 */
export class PlaybackRun {
  /** Resolves with the last item's final view once the whole run has ended and its stop is queued. */
  readonly ended: Promise<SessionView>;

  private readonly options: PlaybackRunOptions;
  private readonly player: RunPlayer;
  private readonly listeners = new Set<() => void>();
  private readonly played = new Set<string>();
  private session!: PlaybackSession;
  private index = 0;
  private tracks: MediaTracks | undefined;
  private selected: { audio: TrackRef | null; subtitle: TrackRef | null } | undefined;
  /** What the user had at the end of the last item whose tracks were known: the next one takes it. */
  private carried: CarriedTracks = {};
  /** Details asked for, by entry index: the next entry's are asked for while one plays. */
  private readonly asked = new Map<number, Promise<EntryDetails>>();
  private skipper: SegmentSkipper | undefined;
  private message: string | undefined;
  private messageTimer: ReturnType<typeof setTimeout> | undefined;
  private detailsTimer: ReturnType<typeof setTimeout> | undefined;
  /** The whole run has ended: nothing more is asked of the server. */
  private finished = false;
  private notice: string | undefined;
  /** mpv has no sound device (it plays no audio track). */
  private noSound = false;
  /** What the server said when it ended the playback. */
  private serverEnded: string | undefined;
  private playedAny = false;
  private current!: RunView;
  private unsubscribeSession: (() => void) | undefined;
  private resolveEnded!: (view: SessionView) => void;

  constructor(options: PlaybackRunOptions) {
    this.options = options;
    this.player = options.player;
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  /** Starts the first item's session and follows the player. Call once, right after mpv is launched. */
  start(): void {
    this.begin(0, this.options.firstDetails);
    this.player.subscribe((event) => this.handle(event));
  }

  /** The current view. */
  get view(): RunView {
    return this.current;
  }

  /** Calls `listener` whenever the view changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  togglePause(): void {
    ignoreFailure(this.player.togglePause(), 'pause');
  }

  seek(deltaSeconds: number): void {
    ignoreFailure(this.player.seek(deltaSeconds, 'relative'), 'seek');
  }

  stop(): void {
    ignoreFailure(this.player.stop(), 'stop');
  }

  /** The server ended this playback (an admin stopped the stream): mpv stops, and the end says why. */
  endedByServer(itemId: string, text: string): void {
    if (this.finished || this.options.entries[this.index]?.item.id !== itemId) return;
    this.serverEnded = text;
    this.stop();
  }

  /** Skips to the next item (`n`) or back to the previous one (`p`). */
  skip(direction: 'next' | 'previous'): void {
    const move = direction === 'next' ? this.player.next() : this.player.previous();
    move.then(
      (moved) => {
        if (!moved) this.say(direction === 'next' ? 'This is the last item' : 'This is the first item');
      },
      (error: unknown) => log.warn('player control failed: skip', { error }),
    );
  }

  /** Selects the next audio stream (`a`), or subtitle stream with "off" among them (`c`). */
  cycleTrack(kind: 'audio' | 'subtitle'): void {
    if (kind === 'audio' && this.noSound) {
      // mpv plays no audio track at all without a sound device: nothing to switch.
      this.say('mpv has no sound device here: no audio track plays, so there is none to switch to');
      return;
    }
    if (this.tracks === undefined) {
      this.say('The tracks are not known (the server could not be asked): mpv plays its own choice');
      return;
    }
    const streams = kind === 'audio' ? this.tracks.audio : this.tracks.subtitles;
    if (streams.length === 0) {
      this.say(kind === 'audio' ? 'This has no audio track' : 'This has no subtitles');
      return;
    }
    if (kind === 'audio' && streams.length === 1) {
      this.say(`${streams[0]!.label} is the only audio track`);
      return;
    }
    const current = streamFor(streams, (kind === 'audio' ? this.selected?.audio : this.selected?.subtitle) ?? null);
    const next = nextStream(streams, current, kind === 'subtitle');
    if (next === undefined) return;
    ignoreFailure(this.player.selectTrack(kind, next === null ? null : trackRef(next)), 'select track');
  }

  /** Skips the segment on offer (`ask` mode). */
  skipSegment(): void {
    if (this.skipper?.skip()) this.refresh();
  }

  /** Waits until every item played in this run has synced, or the timeout. */
  settle(timeoutMs: number): Promise<SettleResult> {
    const items = [...this.played];
    if (items.length === 1) return this.options.outbox.settle({ itemId: items[0]!, timeoutMs });
    return this.options.outbox.settle({ timeoutMs });
  }

  private begin(index: number, known: EntryDetails | undefined): void {
    const entry = this.options.entries[index];
    if (entry === undefined) return;
    this.index = index;
    // mpv's selection (`selected`) is kept: the player tells only of a change, so a next file
    // that selects the same places as the one before brings no `tracks` event.
    this.tracks = undefined;
    this.skipper = undefined;
    this.message = undefined;
    this.played.add(entry.item.id);
    this.session = new PlaybackSession({
      item: entry.item,
      outbox: this.options.outbox,
      rules: this.options.rules,
      mediaSourceId: entry.mediaSourceId,
      ...(entry.playSessionId !== undefined ? { playSessionId: entry.playSessionId } : {}),
      ...(this.options.startClearsPlayed !== undefined ? { startClearsPlayed: this.options.startClearsPlayed } : {}),
    });
    this.unsubscribeSession?.();
    this.unsubscribeSession = this.session.subscribe(() => this.refresh());
    if (known !== undefined) this.apply(index, known);
    else this.askDetails(index, this.session, DETAILS_RETRY_FIRST_MS);
    this.refresh();
  }

  /**
   * Asks for the entry's details and applies them while its session is current. A failure (a
   * slow or absent server) is asked again, later each time, while the entry plays: until they
   * come, mpv plays its own choice, `a` and `c` cannot name the tracks, and the reports name
   * none, which a 10.11 server takes as "nothing remembered".
   */
  private askDetails(index: number, session: PlaybackSession, retryMs: number): void {
    this.detailsOf(index).then(
      (details) => {
        if (this.session === session) this.apply(index, details);
      },
      (error: unknown) => {
        if (this.session !== session || this.finished) return;
        log.info('no track or segment details for this item yet; mpv chooses, asking again', { error: (error as Error).message, inMs: retryMs });
        clearTimeout(this.detailsTimer);
        this.detailsTimer = setTimeout(() => {
          if (this.session === session && !this.finished) this.askDetails(index, session, Math.min(retryMs * 2, DETAILS_RETRY_MAX_MS));
        }, retryMs);
        this.detailsTimer.unref?.();
      },
    );
  }

  /** The entry's details, asked for once; a failure is forgotten, so coming back to the entry asks again. */
  private detailsOf(index: number): Promise<EntryDetails> {
    const entry = this.options.entries[index]!;
    let details = this.asked.get(index);
    if (details === undefined) {
      details = this.options.details(entry);
      this.asked.set(index, details);
      details.catch(() => this.asked.delete(index));
    }
    return details;
  }

  /** Asks early for the next entry's details, so its tracks are chosen before its file opens. */
  private prepareNext(index: number): void {
    if (this.options.entries[index + 1] === undefined) return;
    this.detailsOf(index + 1).catch(() => undefined);
  }

  private apply(index: number, details: EntryDetails): void {
    if (details.tracks !== undefined) {
      this.tracks = details.tracks;
      const choice = chooseTracks(details.tracks, this.options.languages, this.carried);
      const files = details.tracks.subtitles.filter((stream) => stream.url !== undefined);
      this.player.configureEntry(index, {
        subtitleFiles: files.map((stream) => ({ url: stream.url!, title: stream.label, ...(stream.language ? { lang: stream.language } : {}) })),
        ...(choice.audio !== undefined ? { audio: trackRef(choice.audio) } : {}),
        subtitle: choice.subtitle === null ? null : trackRef(choice.subtitle),
      });
    }
    // The credits' start: where a server may count the watch (Plex's default completion point).
    this.session.setCredits(details.segments?.filter((segment) => segment.type === 'Outro').map((segment) => segment.startSeconds).sort((a, b) => a - b)[0]);
    if (details.segments !== undefined && details.segments.length > 0) {
      this.skipper = new SegmentSkipper(details.segments, this.options.segments, (seconds) => ignoreFailure(this.player.seek(seconds, 'absolute'), 'skip segment'));
    }
    this.reportStreams();
    this.refresh();
    this.prepareNext(index);
  }

  private handle(event: PlayerEvent): void {
    switch (event.type) {
      case 'tick':
      case 'seek':
        // The first tick of a file is mpv playing it: only now is the server told it started.
        this.session.start(event.positionSeconds);
        this.playedAny = true;
        this.session.handle(event);
        if (this.skipper?.update(event.positionSeconds)) this.refresh();
        return;
      case 'pause':
      case 'resume':
        this.session.start(event.positionSeconds);
        this.playedAny = true;
        this.session.handle(event);
        return;
      case 'tracks':
        this.selected = { audio: event.audio, subtitle: event.subtitle };
        this.reportStreams();
        this.refresh();
        return;
      case 'outputs':
        this.noSound = !event.sound;
        this.notice = outputsNotice(event);
        log.info('mpv cannot show or sound everything here', { window: event.window, sound: event.sound, notice: this.notice });
        this.refresh();
        return;
      case 'next': {
        this.carryTracks();
        // The ended item's last view must not reach the screen as "stopped": the next one follows.
        this.unsubscribeSession?.();
        this.endItem({
          type: 'end',
          reason: event.reason === 'eof' ? 'eof' : 'stop',
          positionSeconds: event.positionSeconds,
          ...(event.durationSeconds !== undefined ? { durationSeconds: event.durationSeconds } : {}),
        });
        this.begin(event.index, undefined);
        return;
      }
      case 'end': {
        const ended = this.endItem(this.serverEnded !== undefined ? { ...event, error: `the server ended it: ${this.serverEnded}` } : event);
        this.finished = true;
        clearTimeout(this.detailsTimer);
        void ended.then((view) => {
          if (this.messageTimer !== undefined) clearTimeout(this.messageTimer);
          this.resolveEnded(view);
        });
        return;
      }
    }
  }

  /** Tells the session which of the server's streams mpv plays, once both are known. */
  private reportStreams(): void {
    if (this.tracks !== undefined && this.selected !== undefined) this.session.selectStreams(selectedIndexes(this.tracks, this.selected));
  }

  /** Keeps what the user has now for the next item; an item whose tracks are unknown leaves the last known choice. */
  private carryTracks(): void {
    if (this.tracks === undefined || this.selected === undefined) return;
    const audio = streamFor(this.tracks.audio, this.selected.audio);
    const subtitle = this.selected.subtitle === null ? null : streamFor(this.tracks.subtitles, this.selected.subtitle);
    this.carried = { ...(audio !== undefined ? { audio } : {}), ...(subtitle !== undefined ? { subtitle } : {}) };
  }

  private endItem(event: Extract<PlayerEvent, { type: 'end' }>): Promise<SessionView> {
    const session = this.session;
    session.handle(event);
    return session.ended.then((view) => {
      this.options.onItemEnded?.(session.itemId, view);
      return view;
    });
  }

  /** What is heard: the server's label for mpv's audio track, "none", or undefined while unknown. */
  private audioLabel(): string | undefined {
    if (this.selected?.audio === null || this.tracks?.audio.length === 0) return 'none';
    if (this.selected === undefined) return undefined;
    const known = this.tracks !== undefined ? streamFor(this.tracks.audio, this.selected.audio) : undefined;
    if (known !== undefined) return known.label;
    // The server could not be asked (offline): mpv's own place for the track.
    return 'embedded' in this.selected.audio ? `track ${this.selected.audio.embedded + 1}` : undefined;
  }

  /** A message answers a key: it goes after a few seconds, not at the next file. */
  private say(message: string): void {
    this.message = message;
    if (this.messageTimer !== undefined) clearTimeout(this.messageTimer);
    this.messageTimer = setTimeout(() => {
      this.messageTimer = undefined;
      if (this.message !== message) return;
      this.message = undefined;
      this.refresh();
    }, PLAYER_MESSAGE_MS);
    this.messageTimer.unref?.();
    this.refresh();
  }

  private refresh(): void {
    const entry = this.options.entries[this.index]!;
    const audio = this.audioLabel();
    const subtitle = this.tracks && this.selected ? (this.selected.subtitle === null ? 'Off' : streamFor(this.tracks.subtitles, this.selected.subtitle)?.label) : undefined;
    const offered = this.skipper?.offered;
    this.current = {
      ...this.session.view,
      title: entry.item.title,
      index: this.index,
      count: this.options.entries.length,
      playedAny: this.playedAny,
      ...(audio !== undefined ? { audio } : {}),
      ...(subtitle !== undefined ? { subtitle } : {}),
      ...(offered !== undefined ? { segment: segmentLabel(offered.type) } : {}),
      ...(this.message !== undefined ? { message: this.message } : {}),
      ...(this.notice !== undefined ? { notice: this.notice } : {}),
    };
    for (const listener of this.listeners) listener();
  }
}
