import { Box, Text } from 'ink';

/** A message too long for the message line, whole (`m` opens it; `esc` goes back). */
export function MessageScreen({ text, height }: { text: string; height: number }) {
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text bold>Message · esc back</Text>
      <Text wrap="wrap">{text}</Text>
    </Box>
  );
}
