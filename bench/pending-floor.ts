// The floor under `reelterm --pending`: the least any Node program does to list a queue file,
// and no more. It reads the file given, parses it, and prints one line per queued update
// (title, kind, position, age, attempts): no checks, no alignment, no sanitising, nothing
// loaded but node:fs. What it takes beyond `node -e 0` is what the file itself costs to read.
import { readFileSync } from 'node:fs';

interface FloorOp {
  title?: string;
  itemId: string;
  kind: string;
  payload: { positionTicks?: number };
  createdAt: string;
  attempts: number;
}

const file = process.argv[2]!;
const queue = JSON.parse(readFileSync(file, 'utf8')) as { ops: FloorOp[] };
const now = Date.now();
const lines: string[] = [];
for (const op of queue.ops) {
  lines.push(`${op.title ?? op.itemId}  ${op.kind}  ${op.payload.positionTicks ?? ''}  ${now - Date.parse(op.createdAt)}  ${op.attempts}`);
}
process.stdout.write(`${lines.join('\n')}\n`);
