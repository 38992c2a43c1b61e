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
      what: 'takes a last cell of nothing but white space off with the padding before it',
      header: ['A', 'B', 'C'],
      rows: [['x', '\u3000 ', 'z'], ['x', '\u3000 ', ''], ['x\u00a0', '', '']],
      width: undefined,
      table: ['A   B   C', 'x   \u3000   z', 'x', 'x'],
    },
    {
      what: 'cuts the widest column with … until the table fits, never below 8',
      header: ['ITEM', 'KIND'],
      rows: [['A very long film title indeed', 'played']],
      width: 20,
      table: ['ITEM          KIND', 'A very long…  played'],
    },
    {
      what: 'cuts a last cell too, and keeps what is left of it',
      header: ['ITEM', 'ERROR'],
      rows: [['Alien', 'refused by the server, twice over'], ['Heat', 'refused                 and more']],
      width: 20,
      table: ['ITEM   ERROR', 'Alien  refused by t…', 'Heat   refused     …'],
    },
  ])('$what', ({ header, rows, width, table }) => {
    expect(formatTable(header, rows, width).split('\n')).toEqual(table);
  });
});
