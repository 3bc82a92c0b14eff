import type { DatabaseHandle } from '../../src/db/client'
import { execute } from './support'

/** Text that breaks naive encoders: quoting, escapes, line breaks, unicode, lookalikes. */
export const trickyTexts = [
  '',
  ' ',
  'quote " and \' apostrophe',
  'back\\slash, \\n that is not a newline, \\\\ two, \\t, ends with \\',
  'new\nline, crlf\r\n, carriage\rreturn and \ttab',
  'emoji 😀👍🏽 flag 🇫🇷, CJK 中文字, RTL עברית, accents é ñ ü ß',
  'json-looking {"a": [1, 2.50]} and \\u0041',
  'control \u0001 \u001f \u007f, separators \u2028 \u2029',
  'zero width \u200b and BOM \ufeff',
  '\\N',
  '\\.',
  'NULL',
  'null',
  'x'.repeat(5000),
]

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`
const orNull = (text: string | null) => (text === null ? 'null' : quote(text))

const floats = [
  '0.30000000000000004', '5e-324', '1.7976931348623157e308', '-0', 'NaN', 'Infinity',
  '-Infinity', '0.1', null,
]
const moments = [
  '2024-02-29 23:59:59.123456+00', '1969-12-31 23:59:59.999999+00', '2100-01-01 00:00:00+00',
  'infinity', '-infinity', '0044-03-15 12:00:00+00 BC', null,
]
const prices = ['0.00', '0.01', '19.99', '9999999999.99', '1234.50']

/**
 * Fills every table with rows holding every kind of awkward value, through SQL so values
 * JavaScript cannot carry (microseconds, NaN, infinity, jsonb null, huge jsonb numbers) are
 * in the database exactly. Returns how many rows each table got.
 */
export async function seedTrickyData(database: DatabaseHandle): Promise<Record<string, number>> {
  const statements: string[] = []
  const id = () => crypto.randomUUID()
  const userIds = trickyTexts.slice(0, 6).map(() => id())

  userIds.forEach((userId, index) => {
    const email = index % 3 === 2 ? null : `tricky-${userId.slice(0, 8)}@example.com`
    const phone = index % 2 === 0 ? null : `+1555${String(1000000 + index).slice(-7)}`
    const role = ['customer', 'seller', 'admin'][index % 3]
    statements.push(`insert into users (id, email, phone, password_hash, name, role, created_at,
      updated_at) values ('${userId}', ${orNull(email)}, ${orNull(phone)},
      ${quote(`$argon2id$fake\\${index}`)}, ${quote(trickyTexts[index]!)}, '${role}',
      '2025-01-02 03:04:05.678901+00', now())`)
  })

  const productIds = trickyTexts.map(() => id())
  productIds.forEach((productId, index) => {
    const text = trickyTexts[index]!
    const float = floats[index % floats.length]!
    const moment = moments[index % moments.length]!
    const images = [
      `'[]'`, quote(JSON.stringify(['a"b', '😀', 'back\\slash'])),
      quote('{"n": 1.50, "big": 123456789012345678901234567890, "e": 1e-7, "z": null}'),
    ][index % 3]
    statements.push(`insert into products (id, name, description, price, stock, images,
      category, seller_id, original_product_id, fake_probability, trust_score, review_count,
      average_rating, cluster_id, page_rank, is_fake, rating_count, rating_sum, archived_at,
      created_at) values ('${productId}', ${quote(text || 'unnamed')}, ${quote(text)},
      '${prices[index % prices.length]}', ${index * 7}, ${images}::jsonb, ${quote(text)},
      '${userIds[1]}', ${-5000 + index}, ${orNull(float)}, ${orNull(float)}, ${index},
      ${index % 2 ? 'null' : '4.25'}, ${index % 4}, 1e-300, ${['true', 'false', 'null'][index % 3]},
      ${index}, ${index * 3}, ${orNull(moment)}, '2025-06-01 12:00:00.000001+00')`)

    statements.push(`insert into product_edit_history (id, product_id, edited_by, field_changed,
      old_value, new_value, edit_reason, edit_type) values ('${id()}', '${productId}',
      ${index % 2 ? `'${userIds[1]}'` : 'null'}, 'description', ${quote(text)},
      ${index % 2 ? 'null' : quote(text)}, null,
      '${['CREATE', 'UPDATE', 'DELETE', 'RESTORE'][index % 4]}')`)

    statements.push(`insert into reviews (id, product_id, reviewer_id, user_id, review_rating,
      review_title, review_body, number_of_helpful, review_date, ip_address, reviewer_image,
      image_auth_score, image_analysis, is_ai_generated, ai_generated_score) values
      ('${id()}', '${productId}', ${quote(`A${index}-${text.slice(0, 20)}`)},
      ${index < userIds.length ? `'${userIds[index]}'` : 'null'}, ${1 + (index % 5)},
      ${quote(text)}, ${quote(text)}, ${index}, '2025-03-04 05:06:07.89+00',
      ${orNull([null, '127.0.0.1', '2001:db8::1', '203.0.113.7'][index % 4]!)}, null,
      ${orNull(float)}, ${orNull(index % 2 ? text : null)}, ${['true', 'false', 'null'][index % 3]},
      ${orNull(float)})`)
  })

  const insights = '{"summary": "ok \\" \\\\ \\n 😀", "score": 0.1000, "n": 12345678901234567890}'
  statements.push(`insert into product_review_insights (product_id, insights, model,
    prompt_version, sample_size) values ('${productIds[0]}', 'null'::jsonb, 'm', 'v1', 0),
    ('${productIds[1]}', ${quote(insights)}::jsonb, 'gemini', 'v2', 40)`)

  const orderIds = [id(), id()]
  orderIds.forEach((orderId, index) => {
    statements.push(`insert into orders (id, order_number, user_id, shipping_address, city, state,
      zip_code, first_name, last_name, email, phone, subtotal, tax, shipping, total, status,
      payment_method, payment_status, idempotency_key, shipped_at) values ('${orderId}',
      'ORD-${orderId.slice(0, 8)}', '${userIds[0]}', ${quote(trickyTexts[4]!)}, 'Zürich', 'ZH',
      '8000', ${quote(trickyTexts[5]!)}, 'O''Brien', 'o@example.com', ${index ? 'null' : "''"},
      '19.99', '2.00', '10.00', '31.99', '${['PENDING', 'SHIPPED'][index]}', null, 'PAID',
      ${index ? quote('key\\1') : 'null'}, ${index ? "'2025-05-05 05:05:05.5+00'" : 'null'})`)
    statements.push(`insert into order_items (id, order_id, product_id, quantity, price, total)
      values ('${id()}', '${orderId}', '${productIds[index]}', ${index + 1}, '19.99',
      '${index ? '39.98' : '19.99'}')`)
  })

  const transcript = JSON.stringify(trickyTexts.slice(2, 9).map((text, index) => ({
    type: index % 2 ? 'user' : 'agent', text, timestamp: '2025-06-28T19:03:40.000Z',
  })))
  orderIds.forEach((orderId, index) => {
    statements.push(`insert into return_requests (id, order_id, user_id, product_id, title, reason,
      description, status, is_called, call_sid, transcript, ai_summary, ai_analysis,
      analysis_status, refund_amount, call_started_at) values ('${id()}', '${orderId}',
      '${userIds[0]}', '${productIds[index]}', ${quote(trickyTexts[5]!)}, ${quote(trickyTexts[4]!)},
      ${index ? 'null' : "''"}, 'PENDING', 'completed', 'CA${orderId.slice(0, 8)}',
      ${index ? 'null' : `${quote(transcript)}::jsonb`}, ${quote(trickyTexts[3]!)},
      ${index ? "'null'::jsonb" : 'null'}, 'none', ${index ? "'0.00'" : 'null'},
      '2025-06-28 19:03:40.123456+00')`)
  })

  statements.push(`insert into jobs (kind, payload, dedupe_key, status) values
    ('call.dispatch', ${quote(JSON.stringify({ text: trickyTexts[4], n: 1 }))}::jsonb, 'd1',
      'queued'),
    ('analysis.run', '{"big": 98765432109876543210}'::jsonb, null, 'running')`)
  statements.push(`insert into jobs (id, kind, payload) values (1000, 'explicit', '[]'::jsonb)`)
  statements.push(`insert into call_events (type, return_request_id, order_number, data) values
    ('call.queued', '${id()}', 'ORD-1', '{}'::jsonb),
    ('transcript', '${id()}', 'ORD-2', ${quote(JSON.stringify({ line: trickyTexts[5] }))}::jsonb)`)

  for (const statement of statements) await execute(database, statement)

  return {
    users: userIds.length,
    products: productIds.length,
    product_edit_history: productIds.length,
    reviews: productIds.length,
    product_review_insights: 2,
    orders: 2,
    order_items: 2,
    return_requests: 2,
    jobs: 3,
    call_events: 2,
  }
}
