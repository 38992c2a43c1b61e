import { EventEmitter } from 'node:events';
import { Box, render, Text, type DOMElement } from 'ink';
import { createRef } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drawInPlace } from '../../src/tui/draw-in-place.js';

/** A terminal as Ink sees one: a TTY of a size, keeping what is written. */
function terminal(columns: number, rows: number) {
  const stream = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns,
    rows,
    writes: [] as string[],
    write(chunk: string) {
      stream.writes.push(chunk);
      return true;
    },
  });
  return stream as typeof stream & NodeJS.WriteStream;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('drawInPlace', () => {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  beforeEach(() => {
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  async function drawn(columns: number, rows: number) {
    const stdout = terminal(columns, rows);
    const lines = createRef<DOMElement>();
    const app = render(
      <Box flexDirection="column" height={4}>
        <Text>Title</Text>
        <Box ref={lines} flexDirection="column">
          <Text>▶ Playing  0:01 / 10:00</Text>
        </Box>
      </Box>,
      { stdout, stdin: Object.assign(new EventEmitter(), { isTTY: false }) as unknown as NodeJS.ReadStream, patchConsole: false },
    );
    await settle();
    return { stdout, app, line: lines.current!.childNodes[0] as DOMElement };
  }

  it('writes the new text at its line of the frame, padded to its width, between save and restore cursor', async () => {
    // Given a frame drawn by Ink
    const { stdout, app, line } = await drawn(30, 10);
    stdout.writes.length = 0;
    // When the line changes
    expect(drawInPlace(stdout, [{ element: line, text: '▶ Playing  0:02 / 10:00' }])).toBe(true);
    // Then only that line is written, in place, and Ink's node holds it for its next frame
    expect(stdout.writes).toEqual([`\x1b7\x1b[2;1H▶ Playing  0:02 / 10:00${' '.repeat(7)}\x1b8`]);
    expect((line.childNodes[0] as { nodeValue: string }).nodeValue).toBe('▶ Playing  0:02 / 10:00');
    app.unmount();
  });

  it('writes nothing where Ink would not draw the line as it is: a frame as tall as the terminal, a line too long', async () => {
    const tall = await drawn(30, 4);
    tall.stdout.writes.length = 0;
    expect(drawInPlace(tall.stdout, [{ element: tall.line, text: '▶ Playing  0:02 / 10:00' }])).toBe(false);
    expect(tall.stdout.writes).toEqual([]);
    tall.app.unmount();
    const narrow = await drawn(30, 10);
    narrow.stdout.writes.length = 0;
    expect(drawInPlace(narrow.stdout, [{ element: narrow.line, text: `▶ Playing  ${'9'.repeat(30)}` }])).toBe(false);
    expect(narrow.stdout.writes).toEqual([]);
    narrow.app.unmount();
  });
});
