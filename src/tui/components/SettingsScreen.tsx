import { Box, Text } from 'ink';
import { useState } from 'react';
import type { EditableSetting, Settings } from '../../config/settings.js';
import { useKeyState } from '../hooks/use-key-state.js';
import { useKeys } from '../hooks/use-keys.js';
import { listMove, useListNavigation } from '../hooks/use-list-navigation.js';
import { defaultOf, editText, formatSetting, nextValue, parseSetting, SETTING_ROWS } from '../settings-form.js';
import { toneColour } from '../theme.js';
import { WindowedList } from './WindowedList.js';

/** The settings as the screen reads and writes them (saved to config.json at once). */
export interface SettingsStore {
  values(): Readonly<Settings>;
  /** Validates and saves; returns what is wrong (nothing saved), or undefined. */
  save<K extends EditableSetting>(key: K, value: Settings[K]): string | undefined;
  /** Where they are kept, to tell the user. */
  path: string;
}

/**
 * Every setting with its value. `enter` toggles a switch, cycles a choice, or edits a value
 * (enter saves, esc cancels); `d` puts the default back. Changes are written at once.
 * `onEditing` tells the app when esc belongs to the editor rather than "back".
 */
export function SettingsScreen({ store, height, active = true, onEditing }: { store: SettingsStore; height: number; active?: boolean; onEditing?: (editing: boolean) => void }) {
  const editing = useKeyState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>(undefined);
  const listHeight = Math.max(1, height - 4);
  // The list moves from this screen's own handler: whether a value is being edited is known at
  // key time there (`⏎` then `j` in one burst types a j), not only once the screen has redrawn.
  const [selected, select, latest] = useListNavigation(SETTING_ROWS.length, listHeight, false);
  const values = store.values();

  const setEditing = (text: string | undefined) => {
    editing.set(text);
    onEditing?.(text !== undefined);
  };
  const save = (key: EditableSetting, value: unknown) => {
    const problem = store.save(key, value as never);
    const row = SETTING_ROWS.find((candidate) => candidate.key === key)!;
    if (problem !== undefined) setMessage({ text: `${key} ${problem}`, error: true });
    else setMessage({ text: `Saved ${key}${row.applies === 'now' ? '' : ` (applies from the ${row.applies})`}.`, error: false });
    return problem === undefined;
  };

  useKeys(
    (input, key) => {
      const row = SETTING_ROWS[latest.current]!;
      const text = editing.current;
      if (text !== undefined) {
        // Every key belongs to the editor, esc included: it cancels the edit, not the screen.
        if (key.escape) setEditing(undefined);
        else if (key.return) {
          const parsed = parseSetting(row, text);
          if ('error' in parsed) setMessage({ text: `${row.key}: ${parsed.error}`, error: true });
          else if (save(row.key, parsed.value)) setEditing(undefined);
        } else if (key.backspace || key.delete) editing.set((current) => (current ?? '').slice(0, -1));
        else if (!key.ctrl && !key.meta && input && !/[\x00-\x1f\x7f]/.test(input)) editing.set((current) => (current ?? '') + input);
        return true;
      }
      const move = listMove(input, key, latest.current, SETTING_ROWS.length, listHeight);
      if (move !== undefined) select(move);
      else if (key.return) {
        if (row.kind === 'toggle' || row.kind === 'choice') save(row.key, nextValue(row, store.values()[row.key]));
        else {
          setMessage(undefined);
          setEditing(editText(row, store.values()[row.key]));
        }
      } else if (input === 'd') save(row.key, defaultOf(row.key));
    },
    { isActive: active },
  );

  const width = Math.max(...SETTING_ROWS.map((row) => row.label.length));
  const text = editing.current;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">{`Settings · ${store.path}`}</Text>
      <Box flexGrow={1} flexDirection="column">
        <WindowedList
          count={SETTING_ROWS.length}
          selected={selected}
          height={listHeight}
          row={(i) => {
            const row = SETTING_ROWS[i]!;
            const shown = i === selected && text !== undefined ? `${text}▏` : formatSetting(row, values[row.key]);
            return `${row.label.padEnd(width)}  ${shown}`;
          }}
        />
      </Box>
      {message !== undefined ? (
        <Text color={message.error ? toneColour('error') : toneColour('ok')} wrap="truncate-end">{message.text}</Text>
      ) : null}
      <Text dimColor wrap="truncate-end">{text !== undefined ? 'type the new value · enter save · esc cancel' : 'enter change · d default · esc back'}</Text>
    </Box>
  );
}
