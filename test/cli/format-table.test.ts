import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/commands/format.js';

describe('formatTable (the layout of `reelterm --pending`)', () => {
  it.each([
    {
      what: 'aligns columns two spaces apart, with nothing after the last text of a row',
      header: ['ITEM', 'KIND', 'ERROR'],
      rows: [['Alien', 'stopped', ''], ['Brazil (1985)', 'played', 'refused']],
      width: undefined,
      table: ['ITEM           KIND     ERROR', 'Alien          stopped', 'Brazil (1985)  played   refused'],
    },
    {
      what: 'takes spaces off the end of a row, even inside its last cell',
      header: ['A', 'B', 'C'],
      rows: [['x', 'y  ', ''], ['', '', '']],
      width: undefined,
      table: ['A  B    C', 'x  y', ''],
    },
    {
      what: 'cuts the widest column with … until the table fits, never below 8',
      header: ['ITEM', 'KIND'],
      rows: [['A very long film title indeed', 'played']],
      width: 20,
      table: ['ITEM          KIND', 'A very long…  played'],
    },
  ])('$what', ({ header, rows, width, table }) => {
    expect(formatTable(header, rows, width).split('\n')).toEqual(table);
  });
});
