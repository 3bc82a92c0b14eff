import { inArray } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { users, type UserRole } from '../../db/schema'
import type { Logger } from '../../shared/logger'
import { FeedCloseCode } from './messages'
import type { FeedAdmin } from './socket-auth'
import type { FeedSubscriber } from './subscriber'

/** setTimeout's ceiling; longer-lived tokens are caught by the periodic check instead. */
const MAX_TIMER_MS = 2 ** 31 - 1

interface Session {
  subscriber: FeedSubscriber
  userId: string
  expiresAt: number | undefined
  expiry: ReturnType<typeof setTimeout> | undefined
}

/**
 * The open feed sockets of this process. The token was checked at the upgrade, but an account
 * can be deleted or demoted while its socket stays open: every `checkEveryMs` one query reads
 * the roles of all connected accounts and sockets that lost access are closed with 4003.
 * A socket also closes with 4001 when its token expires.
 */
export class FeedSessions {
  private readonly sessions = new Map<string, Session>()
  private timer: ReturnType<typeof setInterval> | undefined
  private checking = false

  constructor(
    private readonly db: Database,
    private readonly checkEveryMs: number,
    private readonly log: Logger,
  ) {}

  open(id: string, subscriber: FeedSubscriber, admin: FeedAdmin): void {
    const expiresAt = admin.expiresAt
    const untilExpiry = (expiresAt ?? Infinity) - Date.now()
    const expiry = untilExpiry < MAX_TIMER_MS
      ? setTimeout(() => closeExpired(subscriber), Math.max(0, untilExpiry))
      : undefined
    this.sessions.set(id, { subscriber, userId: admin.user.id, expiresAt, expiry })

    this.timer ??= setInterval(() => void this.checkAccounts(), this.checkEveryMs)
  }

  subscriber(id: string): FeedSubscriber | undefined {
    return this.sessions.get(id)?.subscriber
  }

  /** Forgets a session; undefined when it had already ended. */
  end(id: string): FeedSubscriber | undefined {
    const session = this.sessions.get(id)
    if (!session) return undefined

    this.sessions.delete(id)
    clearTimeout(session.expiry)
    if (this.sessions.size === 0) this.stopChecking()
    return session.subscriber
  }

  stop(): void {
    this.stopChecking()
    for (const session of this.sessions.values()) clearTimeout(session.expiry)
  }

  /** Closes the sockets of deleted or demoted accounts and of expired tokens. */
  async checkAccounts(): Promise<void> {
    if (this.checking || this.sessions.size === 0) return
    this.checking = true
    try {
      const ids = [...new Set([...this.sessions.values()].map((session) => session.userId))]
      const roles = await rolesOf(this.db, ids)
      const now = Date.now()
      for (const session of this.sessions.values()) this.recheck(session, roles, now)
    } catch (error) {
      // Checked again at the next tick; a database hiccup is no reason to drop every admin.
      this.log.error('feed.account_check_failed', { err: error as Error })
    } finally {
      this.checking = false
    }
  }

  private recheck(session: Session, roles: Map<string, UserRole>, now: number): void {
    const { subscriber, userId, expiresAt } = session
    const role = roles.get(userId)
    if (expiresAt !== undefined && expiresAt <= now) return closeExpired(subscriber)
    if (role === 'admin') return

    const reason = role === undefined ? 'account deleted' : 'admin role revoked'
    this.log.info('feed.access_revoked', { userId, reason })
    subscriber.close(FeedCloseCode.accessRevoked, reason)
  }

  private stopChecking(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }
}

function closeExpired(subscriber: FeedSubscriber): void {
  subscriber.close(FeedCloseCode.tokenExpired, 'token expired')
}

/** The roles of these accounts in one query; deleted ones are absent. */
async function rolesOf(db: Database, ids: string[]): Promise<Map<string, UserRole>> {
  const rows = await db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(inArray(users.id, ids))
  return new Map(rows.map((row) => [row.id, row.role]))
}
