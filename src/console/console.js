// Ops console: an admin signs in and watches return calls live over /ws/calls.
// Plain browser JavaScript, no build step. Everything shown is set with textContent.
'use strict'

const TOKEN_KEY = 'amazon-eye.console.token'
const ACTIVE = new Set(['queued', 'initiated', 'ringing', 'in-progress'])
const MAX_BACKOFF_MS = 30_000
const OFFLINE_AFTER_FAILURES = 5
// Close codes after which reconnecting cannot help: the token expired, or the account was
// deleted or is no longer an admin.
const SIGNED_OUT_BY_SERVER = {
  4001: 'Your session expired. Please sign in again.',
  4003: 'This account no longer has admin access.',
}

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  user: null,
  socket: null,
  lastSeq: 0,
  // Events below the snapshot's seq that were still committing when it was read.
  pending: new Set(),
  failures: 0,
  retryTimer: null,
  calls: new Map(),
  selectedId: null,
  renderQueued: false,
  freshLines: new Set(),
}

const $ = (id) => document.getElementById(id)

function el(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined && text !== null) node.textContent = String(text)
  return node
}

// --- Sign-in ---------------------------------------------------------------------------

async function signIn(event) {
  event.preventDefault()
  const identifier = $('identifier').value.trim()
  const password = $('password').value
  const body = identifier.includes('@')
    ? { email: identifier, password }
    : { phone: identifier, password }

  $('sign-in').disabled = true
  $('login-error').textContent = ''
  try {
    const response = await fetch('/api/users/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const answer = await response.json().catch(() => ({}))
    if (!response.ok) {
      throw new Error(answer.error?.message ?? `Sign-in failed (${response.status})`)
    }
    if (answer.user?.role !== 'admin') {
      throw new Error('This console is for admin accounts only.')
    }

    state.token = answer.token
    state.user = answer.user
    sessionStorage.setItem(TOKEN_KEY, answer.token)
    $('password').value = ''
    showBoard()
  } catch (error) {
    $('login-error').textContent = error.message
  } finally {
    $('sign-in').disabled = false
  }
}

function signOut(message) {
  state.token = null
  state.user = null
  sessionStorage.removeItem(TOKEN_KEY)
  disconnect()
  state.calls.clear()
  state.lastSeq = 0
  state.pending.clear()
  state.selectedId = null
  // Not connected by choice: a neutral badge, not the red one of a lost connection.
  setConnection('signed-out')
  $('board').hidden = true
  $('login').hidden = false
  $('who').hidden = true
  $('sign-out').hidden = true
  $('login-error').textContent = message ?? ''
}

/** Checks a token kept from earlier in this tab; undefined when it no longer works. */
async function currentAdmin() {
  const response = await fetch('/api/users/me', {
    headers: { authorization: `Bearer ${state.token}` },
  })
  if (!response.ok) return undefined
  const { user } = await response.json()
  return user?.role === 'admin' ? user : undefined
}

function showBoard() {
  $('login').hidden = true
  $('board').hidden = false
  $('who').textContent = state.user.name
  $('who').hidden = false
  $('sign-out').hidden = false
  connect()
}

// --- Connection ----------------------------------------------------------------------------

/** The badge's words where they differ from the state's name. */
const CONNECTION_LABELS = { 'signed-out': 'signed out' }

function setConnection(value) {
  $('connection').dataset.state = value
  $('connection').textContent = CONNECTION_LABELS[value] ?? value
}

function connect() {
  clearTimeout(state.retryTimer)
  if (!state.token) return
  setConnection(state.failures === 0 ? 'connecting' : 'reconnecting')

  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const since = state.lastSeq > 0 ? `?since=${state.lastSeq}` : ''
  // The token travels as a subprotocol next to the feed's own name, which the server answers:
  // browsers cannot set headers on a websocket.
  const socket = new WebSocket(`${scheme}//${location.host}/ws/calls${since}`,
    ['calls.v1', `bearer.${state.token}`])
  state.socket = socket
  let opened = false

  socket.onopen = () => {
    opened = true
    state.failures = 0
    setConnection('live')
  }
  socket.onmessage = (event) => receive(JSON.parse(event.data))
  socket.onclose = (event) => {
    if (state.socket !== socket) return
    state.socket = null
    const reason = SIGNED_OUT_BY_SERVER[event.code]
    if (reason) return signOut(reason)
    void retry(opened)
  }
}

async function retry(wasOpen) {
  state.failures += 1
  // An upgrade refused for the token looks like any failed connection: ask the API why.
  if (!wasOpen && state.failures >= 2) {
    const stillAdmin = await currentAdmin().then(Boolean, () => true)
    if (!stillAdmin) return signOut('Your session is no longer valid. Please sign in again.')
  }

  const offline = !navigator.onLine || state.failures >= OFFLINE_AFTER_FAILURES
  setConnection(offline ? 'offline' : 'reconnecting')
  const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (state.failures - 1))
  state.retryTimer = setTimeout(connect, delay + Math.random() * 250)
}

