import { createContext, type ReactNode } from 'react';
import type { Glyphs } from './glyphs';
import type { Theme } from './schema';

// The theme reaches components through context, never a module singleton, so
// two decks (presenter and audience, or tests side by side) can differ.

/** What a component needs to draw: semantic styles and the glyph set. */
export interface Look {
  readonly theme: Theme;
  readonly glyphs: Glyphs;
}

/** The look below a LookProvider; read it with useLook(). */
export const LookContext = createContext<Look | null>(null);

/** Provides the theme and glyphs to everything below. */
export function LookProvider({ look, children }: { readonly look: Look; readonly children: ReactNode }) {
  return <LookContext.Provider value={look}>{children}</LookContext.Provider>;
}
