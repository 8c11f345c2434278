/**
 * A read shared by the callers that ask for it before it starts: the first caller schedules it
 * for the next turn of the event loop (setImmediate), every caller until then joins it, and a
 * caller arriving once it has started schedules the next one. So each caller's answer comes from
 * a read that began after it asked, as fresh as a read of its own would be (never a result read
 * before a write it has seen commit), while concurrent requests share one statement.
 */
export function coalescedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let next: Promise<T> | null = null;
  return () => {
    next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      next = null; // started: whoever asks from now on waits for a later read
      return read();
    });
    return next;
  };
}