function disconnect() {
  clearTimeout(state.retryTimer)
  const socket = state.socket
  state.socket = null
  socket?.close(1000, 'signed out')
}

// --- Events ------------------------------------------------------------------------------

function receive(message) {
  if (message.type === 'snapshot') return applySnapshot(message)
  if (message.type === 'resumed') {
    state.lastSeq = Math.max(state.lastSeq, message.seq)
    return
  }
  if (message.seq <= state.lastSeq && !state.pending.delete(message.seq)) return
  state.lastSeq = Math.max(state.lastSeq, message.seq)
  applyEvent(message)
  scheduleRender()
}

function applySnapshot(message) {
  state.calls.clear()
  for (const call of [...message.data.recent, ...message.data.active]) {
    state.calls.set(call.returnRequestId, { ...call, transcript: [...call.transcript] })
  }
  state.lastSeq = message.seq
  state.pending = new Set(message.data.pending ?? [])
  if (state.selectedId && !state.calls.has(state.selectedId)) state.selectedId = null
  scheduleRender()
}

function callFor(event) {
  let call = state.calls.get(event.returnRequestId)
  if (!call) {
    call = {
      returnRequestId: event.returnRequestId, orderNumber: event.orderNumber,
      customerName: '', productName: '', title: 'Return request', reason: '',
      callStatus: 'pending', callFailureReason: null, transcript: [], analysisStatus: 'none',
      aiSummary: null, aiAnalysis: null, updatedAt: event.time,
    }
    state.calls.set(event.returnRequestId, call)
    void fillDetails(call)
  }
  call.updatedAt = event.time
  return call
}

/** A call first seen through an event: the admin API has its product, customer and reason. */
async function fillDetails(call) {
  const response = await fetch(`/api/orders/returns/${call.returnRequestId}`, {
    headers: { authorization: `Bearer ${state.token}` },
  }).catch(() => undefined)
  if (!response?.ok) return

  const detail = await response.json()
  call.productName = detail.productName ?? call.productName
  call.title = detail.title ?? call.title
  call.reason = detail.reason ?? call.reason
  if (call.transcript.length === 0 && Array.isArray(detail.transcript)) {
    call.transcript = detail.transcript
  }
  scheduleRender()
}

const lineKey = (line) => `${line.timestamp}|${line.type}|${line.text}`

/** The snapshot has only the last lines of a call: fetch the whole transcript once, on open. */
async function loadFullTranscript(call) {
  if (call.fullTranscript) return
  call.fullTranscript = 'loading'
  const before = call.transcript.length
  const response = await fetch(`/api/orders/returns/${call.returnRequestId}`, {
    headers: { authorization: `Bearer ${state.token}` },
  }).catch(() => undefined)
  if (!response?.ok) {
    call.fullTranscript = 'failed'
    scheduleRender()
    return
  }

  const detail = await response.json()
  if (Array.isArray(detail.transcript)) {
    // Lines that arrived live during the request may or may not be in the answer.
    const known = new Set(detail.transcript.map(lineKey))
    const arrived = call.transcript.slice(before).filter((line) => !known.has(lineKey(line)))
    call.transcript = [...detail.transcript, ...arrived]
  }
  call.fullTranscript = 'loaded'
  call.transcriptTruncated = false
  scheduleRender()
}

