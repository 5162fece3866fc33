/**
 * Long work (imports, create all partners) as jobs in this process: started by a request, kept running
 * when the browser goes away, followed by status polls or server-sent events. Jobs live in memory: a
 * restart forgets them (the work itself is one transaction, so it either happened or did not).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Job } from '../api/schemas.js';
import type { ErrorLog } from './errors.js';
import { answerError } from './errors.js';

type Kind = Job['kind'];

interface JobState {
  job: Job;
  workspace: string;
  /** An import's validation problems, for the CSV report. */
  problems: readonly unknown[] | null;
}

export interface Progress {
  (done: number, total: number | null, fraction: number | null): void;
}

/** Finished jobs are kept this long, then forgotten. */
const KEEP_MS = 6 * 3600_000;
/** Progress events at most this often per job. */
const THROTTLE_MS = 200;
/**
 * The most a running job's fraction says. Its work reports how much of its source it has read, or how
 * many items of a total it has done; neither is the job's end (the last batch, the deletions, the
 * commit come after), and only a finished job is complete: a bar never stands full while the job runs.
 */
const RUNNING_AT_MOST = 0.99;

/** A running job's fraction: within 0 … RUNNING_AT_MOST, or null when the work knows none. */
export function runningFraction(fraction: number | null): number | null {
  if (fraction === null || !Number.isFinite(fraction)) return null;
  return Math.min(Math.max(fraction, 0), RUNNING_AT_MOST);
}

export class Jobs {
  private readonly jobs = new Map<string, JobState>();
  private readonly events = new EventEmitter();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly clock: () => Date,
    /** Where a job's unexpected error is written with its stack. */
    private readonly log: ErrorLog,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Start `work` now; the answer is the job as it stands (running). */
  start(
    kind: Kind,
    workspace: string,
    integration: string,
    startedBy: string,
    work: (progress: Progress) => Promise<unknown>,
  ): Job {
    this.prune();
    const id = randomUUID();
    const state: JobState = {
      workspace,
      problems: null,
      job: {
        id,
        kind,
        integration,
        state: 'running',
        progress: { done: 0, total: null, fraction: null },
        startedAt: this.clock().toISOString(),
        finishedAt: null,
        startedBy,
        result: null,
        error: null,
        hasReport: false,
      },
    };
    this.jobs.set(id, state);
    let last = 0;
    const progress: Progress = (done, total, fraction) => {
      state.job = { ...state.job, progress: { done, total, fraction: runningFraction(fraction) } };
      const now = Date.now();
      if (now - last >= THROTTLE_MS) {
        last = now;
        this.events.emit(id, 'progress', state.job);
      }
    };
    const run = (async () => {
      // Let the request answer first.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const result = await work(progress);
        const problems = (result as { problems?: unknown[] } | null)?.problems ?? null;
        state.problems = problems;
        state.job = {
          ...state.job,
          state: 'done',
          result,
          hasReport: problems !== null,
          finishedAt: this.clock().toISOString(),
          progress: { ...state.job.progress, fraction: 1 },
        };
        this.events.emit(id, 'done', state.job);
      } catch (error) {
        const { body } = answerError(error, this.log, `the ${kind} job ${id}`, this.clock());
        const problems = (body.error.details as { problems?: unknown[] } | null)?.problems ?? null;
        state.problems = problems;
        state.job = {
          ...state.job,
          state: 'failed',
          error: body.error,
          hasReport: problems !== null,
          finishedAt: this.clock().toISOString(),
        };
        this.events.emit(id, 'failed', state.job);
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return state.job;
  }

  /** The job if it belongs to `workspace`. */
  find(id: string, workspace: string): Job | undefined {
    const s = this.jobs.get(id);
    return s && s.workspace === workspace ? s.job : undefined;
  }

  problems(id: string, workspace: string): readonly unknown[] | null {
    const s = this.jobs.get(id);
    return s && s.workspace === workspace ? s.problems : null;
  }

  list(workspace: string): Job[] {
    return [...this.jobs.values()]
      .filter((s) => s.workspace === workspace)
      .map((s) => s.job)
      .reverse();
  }

  /** Follow job `id`: `listener` gets every event until the job ends; returns the unsubscribe. */
  follow(id: string, listener: (event: 'progress' | 'done' | 'failed', job: Job) => void): () => void {
    this.events.on(id, listener);
    return () => this.events.off(id, listener);
  }

  /** Wait for every running job (server shutdown, tests). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private prune(): void {
    const cutoff = this.clock().getTime() - KEEP_MS;
    for (const [id, s] of this.jobs)
      if (s.job.finishedAt && Date.parse(s.job.finishedAt) < cutoff) this.jobs.delete(id);
  }
}
