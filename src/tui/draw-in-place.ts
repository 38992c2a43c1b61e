import type { DOMElement } from 'ink';

/** Characters one terminal column wide each, as Ink measures them: all a progress line holds. */
const NARROW = /^[\x20-\x7e·▶❚█░]*$/u;

const ciFlag = (name: string) => {
  const value = process.env[name];
  return value !== undefined && value !== '0' && value !== 'false';
};
let drawsFrames: boolean | undefined;
/**
 * Ink draws nothing until exit under CI, and a plain transcript for a screen reader. Read once,
 * at the first draw (the app clears CI before Ink loads, src/commands/app.ts): reading
 * `process.env` three times a second was a few per cent of the app's work while a film played.
 */
const inkDrawsFrames = () => (drawsFrames ??= !ciFlag('CI') && !ciFlag('CONTINUOUS_INTEGRATION') && process.env.INK_SCREEN_READER !== 'true');

/** A line Ink has drawn (an `ink-text` element holding one string) and the text it should show now. */
export interface LiveLine {
  element: DOMElement | undefined;
  text: string;
}

/** Where an Ink element sits in Ink's frame, or undefined when it is not drawn plainly (hidden, styled by a parent). */
function placeInFrame(element: DOMElement): { top: number; left: number; root: DOMElement } | undefined {
  let top = 0;
  let left = 0;
  let node: DOMElement | undefined = element;
  while (node !== undefined && node.nodeName !== 'ink-root') {
    if (node.yogaNode === undefined || node.style.display === 'none' || node.style.backgroundColor !== undefined) return undefined;
    if (node !== element && node.internal_transform !== undefined) return undefined;
    top += node.yogaNode.getComputedTop();
    left += node.yogaNode.getComputedLeft();
    node = node.parentNode;
  }
  return node?.yogaNode !== undefined ? { top, left, root: node } : undefined;
}

/**
 * Writes new text into lines Ink has already drawn, in place, without a React render or Ink's
 * whole-frame redraw: while a film plays only the position changes, once a second, and redrawing
 * the whole screen for it cost most of the app's CPU. Each line is written exactly as Ink would
 * draw it (its own colours, padded to its width) at its place in the frame, which starts at the
 * top of the alternate screen (`runTui` homes the cursor there, and a frame shorter than the
 * screen never scrolls); the cursor is saved and restored around it, since Ink moves from where
 * it left it. Ink's own text node takes the new text, so Ink's next frame (any other change)
 * draws the same. Returns false, writing nothing, whenever that cannot be sure (no terminal, a
 * frame as tall as the screen, a resize not laid out yet, a line that would wrap or is hidden):
 * the caller then renders as usual.
 */
export function drawInPlace(stdout: NodeJS.WriteStream, lines: LiveLine[]): boolean {
  if (!stdout.isTTY || !inkDrawsFrames()) return false;
  let sequence = '';
  const updates: Array<{ element: DOMElement; text: string }> = [];
  for (const { element, text } of lines) {
    if (element === undefined || element.nodeName !== 'ink-text' || element.yogaNode === undefined) return false;
    const [only, ...rest] = element.childNodes;
    if (only?.nodeName !== '#text' || rest.length > 0) return false;
    if (only.nodeValue === text) continue;
    const place = placeInFrame(element);
    if (place === undefined) return false;
    const frameHeight = place.root.yogaNode!.getComputedHeight();
    // Ink clears the whole screen for a frame as tall as the terminal; a resize not yet laid out moves every line.
    if (frameHeight >= (stdout.rows ?? 0) || place.root.yogaNode!.getComputedWidth() !== stdout.columns) return false;
    const width = element.yogaNode.getComputedWidth();
    const length = [...text].length;
    if (element.yogaNode.getComputedHeight() !== 1 || !NARROW.test(text) || length > width) return false;
    const styled = element.internal_transform ? element.internal_transform(text, 0) : text;
    sequence += `\x1b[${place.top + 1};${place.left + 1}H${styled}${' '.repeat(width - length)}`;
    updates.push({ element, text });
  }
  for (const { element, text } of updates) {
    const node = element.childNodes[0]!;
    if (node.nodeName === '#text') node.nodeValue = text;
    element.yogaNode!.markDirty();
  }
  // (save cursor, the lines, restore cursor: the alternate screen keeps its own saved cursor)
  if (sequence !== '') stdout.write(`\x1b7${sequence}\x1b8`);
  return true;
}
