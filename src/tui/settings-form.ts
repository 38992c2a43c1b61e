import { DEFAULT_SETTINGS, SEGMENT_TYPES, type EditableSetting, type Settings } from '../config/settings.js';

/** How a setting is edited on the settings screen. */
type Kind = 'toggle' | 'choice' | 'seconds' | 'text' | 'list' | 'args';

/** One row of the settings screen. */
export interface SettingRow {
  key: EditableSetting;
  label: string;
  kind: Kind;
  /** For `choice`: the values `enter` cycles through. */
  choices?: readonly string[];
  /** When a change takes effect. */
  applies: 'now' | 'next play' | 'next start';
}

/** The settings screen's rows, in order (the config file has the same keys). */
export const SETTING_ROWS: readonly SettingRow[] = [
  { key: 'continuousPlay', label: 'Continuous play (queue the next episodes)', kind: 'toggle', applies: 'next play' },
  { key: 'audioLanguages', label: 'Preferred audio languages', kind: 'list', applies: 'next play' },
  { key: 'subtitleLanguages', label: 'Preferred subtitle languages', kind: 'list', applies: 'next play' },
  { key: 'skipSegments', label: 'Skip intros, recaps, credits', kind: 'choice', choices: ['ask', 'auto', 'off'], applies: 'next play' },
  { key: 'skipSegmentTypes', label: 'Segments to skip', kind: 'list', applies: 'next play' },
  { key: 'progressIntervalSeconds', label: 'Progress report interval', kind: 'seconds', applies: 'now' },
  { key: 'syncWaitSeconds', label: 'Wait for sync when leaving or quitting', kind: 'seconds', applies: 'now' },
  { key: 'requestTimeoutSeconds', label: 'Server request timeout', kind: 'seconds', applies: 'next start' },
  { key: 'mpvPath', label: 'mpv program', kind: 'text', applies: 'next play' },
  { key: 'mpvArgs', label: 'Extra mpv arguments', kind: 'args', applies: 'next play' },
  { key: 'insecure', label: 'Accept untrusted certificates', kind: 'toggle', applies: 'next start' },
];

/** Quotes an mpv argument only when it needs it. */
function quoteArg(arg: string): string {
  return /^[^\s"']+$/.test(arg) ? arg : `"${arg.replace(/(["\\])/g, '\\$1')}"`;
}

/** Splits `--a=1 "--title=two words"` like a shell would (quotes and backslashes, no expansion). */
export function splitArgs(text: string): string[] | undefined {
  const args: string[] = [];
  let current = '';
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length && quote !== "'") {
      current += text[++i];
      started = true;
    } else if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote !== undefined) return undefined;
  if (started) args.push(current);
  return args;
}

/** A setting's value as the screen shows it (and as the editor starts from). */
export function formatSetting(row: SettingRow, value: unknown): string {
  switch (row.kind) {
    case 'toggle':
      return value ? 'on' : 'off';
    case 'seconds':
      return `${String(value)} s`;
    case 'list':
      return (value as string[]).length === 0 ? (row.key === 'skipSegmentTypes' ? 'none' : "server's default") : (value as string[]).join(', ');
    case 'args':
      return (value as string[]).map(quoteArg).join(' ');
    default:
      return String(value);
  }
}

/** The text the editor starts with. */
export function editText(row: SettingRow, value: unknown): string {
  if (row.kind === 'seconds') return String(value);
  if (row.kind === 'list') return (value as string[]).join(', ');
  return formatSetting(row, value);
}

/** The value for a typed text, or what is wrong with it. */
export function parseSetting(row: SettingRow, text: string): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  switch (row.kind) {
    case 'seconds': {
      const seconds = Number(trimmed.replace(/\s*s$/, ''));
      return trimmed !== '' && Number.isFinite(seconds) ? { value: seconds } : { error: `"${trimmed}" is not a number of seconds` };
    }
    case 'list': {
      const items = trimmed === '' ? [] : trimmed.split(/[\s,]+/).filter((item) => item !== '');
      if (row.key === 'skipSegmentTypes') {
        const known = items.map((item) => SEGMENT_TYPES.find((type) => type.toLowerCase() === item.toLowerCase()) ?? item);
        return { value: known };
      }
      return { value: items };
    }
    case 'args': {
      const args = splitArgs(trimmed);
      return args === undefined ? { error: 'a quote is not closed' } : { value: args };
    }
    default:
      return { value: trimmed };
  }
}

/** The value `enter` gives a toggle or a choice. */
export function nextValue(row: SettingRow, value: unknown): unknown {
  if (row.kind === 'toggle') return !value;
  const choices = row.choices ?? [];
  return choices[(choices.indexOf(String(value)) + 1) % choices.length];
}

/** The default, for "d resets" and the README. */
export function defaultOf(key: EditableSetting): Settings[EditableSetting] {
  return structuredClone(DEFAULT_SETTINGS[key]);
}
