/** Every key reelterm answers to, for the help overlay and the README. One list, so they agree. */
export const KEY_HELP: ReadonlyArray<{ section: string; keys: ReadonlyArray<[string, string]> }> = [
  {
    section: 'Everywhere',
    keys: [
      ['↑/↓ j/k', 'move'],
      ['g / G', 'first / last'],
      ['PgUp/PgDn', 'page up / down'],
      ['enter', 'open / play'],
      ['esc backspace', 'back'],
      ['/', 'search'],
      ['w', 'toggle watched'],
      ['S', 'sync screen'],
      ['r', 'retry sync now'],
      ['L', 'sign in again (when the server signed you out)'],
      ['?', 'this help'],
      ['q', 'quit (waits briefly for sync)'],
    ],
  },
  {
    section: 'Now playing',
    keys: [
      ['space', 'pause / resume'],
      ['← / →', 'seek 10 s'],
      ['s', 'stop'],
    ],
  },
  {
    section: 'Sync screen',
    keys: [
      ['enter', 'retry the selected update'],
      ['d', 'discard it (asks y/n)'],
      ['r', 'retry everything now'],
    ],
  },
];
