import { Box, Text } from 'ink';
import { KEY_HELP } from '../keys.js';

type Line = { key: string; text: string; header?: boolean };

/** The sections as lines, a blank between sections, keys padded to the column's widest. */
function sectionLines(sections: typeof KEY_HELP): Line[] {
  const width = Math.max(...sections.flatMap((s) => s.keys.map(([k]) => k.length)));
  return sections.flatMap((section, index) => [
    ...(index > 0 ? [{ key: `${section.section}-gap`, text: ' ' }] : []),
    { key: section.section, text: section.section, header: true },
    ...section.keys.map(([key, what]) => ({ key: `${section.section}-${key}`, text: `  ${key.padEnd(width)}  ${what}` })),
  ]);
}

/**
 * The `?` overlay: every key, grouped, and under them `extra` (the demo server's addresses).
 * When one column does not fit the terminal's height, the sections flow into two. Any key closes it.
 */
export function HelpOverlay({ height, width = 80, extra = [] }: { height: number; width?: number; extra?: readonly string[] }) {
  const rows = Math.max(1, height - 1 - extra.length);
  const all = sectionLines(KEY_HELP);
  let columns: Line[][] = [all];
  if (all.length > rows) {
    // Split between sections, at the point that keeps the taller column shortest.
    let best = 1;
    let bestHeight = Number.POSITIVE_INFINITY;
    for (let split = 1; split < KEY_HELP.length; split++) {
      const tallest = Math.max(sectionLines(KEY_HELP.slice(0, split)).length, sectionLines(KEY_HELP.slice(split)).length);
      if (tallest < bestHeight) [best, bestHeight] = [split, tallest];
    }
    columns = [sectionLines(KEY_HELP.slice(0, best)), sectionLines(KEY_HELP.slice(best))];
  }
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text bold>Keys · any key closes this</Text>
      <Box flexDirection="row">
        {columns.map((lines, index) => (
          <Box key={index} flexDirection="column" width={columns.length > 1 ? Math.floor(width / 2) : width}>
            {lines.slice(0, rows).map((line) => (
              <Text key={line.key} bold={line.header} wrap="truncate-end">
                {line.text}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      {extra.map((line) => (
        <Text key={line} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
