import { eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { orders, products, returnRequests, users, type CallStatus } from '../db/schema'
import type { CallScriptFacts } from './prompts'

/** What placing or simulating a call needs to know about a return request. */
export interface CallFacts extends CallScriptFacts {
  returnRequestId: string
  callSid: string | null
  isCalled: CallStatus
  /** The order's phone number, else the account's; null when neither exists. */
  phone: string | null
}

export async function loadCallFacts(
  db: Database,
  returnRequestId: string,
): Promise<CallFacts | undefined> {
  const [row] = await db
    .select({
      returnRequestId: returnRequests.id,
      callSid: returnRequests.callSid,
      isCalled: returnRequests.isCalled,
      reason: returnRequests.reason,
      description: returnRequests.description,
      orderNumber: orders.orderNumber,
      firstName: orders.firstName,
      lastName: orders.lastName,
      orderPhone: orders.phone,
      accountName: users.name,
      accountPhone: users.phone,
      productName: products.name,
    })
    .from(returnRequests)
    .innerJoin(orders, eq(orders.id, returnRequests.orderId))
    .innerJoin(users, eq(users.id, returnRequests.userId))
    .innerJoin(products, eq(products.id, returnRequests.productId))
    .where(eq(returnRequests.id, returnRequestId))
  if (!row) return undefined

  const orderName = `${row.firstName} ${row.lastName}`.trim()
  return {
    returnRequestId: row.returnRequestId,
    callSid: row.callSid,
    isCalled: row.isCalled,
    reason: row.reason,
    description: row.description,
    orderNumber: row.orderNumber,
    productName: row.productName,
    customerName: orderName || row.accountName,
    phone: row.orderPhone ?? row.accountPhone,
  }
}

/** A phone number fit for logs: country prefix and last two digits, the rest hidden. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.length <= 4) return '***'
  return `+${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`
}
