import { sql } from 'drizzle-orm'
import { orders, products, returnRequests, type ReturnRequestRow } from '../db/schema'
import { decimalToNumber } from '../shared/money'
import type { ReturnRequestListItem, ReturnRequestView } from './schemas'

/** The columns every view needs, for a select joined with orders and products. */
export const listColumns = {
  id: returnRequests.id,
  orderId: returnRequests.orderId,
  orderNumber: orders.orderNumber,
  userId: returnRequests.userId,
  productId: returnRequests.productId,
  productName: products.name,
  title: returnRequests.title,
  reason: returnRequests.reason,
  description: returnRequests.description,
  status: returnRequests.status,
  isCalled: returnRequests.isCalled,
  callFailureReason: returnRequests.callFailureReason,
  callSid: returnRequests.callSid,
  callStartedAt: returnRequests.callStartedAt,
  callEndedAt: returnRequests.callEndedAt,
  analysisStatus: returnRequests.analysisStatus,
  aiSummary: returnRequests.aiSummary,
  adminResponse: returnRequests.adminResponse,
  refundAmount: returnRequests.refundAmount,
  processedAt: returnRequests.processedAt,
  createdAt: returnRequests.createdAt,
  updatedAt: returnRequests.updatedAt,
  transcriptLines:
    sql<number>`coalesce(jsonb_array_length(${returnRequests.transcript}), 0)::int`,
}

export const detailColumns = {
  ...listColumns,
  transcript: returnRequests.transcript,
  aiAnalysis: returnRequests.aiAnalysis,
  analyzedAt: returnRequests.analyzedAt,
}

type ListRow = Omit<
  ReturnRequestRow,
  'transcript' | 'aiAnalysis' | 'analyzedAt' | 'analysisError' | 'analysisRaw'
  | 'analysisModel' | 'analysisPromptVersion'
> & { orderNumber: string; productName: string; transcriptLines: number }

type DetailRow = ListRow & Pick<ReturnRequestRow, 'transcript' | 'aiAnalysis' | 'analyzedAt'>

const iso = (date: Date | null) => (date === null ? null : date.toISOString())

export function toListItem(row: ListRow): ReturnRequestListItem {
  return {
    id: row.id,
    orderId: row.orderId,
    orderNumber: row.orderNumber,
    userId: row.userId,
    productId: row.productId,
    productName: row.productName,
    title: row.title,
    reason: row.reason,
    description: row.description,
    status: row.status,
    isCalled: row.isCalled,
    callFailureReason: row.callFailureReason,
    callSid: row.callSid,
    callStartedAt: iso(row.callStartedAt),
    callEndedAt: iso(row.callEndedAt),
    analysisStatus: row.analysisStatus,
    aiSummary: row.aiSummary,
    adminResponse: row.adminResponse,
    refundAmount: decimalToNumber(row.refundAmount),
    processedAt: iso(row.processedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    transcriptLines: Number(row.transcriptLines),
  }
}

export function toDetailView(row: DetailRow): ReturnRequestView {
  const { transcriptLines: _, ...common } = toListItem(row)
  const analysis = row.aiAnalysis
  return {
    ...common,
    transcript: row.transcript ?? [],
    aiAnalysis: analysis !== null && typeof analysis === 'object' && !Array.isArray(analysis)
      ? analysis as Record<string, unknown>
      : null,
    analyzedAt: iso(row.analyzedAt),
  }
}
