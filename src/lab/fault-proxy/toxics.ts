import { z } from 'zod';

// Toxics as Toxiproxy defines them (github.com/Shopify/toxiproxy, "Toxics"):
// the same type names, attribute names, units and defaults, so a client
// written for Toxiproxy drives the lab unchanged.

/** Attributes per toxic type, with Toxiproxy's units (ms, KB/s, bytes, µs). */
export const ToxicAttributeSchemas = {
  latency: z.object({ latency: z.number().nonnegative().default(0), jitter: z.number().nonnegative().default(0) }),
  bandwidth: z.object({ rate: z.number().nonnegative().default(0) }),
  slow_close: z.object({ delay: z.number().nonnegative().default(0) }),
  timeout: z.object({ timeout: z.number().nonnegative().default(0) }),
  reset_peer: z.object({ timeout: z.number().nonnegative().default(0) }),
  slicer: z.object({
    average_size: z.number().int().nonnegative().default(0),
    size_variation: z.number().int().nonnegative().default(0),
    delay: z.number().nonnegative().default(0),
  }),
  limit_data: z.object({ bytes: z.number().int().nonnegative().default(0) }),
} as const;

export type ToxicType = keyof typeof ToxicAttributeSchemas;
export const TOXIC_TYPES = Object.keys(ToxicAttributeSchemas) as ToxicType[];

/** Which way the toxic acts: `upstream` is client → server, `downstream` server → client. */
export type ToxicStream = 'upstream' | 'downstream';

/** A toxic as the API shows it. */
export interface Toxic {
  readonly name: string;
  readonly type: ToxicType;
  readonly stream: ToxicStream;
  /** Probability (0..1) that the toxic applies to a given connection. */
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/** A request to create a toxic (POST /proxies/{proxy}/toxics). */
export const ToxicCreateSchema = z.object({
  name: z.string().min(1).optional(),
  type: z.string(),
  stream: z.enum(['upstream', 'downstream']).default('downstream'),
  toxicity: z.number().min(0).max(1).default(1),
  attributes: z.record(z.string(), z.unknown()).default({}),
});

/** A request to update a toxic (POST /proxies/{proxy}/toxics/{toxic}). */
export const ToxicUpdateSchema = z.object({
  toxicity: z.number().min(0).max(1).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  stream: z.enum(['upstream', 'downstream']).optional(),
  type: z.string().optional(),
  name: z.string().optional(),
});

/** True for a toxic type this proxy implements. */
export function isToxicType(type: string): type is ToxicType {
  return Object.hasOwn(ToxicAttributeSchemas, type);
}

/** Validates a type's attributes, filling Toxiproxy's defaults; throws a message on bad input. */
export function parseAttributes(type: ToxicType, attributes: Record<string, unknown>): Record<string, number> {
  const parsed = ToxicAttributeSchemas[type].safeParse(attributes);
  if (!parsed.success) {
    throw new TypeError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data as Record<string, number>;
}
