import { z } from 'zod';
import { resolveServices } from '../lab/client';

// What a profile writes for the lab: its target bindings and its `drivers.lab` block.

/** `{driver: lab, service: api}`: a service (api-1, edge, db, …) or a group (api). */
export const LabBindingSchema = z.looseObject({
  driver: z.literal('lab'),
  service: z.string().refine((s) => resolveServices(s).length > 0, 'a lab service (proxy, db, cache, backend, collector, api-1, api-2, edge) or group (api)'),
});

/** `drivers.lab`: where the lab keeps its state, and whether actions start it when it is not running. */
export const LabConfigSchema = z.object({
  stateDir: z.string().optional(),
  autoStart: z.boolean().default(true),
});
