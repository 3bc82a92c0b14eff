import { and, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm'
import type { AppDeps } from '../app-deps'
import { orders, products, returnRequests } from '../db/schema'
import type { AuthUser } from '../http/auth'
import { paginationOf, type PageRequest } from '../http/pagination'
import { invalid, notFound } from '../shared/errors'
import type { AdminReturnsFilter, ReturnRequestView } from './schemas'
import { detailColumns, listColumns, toDetailView, toListItem } from './view'

/** One return request, for its owner or an admin; anyone else learns nothing (404). */
export async function getReturnRequest(
  deps: AppDeps,
  id: string,
  viewer: Pick<AuthUser, 'id' | 'role'>,
): Promise<ReturnRequestView> {
  const [row] = await deps.database.db
    .select(detailColumns)
    .from(returnRequests)
    .innerJoin(orders, eq(orders.id, returnRequests.orderId))
    .innerJoin(products, eq(products.id, returnRequests.productId))
    .where(eq(returnRequests.id, id))

  if (!row || (viewer.role !== 'admin' && row.userId !== viewer.id)) {
    throw notFound('Return request')
  }
  return toDetailView(row)
}

/** The caller's own return requests, newest first. */
export function listMyReturnRequests(deps: AppDeps, userId: string, page: PageRequest) {
  return listWhere(deps, eq(returnRequests.userId, userId), page)
}

/** Every return request, for admins, filtered by status, call status and creation time. */
export function listReturnRequests(deps: AppDeps, filter: AdminReturnsFilter, page: PageRequest) {
  const from = filter.from ? new Date(filter.from) : undefined
  const to = filter.to ? new Date(filter.to) : undefined
  if (from && to && from > to) throw invalid('from', 'must not be after to')

  const where = and(
    filter.status ? eq(returnRequests.status, filter.status) : undefined,
    filter.isCalled ? eq(returnRequests.isCalled, filter.isCalled) : undefined,
    from ? gte(returnRequests.createdAt, from) : undefined,
    to ? lt(returnRequests.createdAt, to) : undefined,
  )
  return listWhere(deps, where, page)
}

async function listWhere(deps: AppDeps, where: SQL | undefined, page: PageRequest) {
  const db = deps.database.db
  const [rows, [total]] = await Promise.all([
    db.select(listColumns)
      .from(returnRequests)
      .innerJoin(orders, eq(orders.id, returnRequests.orderId))
      .innerJoin(products, eq(products.id, returnRequests.productId))
      .where(where)
      .orderBy(desc(returnRequests.createdAt), desc(returnRequests.id))
      .limit(page.perPage)
      .offset(page.offset),
    db.select({ value: count() }).from(returnRequests).where(where),
  ])

  return { data: rows.map(toListItem), pagination: paginationOf(page, total?.value ?? 0) }
}