function applyEvent(event) {
  const call = callFor(event)
  const data = event.data ?? {}
  switch (event.type) {
    case 'return.created':
      call.callStatus = data.isCalled ?? call.callStatus
      break
    case 'call.queued':
    case 'call.initiated':
    case 'call.status':
      call.callStatus = data.status ?? call.callStatus
      break
    case 'call.transcript':
      for (const line of data.lines ?? []) {
        call.transcript.push(line)
        state.freshLines.add(line)
      }
      if (!state.selectedId) state.selectedId = call.returnRequestId
      break
    case 'call.completed':
      call.callStatus = 'completed'
      if (data.lines > 0) call.analysisStatus = 'pending'
      break
    case 'call.failed':
      call.callStatus = data.status ?? 'failed'
      call.callFailureReason = data.reason ?? null
      break
    case 'analysis.ready':
      call.analysisStatus = 'completed'
      call.aiSummary = data.summary ?? null
      call.aiAnalysis = data.analysis ?? null
      call.analysisError = null
      break
    case 'analysis.failed':
      call.analysisStatus = data.analysisStatus ?? 'failed'
      call.analysisError = data.reason ?? null
      break
  }
}

// --- Rendering ---------------------------------------------------------------------------

function scheduleRender() {
  if (state.renderQueued) return
  state.renderQueued = true
  requestAnimationFrame(() => {
    state.renderQueued = false
    render()
  })
}

const byRecent = (a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt))

function render() {
  const calls = [...state.calls.values()].sort(byRecent)
  const active = calls.filter((call) =>
    ACTIVE.has(call.callStatus) || call.callStatus === 'pending')
  const recent = calls.filter((call) => !active.includes(call)).slice(0, 30)
  if (!state.selectedId && active[0]) state.selectedId = active[0].returnRequestId

  renderList($('active-list'), active, 'No call in progress.')
  renderList($('recent-list'), recent, 'Nothing yet.')
  $('active-count').textContent = active.length
  $('recent-count').textContent = recent.length
  renderDetail(state.calls.get(state.selectedId))
  state.freshLines.clear()
}

function renderList(list, calls, emptyText) {
  list.replaceChildren()
  if (calls.length === 0) list.append(el('li', 'empty-note', emptyText))
  for (const call of calls) {
    const item = el('li', call.returnRequestId === state.selectedId ? 'selected' : '')
    const button = el('button')
    button.type = 'button'
    button.dataset.id = call.returnRequestId
    const line1 = el('span', 'line1')
    line1.append(el('span', 'order', call.orderNumber), statusBadge(call.callStatus))
    const who = [call.customerName, call.productName].filter(Boolean).join(' · ')
    button.append(line1, el('span', 'line2', who || call.title))
    button.addEventListener('click', () => {
      state.selectedId = call.returnRequestId
      render()
    })
    item.append(button)
    list.append(item)
  }
}

function statusBadge(status) {
  const badge = el('span', 'badge', status)
  badge.dataset.tone = toneOf(status)
  return badge
}

function toneOf(status) {
  if (ACTIVE.has(status) || status === 'pending') return 'active'
  if (status === 'completed') return 'good'
  if (status === 'blocked' || status === 'unavailable') return 'warn'
  if (['failed', 'busy', 'no-answer'].includes(status)) return 'bad'
  return ''
}

