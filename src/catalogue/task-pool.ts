/**
 * Runs async tasks with at most `limit` in flight, so a producer can keep generating the
 * next batch while earlier ones are written. The first failure is rethrown by `run` or
 * `drain`, after the tasks already started have settled.
 */
export interface TaskPool {
  /** Waits for a free slot, then starts the task. */
  run(task: () => Promise<void>): Promise<void>
  /** Waits for every started task. */
  drain(): Promise<void>
}

export function createTaskPool(limit: number): TaskPool {
  const running = new Set<Promise<void>>()
  let failure: { error: unknown } | undefined

  const settleAll = async () => {
    await Promise.allSettled(running)
    if (failure) throw failure.error
  }

  return {
    async run(task) {
      while (running.size >= limit && !failure) await Promise.race(running)
      if (failure) return settleAll()

      const started: Promise<void> = task()
        .catch((error: unknown) => {
          failure ??= { error }
        })
        .finally(() => running.delete(started))
      running.add(started)
    },
    drain: settleAll,
  }
}
