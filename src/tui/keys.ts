/** Every key reelterm answers to, for the help overlay and the README. One list, so they agree. */
export const KEY_HELP: ReadonlyArray<{ section: string; keys: ReadonlyArray<[string, string]> }> = [
  {
    section: 'Everywhere',
    keys: [
      ['↑/↓ j/k', 'move'],
      ['g G Home End', 'first / last'],
      ['PgUp PgDn', 'page (also ^U ^D)'],
      ['enter', 'open / play'],
      ['esc backspace', 'back'],
      ['/', 'search'],
      ['w', 'toggle watched'],
      ['R', 'refresh the list'],
      ['S', 'sync screen'],
      ['o', 'settings'],
      ['r', 'retry sync now'],
      ['L', 'sign in again'],
      ['m', 'whole message'],
      ['?', 'this help'],
      ['q / Ctrl+C', 'quit / at once'],
    ],
  },
  {
    section: 'Now playing',
    keys: [
      ['space', 'pause / resume'],
      ['← / →', 'seek 10 s'],
      ['s', 'stop'],
      ['n / p', 'next / previous episode'],
      ['a', 'next audio track'],
      ['c', 'subtitles, then off'],
      ['enter', 'skip intro, recap, credits'],
    ],
  },
  {
    section: 'Sync screen',
    keys: [
      ['enter', 'retry the selected one'],
      ['d', 'discard it (asks y/n)'],
      ['r', 'retry everything now'],
    ],
  },
  {
    section: 'Settings',
    keys: [
      ['enter', 'change (enter saves)'],
      ['d', 'back to the default'],
    ],
  },
];

/** The keys that work on every screen, also while a question waits for its answer: quit and help. */
export const APP_KEYS: ReadonlySet<string> = new Set(['q', '?']);