function renderDetail(call) {
  $('empty').hidden = Boolean(call)
  $('call').hidden = !call
  if (!call) return

  $('call-title').textContent = `${call.orderNumber} · ${call.productName || call.title}`
  $('call-meta').textContent = [call.customerName, call.title, shortTime(call.updatedAt)]
    .filter(Boolean).join(' · ')
  const status = $('call-status')
  status.textContent = call.callStatus
  status.dataset.tone = toneOf(call.callStatus)
  $('call-reason').textContent = call.reason ? `Reason: ${call.reason}` : ''
  $('call-reason').hidden = !call.reason
  $('call-failure').hidden = !call.callFailureReason
  $('call-failure').textContent = call.callFailureReason ?? ''

  renderTranscript(call)
  renderAnalysis(call)
  if (call.transcriptTruncated) void loadFullTranscript(call)
}

function renderTranscript(call) {
  const list = $('transcript')
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40
  list.replaceChildren()
  for (const line of call.transcript) {
    const item = el('li', line.type === 'agent' ? 'agent' : 'user')
    if (state.freshLines.has(line)) item.classList.add('fresh')
    const speaker = line.type === 'agent' ? 'Agent' : 'Customer'
    item.append(el('span', 'who', `${speaker} · ${shortTime(line.timestamp)}`))
    item.append(document.createTextNode(line.text))
    list.append(item)
  }
  if (call.transcriptTruncated) {
    const note = call.fullTranscript === 'failed'
      ? `Only the last ${call.transcript.length} of ${call.transcriptLines} lines could load.`
      : `Loading the earlier lines (${call.transcriptLines} in all)…`
    list.prepend(el('li', 'waiting', note))
  }
  if (call.transcript.length === 0) {
    const note = ACTIVE.has(call.callStatus) ? 'Waiting for the first words…' : 'No transcript.'
    list.append(el('li', 'waiting', note))
  }
  if (atBottom) list.scrollTop = list.scrollHeight
}

function renderAnalysis(call) {
  const badge = $('analysis-status')
  badge.textContent = call.analysisStatus
  badge.dataset.tone = toneOf(call.analysisStatus)
  const box = $('analysis')
  box.replaceChildren()

  const analysis = call.aiAnalysis
  if (call.analysisStatus !== 'completed' || !analysis) {
    const text = call.analysisStatus === 'pending'
      ? 'Gemini is analysing the call…'
      : call.analysisError ?? 'No analysis yet.'
    box.append(el('p', 'muted', text))
    return
  }

  box.append(el('p', 'summary', analysis.summary))
  const facts = el('dl')
  const fact = (label, value) => {
    if (value === undefined || value === null || value === '') return
    facts.append(el('dt', '', label), el('dd', '', value))
  }
  fact('Recommended', analysis.recommendedOutcome?.replace('_', ' '))
  fact('Issue', analysis.customerIssue)
  const { sentiment, callQuality } = analysis
  fact('Sentiment', sentiment && `${sentiment.label} (${sentiment.score})`)
  fact('Offered', analysis.resolutionOffered)
  fact('Call quality', callQuality && `${callQuality.score}/10 — ${callQuality.notes}`)
  box.append(facts)
  listOf(box, 'Next steps', analysis.nextSteps)
  listOf(box, 'Key insights', analysis.keyInsights)
}

function listOf(box, title, items) {
  if (!Array.isArray(items) || items.length === 0) return
  box.append(el('strong', '', title))
  const list = el('ul')
  for (const item of items) list.append(el('li', '', item))
  box.append(list)
}

function shortTime(iso) {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString()
}

// --- Start ---------------------------------------------------------------------------------

$('login-form').addEventListener('submit', signIn)
$('sign-out').addEventListener('click', () => signOut())
window.addEventListener('online', () => {
  if (state.token && !state.socket) connect()
})
window.addEventListener('offline', () => {
  if (state.token) setConnection('offline')
})

async function start() {
  if (!state.token) return signOut()
  const user = await currentAdmin().catch(() => undefined)
  if (!user) return signOut()
  state.user = user
  showBoard()
}

void start()
