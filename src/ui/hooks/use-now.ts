import { useEffect, useState } from 'react';

/**
 * Wall-clock ms, refreshed every `intervalMs` aligned to the second, or never
 * when `intervalMs` is null. Only the component that calls it re-renders, so
 * the ticking clock costs one small frame a second on an idle deck.
 */
export function useNow(intervalMs: number | null = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (intervalMs === null) return;
    let timer: NodeJS.Timeout;
    const tick = () => {
      const current = Date.now();
      setNow(current);
      timer = setTimeout(tick, intervalMs - (current % intervalMs) + 5);
    };
    timer = setTimeout(tick, intervalMs - (Date.now() % intervalMs) + 5);
    return () => clearTimeout(timer);
  }, [intervalMs]);
  return now;
}
