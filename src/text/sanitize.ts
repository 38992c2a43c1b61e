// ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST),
// and two-byte escapes. C1 equivalents (0x9b CSI, 0x9d OSC, 0x90 DCS, ...) are handled too.
const STRING_SEQUENCE = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)/g;
const CSI_SEQUENCE = /(?:\x1b\[|\x9b)[\x20-\x3f]*[\x40-\x7e]?/g;
const TWO_BYTE_ESCAPE = /\x1b[\x20-\x7e]?/g;
const CONTROL_INLINE = /[\x00-\x1f\x7f-\x9f]/g;
const CONTROL_MULTILINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;
// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the
// direction marks (U+200E, U+200F, U+061C): they reorder what the terminal shows, so a title
// could make other text read backwards ("Trojan Source").
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// Everything any of the above starts with (every sequence begins with ESC or a C1 byte; line breaks and tabs are controls).
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

/**
 * Makes text from the server safe to draw in a terminal: removes escape sequences
 * (colours, cursor moves, window titles, clipboard writes), every C0/C1 control byte and
 * the Unicode bidirectional controls and marks.
 * Line breaks and tabs become spaces unless `multiline` keeps `\n`.
 */
export function sanitizeText(text: string, options: { multiline?: boolean } = {}): string {
  // Most text has none of it: one scan, and it is returned as it is.
  if (!UNSAFE.test(text)) return text;
  const withoutSequences = text
    .replace(STRING_SEQUENCE, '')
    .replace(CSI_SEQUENCE, '')
    .replace(TWO_BYTE_ESCAPE, '')
    .replace(BIDI_CONTROLS, '');
  const normalised = withoutSequences.replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
  if (options.multiline) return normalised.replace(CONTROL_MULTILINE, '');
  return normalised.replace(/\n+/g, ' ').replace(CONTROL_INLINE, '');
}
