import { validate, type FieldRule } from '../validate';

// Toxics as Toxiproxy defines them (github.com/Shopify/toxiproxy, "Toxics"):
// the same type names, attribute names, units and defaults, so a client
// written for Toxiproxy drives the lab unchanged.

/** Attributes per toxic type, with Toxiproxy's units (ms, KB/s, bytes, µs) and defaults. */
export const TOXIC_ATTRIBUTES = {
  latency: { latency: { type: 'number', min: 0, default: 0 }, jitter: { type: 'number', min: 0, default: 0 } },
  bandwidth: { rate: { type: 'number', min: 0, default: 0 } },
  slow_close: { delay: { type: 'number', min: 0, default: 0 } },
  timeout: { timeout: { type: 'number', min: 0, default: 0 } },
  reset_peer: { timeout: { type: 'number', min: 0, default: 0 } },
  slicer: {
    average_size: { type: 'number', isInteger: true, min: 0, default: 0 },
    size_variation: { type: 'number', isInteger: true, min: 0, default: 0 },
    delay: { type: 'number', min: 0, default: 0 },
  },
  limit_data: { bytes: { type: 'number', isInteger: true, min: 0, default: 0 } },
} as const satisfies Record<string, Record<string, FieldRule>>;

export type ToxicType = keyof typeof TOXIC_ATTRIBUTES;
export const TOXIC_TYPES = Object.keys(TOXIC_ATTRIBUTES) as ToxicType[];

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
export interface ToxicCreate {
  readonly name?: string;
  readonly type: string;
  readonly stream: ToxicStream;
  readonly toxicity: number;
  readonly attributes: Record<string, unknown>;
}

/** A request to update a toxic (POST /proxies/{proxy}/toxics/{toxic}). */
export interface ToxicUpdate {
  readonly toxicity?: number;
  readonly attributes?: Record<string, unknown>;
  readonly stream?: ToxicStream;
}

const STREAMS = ['upstream', 'downstream'] as const;

/** Validates a create request, filling Toxiproxy's defaults; throws a message on bad input. */
export function parseToxicCreate(input: unknown): ToxicCreate {
  return validate<ToxicCreate>(input, {
    name: { type: 'string', isOptional: true },
    type: { type: 'string' },
    stream: { type: 'string', oneOf: STREAMS, default: 'downstream' },
    toxicity: { type: 'number', min: 0, max: 1, default: 1 },
    attributes: { type: 'object', default: {} },
  });
}

/** Validates an update request; throws a message on bad input. */
export function parseToxicUpdate(input: unknown): ToxicUpdate {
  return validate<ToxicUpdate>(input, {
    toxicity: { type: 'number', min: 0, max: 1, isOptional: true },
    attributes: { type: 'object', isOptional: true },
    stream: { type: 'string', oneOf: STREAMS, isOptional: true },
  });
}

/** True for a toxic type this proxy implements. */
export function isToxicType(type: string): type is ToxicType {
  return Object.hasOwn(TOXIC_ATTRIBUTES, type);
}

/** Validates a type's attributes, filling Toxiproxy's defaults; throws a message on bad input. */
export function parseAttributes(type: ToxicType, attributes: Record<string, unknown>): Record<string, number> {
  return validate<Record<string, number>>(attributes, TOXIC_ATTRIBUTES[type]);
}
