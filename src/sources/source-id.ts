import type { Source } from '../drivers/driver';
import type { SourceSpec } from '../scenario/environment';

// Every event a source emits names it; panes and checks select by this id.

/** The id events from this source carry: the spec's `id`, else `from:kind[:target]`. */
export function sourceIdOf(spec: SourceSpec): string {
  return spec.id ?? [spec.from, spec.kind, spec.target].filter(Boolean).join(':');
}

/** One source made of several (one `docker logs -f` per container, say); stopping it stops them all. */
export function combineSources(id: string, sources: readonly Source[]): Source {
  return {
    id,
    async stop() {
      await Promise.all(sources.map((s) => s.stop()));
    },
  };
}
