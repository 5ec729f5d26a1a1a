import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** The terminal's size, following resizes. Non-TTY streams read as 80×24. */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize((previous) => {
      const next = read();
      return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
    });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
