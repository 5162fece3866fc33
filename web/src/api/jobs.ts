/** Following a server job: server-sent events while it runs, polling when events are not available. */
import { useEffect, useState } from 'react';
import { files } from './endpoints.js';
import type { Job } from './types.js';

export function useJob(initial: Job | null): Job | null {
  const [job, setJob] = useState<Job | null>(initial);
  const id = initial?.id;
  useEffect(() => {
    setJob(initial);
    if (!id || initial?.state !== 'running') return;
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (closed) return;
      try {
        const { job: next } = await files.job(id);
        setJob(next);
        if (next.state === 'running') timer = setTimeout(() => void poll(), 500);
      } catch {
        timer = setTimeout(() => void poll(), 1500);
      }
    };
    const source = new EventSource(files.jobEventsUrl(id));
    const onEvent = (e: MessageEvent<string>) => {
      try {
        const next = JSON.parse(e.data) as Job | { job: Job };
        const value = 'job' in next ? next.job : next;
        setJob(value);
        if (value.state !== 'running') source.close();
      } catch {
        // A malformed event: the poll below catches up.
      }
    };
    for (const name of ['progress', 'done', 'failed', 'message']) source.addEventListener(name, onEvent);
    source.onerror = () => {
      source.close();
      if (!closed) void poll();
    };
    return () => {
      closed = true;
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [id]);
  return job;
}
