import type { z } from 'zod';
import type { RunMode, UnstampedEvent } from '../engine/events';
import type { Action, Verb } from '../scenario/schema';
import type { Binding, Environment, SourceSpec } from '../scenario/environment';
import type { CommandResult, CommandRunner, CommandSpec } from './exec';

// One interface for every kind of system (ARCHITECTURE.md, Drivers). A driver is
// a plain object registered by name; its optional methods are capabilities.

/**
 * What a driver may use while it applies or undoes an action. `run` is the
 * only way to start a process: it echoes the command line to the audience,
 * applies the timeout and the abort signal, and honours dry-run.
 */
export interface ActionContext {
  /** The logical target's name, or null for verbs without one (`wait`, `shell`). */
  readonly targetName: string | null;
  /** The target's binding from the environment profile, or null. */
  readonly binding: Binding | null;
  /** This driver's configuration block from the environment profile (`drivers.<name>`). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly environment: Environment;
  readonly mode: RunMode;
  readonly signal: AbortSignal;
  /** Runs a command, echoed and streamed as part of this action. */
  run(spec: CommandSpec): Promise<CommandResult>;
  /**
   * Shows a non-process operation (an HTTP API call, an ssh exec) to the
   * audience as a command line; call `finish` with its outcome. In dry-run,
   * drivers must not perform the operation after echoing it.
   */
  echo(display: string): EchoHandle;
  /** Emits a live event (a status change, a log batch) from inside an action. */
  emit(event: UnstampedEvent): void;
  /** Asks the presenter (y/N) on real environments; resolves true when confirmed or when no one can be asked. */
  confirm(question: string): Promise<boolean>;
  /** The state directory (XDG_STATE_HOME/chaosdeck), for drivers that keep files. */
  readonly stateDir: string;
}

/** An echoed non-process operation. */
export interface EchoHandle {
  line(stream: 'stdout' | 'stderr', text: string): void;
  finish(outcome: { isOk: boolean; exitCode?: number | null; error?: string }): void;
}

/**
 * The undo of an action, JSON-safe, written to the rollback journal before the
 * action runs so a new process can run it after a crash. Drivers interpret
 * `verb` and `params` themselves; undo must be idempotent.
 */
export interface UndoSpec {
  readonly verb: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** What the presenter reads: "start api-2 again". */
  readonly summary: string;
  /**
   * `fault` (the default) takes a fault away: restore, halt and the restore
   * phase run it. `traffic` ends load the run generates in order to measure:
   * it is no fault, so restoring faults keeps it and only the end of the run
   * (or `chaosdeck restore`) stops it.
   */
  readonly kind?: 'fault' | 'traffic';
}

/** What applying or undoing an action produced. */
export interface ActionOutcome {
  readonly isOk: boolean;
  readonly error?: string;
  /** A probe's output, JSON-safe: `{status, stdout, stderr}` for processes, `{status, headers, body}` for HTTP. */
  readonly output?: unknown;
}

/** A live feed started by a driver or a source provider. */
export interface Source {
  readonly id: string;
  /** Stops the feed; resolves when nothing more will be emitted. */
  stop(): Promise<void>;
}

/** What a source may use. */
export interface SourceContext {
  readonly environment: Environment;
  readonly config: Readonly<Record<string, unknown>>;
  readonly binding: Binding | null;
  readonly runner: CommandRunner;
  readonly signal: AbortSignal;
  /** Emits events; sources batch log lines (see sources/batch.ts) before emitting. */
  emit(event: UnstampedEvent): void;
}

/** What `prepare` may use. */
export interface PrepareContext {
  readonly environment: Environment;
  readonly config: Readonly<Record<string, unknown>>;
  readonly stateDir: string;
  readonly signal: AbortSignal;
  /** One line of progress for the screen ("starting the lab: 4/8 services healthy"). */
  onProgress(text: string): void;
}

/** One line of `chaosdeck doctor`. */
export interface DoctorCheck {
  readonly name: string;
  readonly isOk: boolean;
  readonly detail: string;
  /** What to do about it when not ok. */
  readonly fix?: string;
}

/** A driver: one kind of system behind one interface. */
export interface Driver {
  readonly name: string;
  /** The verbs this driver supports; `validate` rejects a scenario that uses any other. */
  readonly verbs: ReadonlySet<Verb>;
  /** Verbs that ask for confirmation on real environments. */
  readonly destructiveVerbs?: ReadonlySet<Verb>;
  /** Schema of a target binding's driver-specific fields. */
  readonly bindingSchema?: z.ZodType;
  /** Schema of the `drivers.<name>` configuration block. */
  readonly configSchema?: z.ZodType;
  /** One line the audience reads for an action (`stop api-2`). */
  describe(action: Action, binding: Binding | null): string;
  /**
   * Computes the undo before anything changes (reading previous values, such as
   * replicas or CPU limits, with read-only commands). Null means the action
   * changes nothing that needs undoing.
   */
  prepareUndo(action: Action, context: ActionContext): Promise<UndoSpec | null>;
  apply(action: Action, context: ActionContext): Promise<ActionOutcome>;
  undo(undo: UndoSpec, context: ActionContext): Promise<ActionOutcome>;
  /** Starts a live source this driver can offer (logs, status, …), or returns null if it cannot. */
  openSource?(spec: SourceSpec, context: SourceContext): Source | null;
  /**
   * Gets the system ready before a run that binds this driver (the lab driver
   * starts the lab when it is not running), reporting progress as it goes.
   * `release` undoes what `prepare` started, and only that.
   */
  prepare?(context: PrepareContext): Promise<{ release(): Promise<void> }>;
  /** Checks that the driver can run here: binary, version, credentials, reachability. */
  doctor?(config: Readonly<Record<string, unknown>>, runner: CommandRunner): Promise<DoctorCheck[]>;
}
