import type { FooterTone } from './footer-text.js';

/** True unless the user asked for no colour (https://no-color.org). */
export const colourEnabled = (env: NodeJS.ProcessEnv = process.env): boolean => env.NO_COLOR === undefined || env.NO_COLOR === '';

const TONES: Record<FooterTone, string> = { ok: 'green', busy: 'cyan', warn: 'yellow', error: 'red' };

/** A colour name for Ink's `color` prop, or undefined when colour is off. */
export function toneColour(tone: FooterTone, enabled = colourEnabled()): string | undefined {
  return enabled ? TONES[tone] : undefined;
}

/** The highlight colour of a selected row, or undefined when colour is off (inverse is used instead). */
export function accentColour(enabled = colourEnabled()): string | undefined {
  return enabled ? 'cyan' : undefined;
}
