import { Box, Text } from 'ink';
import { KEY_HELP } from '../keys.js';

/** The `?` overlay: every key, grouped. Any key closes it. */
export function HelpOverlay({ height }: { height: number }) {
  const width = Math.max(...KEY_HELP.flatMap((s) => s.keys.map(([k]) => k.length)));
  const lines: Array<{ key: string; text: string; header?: boolean }> = [];
  for (const section of KEY_HELP) {
    lines.push({ key: section.section, text: section.section, header: true });
    for (const [key, what] of section.keys) lines.push({ key: `${section.section}-${key}`, text: `  ${key.padEnd(width)}  ${what}` });
  }
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text bold>Keys · any key closes this</Text>
      {lines.slice(0, Math.max(0, height - 1)).map((line) => (
        <Text key={line.key} bold={line.header} wrap="truncate-end">
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
