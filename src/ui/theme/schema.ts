import { z } from 'zod';

// A theme is data (STYLE.md): a palette of named colours plus a strict tree of
// semantic roles that point into it. Components ask for `roles.breaker.open`,
// never for a colour, so a projector theme or NO_COLOR changes nothing in code.

/** A colour Ink understands: a hex value or one of the 16 ANSI names. */
const ColourSchema = z.union([
  z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a hex colour such as #ff8800'),
  z.enum([
    'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey',
    'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
  ]),
]);

/** How one role is drawn; `fg` and `bg` name palette entries. */
export const RoleStyleSchema = z.strictObject({
  fg: z.string().optional(),
  bg: z.string().optional(),
  bold: z.boolean().optional(),
  dim: z.boolean().optional(),
  italic: z.boolean().optional(),
  underline: z.boolean().optional(),
  inverse: z.boolean().optional(),
});
export type RoleStyle = z.infer<typeof RoleStyleSchema>;

const group = <K extends string>(keys: readonly [K, ...K[]]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, RoleStyleSchema])) as Record<K, typeof RoleStyleSchema>);

/** Every role a component may ask for. Strict: a missing or misspelled role is an error. */
export const RolesSchema = z.strictObject({
  text: group(['primary', 'muted', 'heading', 'emphasis', 'strong', 'code', 'accent']),
  border: group(['normal', 'focus']),
  phase: group(['baseline', 'inject', 'observe', 'restore']),
  mode: group(['live', 'dryRun', 'rehearse', 'replay', 'follow']),
  status: group(['ok', 'warn', 'error', 'info']),
  breaker: group(['closed', 'halfOpen', 'open', 'disabled']),
  check: group(['met', 'missed', 'pending', 'skipped']),
  step: group(['done', 'current', 'failed', 'pending', 'skipped']),
  log: z.strictObject({
    error: RoleStyleSchema,
    retry: RoleStyleSchema,
    breaker: RoleStyleSchema,
    timestamp: RoleStyleSchema,
    match: RoleStyleSchema,
    /** Prefix styles, assigned to sources in order of appearance. */
    sources: z.array(RoleStyleSchema).min(1),
  }),
  chart: group(['p95', 'p50', 'overThreshold', 'threshold', 'inject', 'restore', 'halt', 'axis']),
  highlight: group(['changed', 'selected']),
  banner: group(['halt', 'notice', 'verdictPass', 'verdictFail']),
  footer: group(['key', 'label', 'dangerous']),
  header: group(['bar', 'title']),
});
export type Roles = z.infer<typeof RolesSchema>;

/** A theme file as written in themes/*.yaml. */
export const ThemeFileSchema = z
  .strictObject({
    name: z.string(),
    description: z.string().optional(),
    /** Mono themes carry no palette colours at all (NO_COLOR). */
    palette: z.record(z.string(), ColourSchema),
    roles: RolesSchema,
  })
  .superRefine((theme, context) => {
    const visit = (value: unknown, path: (string | number)[]) => {
      if (!value || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(value)) {
        if ((key === 'fg' || key === 'bg') && typeof child === 'string' && !(child in theme.palette)) {
          context.addIssue({ code: 'custom', path: [...path, key], message: `"${child}" is not in the palette (${Object.keys(theme.palette).join(', ') || 'empty'})` });
        } else visit(child, [...path, Array.isArray(value) ? Number(key) : key]);
      }
    };
    visit(theme.roles, ['roles']);
  });
export type ThemeFile = z.infer<typeof ThemeFileSchema>;

/** The props Ink's <Text> takes for one role, palette names resolved. */
export interface TextStyle {
  readonly color?: string;
  readonly backgroundColor?: string;
  readonly bold?: boolean;
  readonly dimColor?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
}

/** Maps a role tree to the same tree of resolved text styles. */
type Resolved<T> = T extends RoleStyle ? TextStyle : T extends readonly (infer U)[] ? readonly Resolved<U>[] : { readonly [K in keyof T]: Resolved<T[K]> };

/** A theme ready for components: every role resolved to Ink text props. */
export interface Theme {
  readonly name: string;
  readonly roles: Resolved<Roles>;
  /** True when the theme draws with no colour (mono), so components lean on bold and inverse. */
  readonly isMono: boolean;
}

function resolveStyle(style: RoleStyle, palette: Readonly<Record<string, string>>): TextStyle {
  const out: { -readonly [K in keyof TextStyle]: TextStyle[K] } = {};
  if (style.fg) out.color = palette[style.fg];
  if (style.bg) out.backgroundColor = palette[style.bg];
  if (style.bold) out.bold = true;
  if (style.dim) out.dimColor = true;
  if (style.italic) out.italic = true;
  if (style.underline) out.underline = true;
  if (style.inverse) out.inverse = true;
  return out;
}

function resolveTree(value: unknown, palette: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveStyle(v as RoleStyle, palette));
  const record = value as Record<string, unknown>;
  const isLeaf = Object.values(record).every((v) => typeof v !== 'object' || v === null);
  if (isLeaf) return resolveStyle(record as RoleStyle, palette);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolveTree(v, palette)]));
}

/** Turns a validated theme file into the theme components use. */
export function resolveTheme(file: ThemeFile): Theme {
  return { name: file.name, roles: resolveTree(file.roles, file.palette) as Theme['roles'], isMono: Object.keys(file.palette).length === 0 };
}
