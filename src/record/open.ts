import type { RecordingHeader } from './format';
import { describeProblem, readRecording, type RecordingProblem } from './reader';
import { ReplayTimeline } from './timeline';

// Opens a recording for replay: resolves as soon as the header and the first
// batch of events are indexed (the first frame can be drawn), and goes on
// indexing the rest in the background; `loaded` says when it is done and
// whether a bad line stopped it.

/** A recording being opened. */
export interface OpenedRecording {
  readonly file: string;
  readonly header: RecordingHeader;
  readonly timeline: ReplayTimeline;
  /** Resolves when every line has been read, with the problem that stopped reading early, if any. */
  readonly loaded: Promise<{ readonly problem: RecordingProblem | null; readonly description: string | null }>;
  /** Stops indexing. */
  close(): void;
}

/** Opens a recording; rejects with RECORDING_INVALID or FILE_NOT_FOUND when it cannot be opened at all. */
export function openRecording(file: string, { batchSize = 4_000 }: { batchSize?: number } = {}): Promise<OpenedRecording> {
  const timeline = new ReplayTimeline();
  const abort = new AbortController();
  return new Promise<OpenedRecording>((resolve, reject) => {
    let header: RecordingHeader | null = null;
    let isReady = false;
    const ready = () => {
      if (isReady || header === null) return;
      isReady = true;
      resolve({ file, header, timeline, loaded, close: () => abort.abort() });
    };
    const loaded = readRecording(file, {
      batchSize,
      signal: abort.signal,
      onHeader: (h) => { header = h; },
      onBatch: (events) => {
        timeline.append(events);
        ready();
      },
    }).then((recording) => {
      ready();
      return { problem: recording.problem, description: recording.problem ? describeProblem(recording.problem) : null };
    });
    loaded.catch(reject);
  });
}
