import { describe, expect, it } from 'vitest';
import { performanceDoc } from '../../bench/report.js';

const intro = (majors: number[]) => ['# Performance', '', `Sections here: Node ${majors.join(', ')}.`, ''];

describe('docs/PERFORMANCE.md, one section per Node major version', () => {
  it("keeps the other Nodes' figures when a run on another Node writes its own, in Node order", () => {
    // Given the figures of a run on Node 20, then of one on Node 24
    const after20 = performanceDoc(undefined, 20, '## Node 20 (v20.20.2)\n\nfirst frame 1.66×\n', intro);
    const after24 = performanceDoc(after20, 24, '## Node 24 (v24.22.3)\n\nfirst frame 1.59×\n', intro);
    // When a run on Node 22 writes
    const after22 = performanceDoc(after24, 22, '## Node 22 (v22.23.5)\n\nfirst frame 1.61×\n', intro);
    // Then every Node's figures are there, once each, in order, and the opening names them all
    expect(after22).toContain('Sections here: Node 20, 22, 24.');
    expect(after22.indexOf('first frame 1.66×')).toBeLessThan(after22.indexOf('first frame 1.61×'));
    expect(after22.indexOf('first frame 1.61×')).toBeLessThan(after22.indexOf('first frame 1.59×'));
    expect(after22.match(/## Node /g)).toHaveLength(3);
  });

  it("replaces a Node's own section with its new run, leaving none of the old figures", () => {
    // Given two runs on Node 20, with a Node 22 section between them
    const first = performanceDoc(undefined, 20, '## Node 20 (v20.20.2)\n\n5 of 33 missed\n', intro);
    const withOther = performanceDoc(first, 22, '## Node 22 (v22.23.5)\n\n3 of 33 missed\n', intro);
    // When Node 20 runs again
    const again = performanceDoc(withOther, 20, '## Node 20 (v20.20.2)\n\n4 of 33 missed\n', intro);
    // Then its section holds the new figures only, and Node 22's is as it was
    expect(again).toContain('4 of 33 missed');
    expect(again).not.toContain('5 of 33 missed');
    expect(again).toContain('3 of 33 missed');
    expect(again.match(/## Node 20 /g)).toHaveLength(1);
  });
});
