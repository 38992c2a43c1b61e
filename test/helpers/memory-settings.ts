import { DEFAULT_SETTINGS, settingProblem, type EditableSetting, type Settings } from '../../src/config/settings.js';
import type { SettingsStore } from '../../src/tui/components/SettingsScreen.js';

/** A settings store in memory that saves what is valid (as the real one does) and says what it saved. */
export function memorySettings(overrides: Partial<Settings> = {}): { store: SettingsStore; values: Settings; saved: Array<[string, unknown]> } {
  const values: Settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: 'x', ...overrides };
  const saved: Array<[string, unknown]> = [];
  const store: SettingsStore = {
    values: () => values,
    path: '/home/ann/.config/reelterm/config.json',
    save<K extends EditableSetting>(key: K, value: Settings[K]) {
      const problem = settingProblem(key, value);
      if (problem === undefined) {
        values[key] = value;
        saved.push([key, value]);
      }
      return problem;
    },
  };
  return { store, values, saved };
}
