import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { accentColour } from '../theme.js';

/** The first visible row for a window of `height` rows that keeps `selected` in view, centred when it can. */
export function windowStart(selected: number, count: number, height: number): number {
  if (count <= height) return 0;
  const start = selected - Math.floor(height / 2);
  return Math.max(0, Math.min(start, count - height));
}

/**
 * Draws only the visible rows of a long list (a 50,000-item library costs the same as a
 * screenful). `row(i)` returns the text of row i; rows not yet loaded can return a placeholder.
 */
export function WindowedList({ count, selected, height, row, empty }: {
  count: number;
  selected: number;
  height: number;
  row: (index: number) => ReactNode;
  empty?: string;
}) {
  if (count === 0) return <Text dimColor>{empty ?? 'Nothing here.'}</Text>;
  const start = windowStart(selected, count, height);
  const end = Math.min(count, start + height);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const isSelected = i === selected;
    rows.push(
      <Text key={i} wrap="truncate-end" inverse={isSelected && accentColour() === undefined} color={isSelected ? accentColour() : undefined} bold={isSelected}>
        {isSelected ? '› ' : '  '}
        {row(i)}
      </Text>,
    );
  }
  return <Box flexDirection="column">{rows}</Box>;
}
