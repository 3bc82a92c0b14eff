/** Thrown by a job handler to be retried after a delay the remote side asked for. */
export class RetryLaterError extends Error {
  constructor(message: string, readonly delayMs: number) {
    super(message)
    this.name = 'RetryLaterError'
  }
}

/** Thrown by a job handler when retrying cannot help (bad data, refused by the remote side). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PermanentJobError'
  }
}
