// confab's web client: sign-in, rooms, messages, typing, presence,
// notifications and a read-only view of shared documents, over confab.v1
// (docs/protocol.md). Every text that comes from users is put in the page
// with textContent, never as HTML.
import { WsTransport, SseTransport } from './transport.js';
import { codePoints, apply } from './ot.js';

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls)
    e.className = cls;
  if (text !== undefined)
    e.textContent = text;
  return e;
}

const params = new URLSearchParams(location.search);
const wanted = params.get('transport') || 'auto'; // auto | ws | sse

const S = {
  user: '',
  token: null,
  transport: null,
  up: false,
  session: null,
  heartbeatMs: 15000,
  rooms: new Map(),     // name -> room
  current: null,
  outbox: new Map(),    // cid -> MESSAGE frame not yet ACKed
  notes: new Map(),     // id -> notification
  notesUnread: 0,
  doc: null,            // {room, name, rev, text: [code points]}
  docs: [],
  stats: { dupes: 0, frames: 0, sessions: 0, reopened: 0 },
  cidSeq: 0,
};
window.confab = S; // for people poking at the page, and for its tests

function newCid(prefix) {
  S.cidSeq += 1;
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${S.cidSeq}`;
}

function room(name) {
  let r = S.rooms.get(name);
  if (!r) {
    r = { name, seq: 0, joined: false, unread: 0, messages: new Map(),
      members: new Map(), typing: new Set(), topic: '', oldest: null, more: false,
      readSent: 0 };
    S.rooms.set(name, r);
  }
  return r;
}

/* ---- sign-in ---- */

function showError(text) {
  const li = el('li', null, text);
  $('errors').append(li);
  while ($('errors').children.length > 5)
    $('errors').firstChild.remove();
}

async function signIn(ev) {
  ev.preventDefault();
  const user = $('user').value.trim();
  const password = $('password').value;
  $('signin-error').textContent = '';
  let token = null;
  if (password) {
    let r;
    try {
      r = await fetch('/login', { method: 'POST', cache: 'no-store',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user, password }) });
    } catch (e) {
      $('signin-error').textContent = 'cannot reach the server';
      return;
    }
    if (r.status === 200) {
      token = (await r.json()).token;
    } else if (r.status !== 404) { // 404: a server without accounts
      let why = `sign-in failed (${r.status})`;
      try {
        why = (await r.json()).message || why;
      } catch (e) { /* keep why */ }
      $('signin-error').textContent = why;
      return;
    }
  }
  $('password').value = '';
  sessionStorage.setItem('confab.signin', JSON.stringify({ user, token }));
  start(user, token);
}

async function signOut() {
  sessionStorage.removeItem('confab.signin');
  if (S.transport)
    S.transport.close();
  S.transport = null;
  if (S.token) {
    // before the reload, which would cancel it
    await fetch('/logout', { method: 'POST', cache: 'no-store',
      headers: { Authorization: 'Bearer ' + S.token },
      signal: AbortSignal.timeout(5000) }).catch(() => {});
  }
  location.reload();
}

// The token is not good (any more): back to the form.
function signedOut() {
  sessionStorage.removeItem('confab.signin');
  stopHeartbeat();
  if (S.transport)
    S.transport.close();
  S.transport = null;
  $('chat').hidden = true;
  $('signin').hidden = false;
  $('user').value = S.user;
  $('signin-error').textContent = 'signed out: sign in again';
}

function roomsWanted() {
  const saved = localStorage.getItem('confab.rooms.' + S.user);
  let names = [];
  try {
    names = saved ? JSON.parse(saved) : [];
  } catch (e) { /* none */ }
  const first = params.get('room');
  if (first)
    names.unshift(first);
  if (names.length === 0)
    names = ['lobby'];
  return [...new Set(names)];
}

function saveRooms() {
  localStorage.setItem('confab.rooms.' + S.user, JSON.stringify([...S.rooms.keys()]));
}

function start(user, token) {
  S.user = user;
  S.token = token;
  $('signin').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = user;
  for (const name of roomsWanted())
    room(name);
  S.current = [...S.rooms.keys()][0];
  renderRooms();
  renderRoom();
  connect(wanted === 'sse' ? 'sse' : 'ws');
}

/* ---- transports ---- */

function helloFrame() {
  const resume = {};
  for (const r of S.rooms.values())
    if (r.joined)
      resume[r.name] = r.seq;
  const f = { type: 'HELLO', user: S.user, resume, client: 'confab-web' };
  if (S.token)
    f.token = S.token;
  return f;
}

function sseParams() {
  // rooms held resume after their seq; new ones are joined after WELCOME
  const rooms = [...S.rooms.values()].filter((r) => r.joined)
    .map((r) => `${encodeURIComponent(r.name)}:${r.seq}`).join(',');
  return { user: S.user, token: S.token, rooms };
}

let retryMs = 500;
const owner = {
  onFrame(f) {
    S.stats.frames += 1;
    handle(f);
  },
  onUp() {
    retryMs = 500;
  },
  onDown(info) {
    S.up = false;
    stopHeartbeat();
    if (info.code === 4003) {
      signedOut();
      return;
    }
    const t = S.transport;
    if (!t)
      return;
    if (t.name === 'ws' && info.neverOpened && wanted === 'auto') {
      connect('sse'); // no WebSocket here: the same session over SSE
      return;
    }
    setStatus(`reconnecting (${t.name})`);
    if (info.retrying)
      return; // the EventSource comes back by itself
    if (info.gaveUp) {
      S.stats.reopened += 1;
      t.refusal().then((status) => {
        if (status === 401)
          signedOut();
        else if (S.transport === t)
          setTimeout(() => t.open(), retryMs);
      });
      retryMs = Math.min(retryMs * 2, 10000);
      return;
    }
    setTimeout(() => t.open(), retryMs);
    retryMs = Math.min(retryMs * 2, 10000);
  },
};

function connect(kind) {
  if (S.transport)
    S.transport.close();
  S.transport = kind === 'sse' ? new SseTransport(owner, sseParams)
    : new WsTransport(owner, helloFrame);
  setStatus(`connecting (${kind})`);
  S.transport.open();
}

function send(frame) {
  return S.transport ? S.transport.send(frame) : false;
}

let heartbeat = null;
function startHeartbeat() {
  stopHeartbeat();
  heartbeat = setInterval(() => send({ type: 'HEARTBEAT' }), Math.max(1000, S.heartbeatMs / 2));
}
function stopHeartbeat() {
  if (heartbeat)
    clearInterval(heartbeat);
  heartbeat = null;
}

function setStatus(text) {
  $('status').textContent = text;
}

/* ---- frames ---- */

const handlers = {
  WELCOME(f) {
    S.up = true;
    S.session = f.session;
    S.stats.sessions += 1;
    S.heartbeatMs = f.heartbeat_ms || 15000;
    S.notesUnread = f.unread || 0;
    setStatus(`connected (${S.transport.name})`);
    startHeartbeat();
    for (const r of S.rooms.values())
      if (!r.joined)
        send({ type: 'JOIN', room: r.name, cid: newCid('j') });
    for (const m of S.outbox.values())
      send(m);
    if (S.doc)
      send({ type: 'DOC_OPEN', room: S.doc.room, doc: S.doc.name, since: S.doc.rev });
    send({ type: 'NOTIFICATIONS', limit: 50, cid: newCid('n') });
    renderNotes();
  },
  JOINED(f) {
    const r = room(f.room);
    r.joined = true;
    r.topic = f.topic || '';
    r.unread = f.unread || 0;
    r.members.clear();
    for (const m of f.members || [])
      r.members.set(m.user, m);
    r.typing = new Set((f.typing || []).filter((u) => u !== S.user));
    // without since, the latest messages; with it (a resume), none: the
    // replay that follows brings what is missing
    for (const m of f.messages || []) {
      keep(r, m);
      r.seq = Math.max(r.seq, m.seq);
    }
    r.more = r.oldest !== null && r.oldest > 1;
    saveRooms();
    renderRooms();
    if (f.room === S.current) {
      renderRoom();
      markRead(r);
      send({ type: 'DOC_LIST', room: r.name, cid: newCid('d') });
    }
  },
  MESSAGE(f) {
    const r = room(f.room);
    if (r.messages.has(f.seq)) {
      S.stats.dupes += 1;
      return;
    }
    keep(r, f);
    r.seq = Math.max(r.seq, f.seq);
    if (f.user === S.user && f.cid)
      S.outbox.delete(f.cid);
    if (f.room !== S.current && f.user !== S.user)
      r.unread += 1;
    renderRooms();
    if (f.room === S.current) {
      renderRoom();
      markRead(r);
    }
  },
  ACK(f) {
    if (f.cid && S.outbox.has(f.cid)) {
      S.outbox.delete(f.cid);
      if (f.room === S.current)
        renderRoom();
    }
  },
  HISTORY(f) {
    const r = room(f.room);
    for (const m of f.messages || [])
      keep(r, m);
    r.more = !!f.more;
    if (f.room === S.current)
      renderRoom();
  },
  TYPING(f) {
    const r = room(f.room);
    if (f.user === S.user)
      return;
    if (f.active)
      r.typing.add(f.user);
    else
      r.typing.delete(f.user);
    if (f.room === S.current)
      renderTyping();
  },
  PRESENCE_UPDATE(f) {
    if (!f.user)
      return;
    for (const r of S.rooms.values())
      if (r.members.has(f.user))
        r.members.set(f.user, { ...r.members.get(f.user), status: f.status, text: f.text || '' });
    renderMembers();
  },
  USER_JOINED(f) {
    room(f.room).members.set(f.user, f);
    renderMembers();
  },
  USER_LEFT(f) {
    room(f.room).members.delete(f.user);
    renderMembers();
  },
  MESSAGE_EDITED(f) {
    const m = room(f.room).messages.get(f.seq);
    if (m) {
      m.text = f.text;
      m.edited_ts = f.edited_ts;
    }
    if (f.room === S.current)
      renderRoom();
  },
  MESSAGE_DELETED(f) {
    const m = room(f.room).messages.get(f.seq);
    if (m) {
      m.deleted = true;
      m.text = '';
    }
    if (f.room === S.current)
      renderRoom();
  },
  READ(f) {
    room(f.room).unread = f.unread || 0;
    renderRooms();
  },
  TOPIC(f) {
    room(f.room).topic = f.text || '';
    if (f.room === S.current)
      renderRoom();
  },
  ROOMS(f) {
    const list = $('directory');
    list.replaceChildren();
    for (const d of f.rooms || []) {
      const li = el('li', null, `${d.room} (${d.members})`);
      li.title = d.topic || '';
      li.addEventListener('click', () => joinRoom(d.room));
      list.append(li);
    }
  },
  NOTIFICATION(f) {
    const fresh = !S.notes.has(f.id);
    S.notes.set(f.id, f);
    S.notesUnread = f.unread;
    renderNotes();
    if (fresh && 'Notification' in window && Notification.permission === 'granted') {
      try {
        new Notification(f.title, { body: f.message, tag: 'confab-' + f.id });
      } catch (e) { /* some browsers allow them only from a service worker */ }
    }
  },
  NOTIFICATIONS(f) {
    for (const n of f.notifications || [])
      S.notes.set(n.id, n);
    S.notesUnread = f.unread || 0;
    renderNotes();
  },
  NOTIFICATION_READ(f) {
    for (const n of S.notes.values())
      if (f.id === n.id || (f.upto !== undefined && n.id <= f.upto))
        n.read = true;
    S.notesUnread = f.unread;
    renderNotes();
  },
  DOC_LIST(f) {
    if (f.room !== S.current)
      return;
    S.docs = f.docs || [];
    renderDocs();
  },
  DOC_STATE(f) {
    if (!S.doc || S.doc.room !== f.room || S.doc.name !== f.doc)
      return;
    if (typeof f.text === 'string')
      S.doc.text = codePoints(f.text);
    S.doc.rev = f.rev;
    S.doc.open = true;
    renderDoc();
  },
  DOC_OP(f) {
    const d = S.doc;
    if (!d || d.room !== f.room || d.name !== f.doc || f.rev <= d.rev)
      return;
    if (f.rev !== d.rev + 1) { // a gap: start again from the whole text
      send({ type: 'DOC_OPEN', room: d.room, doc: d.name });
      return;
    }
    try {
      d.text = apply(d.text, f.op);
      d.rev = f.rev;
    } catch (e) {
      send({ type: 'DOC_OPEN', room: d.room, doc: d.name });
      return;
    }
    renderDoc();
  },
  ERROR(f) {
    if (f.code === 'unauthorized')
      signedOut();
    if (f.ref === 'DOC_OPEN' && f.code === 'rev_too_old' && S.doc)
      send({ type: 'DOC_OPEN', room: S.doc.room, doc: S.doc.name });
    if (f.ref === 'JOIN' && f.room) {
      S.rooms.delete(f.room);
      if (S.current === f.room)
        S.current = [...S.rooms.keys()][0] || null;
      saveRooms();
      renderRooms();
      renderRoom();
    }
    showError(`${f.code}: ${f.reason || ''}`);
  },
};

function handle(f) {
  const h = handlers[f.type];
  if (h)
    h(f);
}

function keep(r, m) {
  r.messages.set(m.seq, m);
  if (r.oldest === null || m.seq < r.oldest)
    r.oldest = m.seq;
}

/* ---- what the user does ---- */

function sendMessage(ev) {
  ev.preventDefault();
  const input = $('composer');
  const text = input.value;
  if (!text.trim() || !S.current)
    return;
  const f = { type: 'MESSAGE', cid: newCid('w'), room: S.current, text };
  S.outbox.set(f.cid, f);
  send(f);
  input.value = '';
  typingSent = 0;
  renderRoom();
}

let typingSent = 0;
function onInput() {
  const now = Date.now();
  const text = $('composer').value;
  if (!S.current)
    return;
  if (text && now - typingSent > 3000) {
    typingSent = now;
    send({ type: 'TYPING', room: S.current, active: true });
  } else if (!text && typingSent) {
    typingSent = 0;
    send({ type: 'TYPING', room: S.current, active: false });
  }
}

function joinRoom(name) {
  name = name.trim();
  if (!name)
    return;
  const r = room(name);
  if (!r.joined)
    send({ type: 'JOIN', room: name, cid: newCid('j') });
  switchRoom(name);
}

function switchRoom(name) {
  S.current = name;
  S.docs = [];
  const r = room(name);
  r.unread = 0;
  renderRooms();
  renderRoom();
  markRead(r);
  if (r.joined)
    send({ type: 'DOC_LIST', room: name, cid: newCid('d') });
}

function markRead(r) {
  if (!r.joined || r.seq === 0 || r.readSent >= r.seq || document.hidden)
    return;
  r.readSent = r.seq;
  r.unread = 0;
  send({ type: 'READ', room: r.name, seq: r.seq });
}

function openDoc(name) {
  if (!S.current || !name)
    return;
  if (S.doc)
    send({ type: 'DOC_CLOSE', room: S.doc.room, doc: S.doc.name });
  S.doc = { room: S.current, name, rev: 0, text: [], open: false };
  send({ type: 'DOC_OPEN', room: S.current, doc: name, cid: newCid('o') });
  renderDoc();
}

function closeDoc() {
  if (S.doc)
    send({ type: 'DOC_CLOSE', room: S.doc.room, doc: S.doc.name });
  S.doc = null;
  renderDoc();
}

/* ---- rendering ---- */

function renderRooms() {
  const list = $('rooms');
  list.replaceChildren();
  for (const r of S.rooms.values()) {
    const li = el('li', r.name === S.current ? 'current' : '', r.name);
    li.dataset.room = r.name;
    if (r.unread > 0 && r.name !== S.current)
      li.append(el('span', 'badge', String(r.unread)));
    li.addEventListener('click', () => switchRoom(r.name));
    list.append(li);
  }
}

function messageItem(m, pending) {
  const li = el('li', 'msg');
  if (pending)
    li.classList.add('pending');
  else
    li.dataset.seq = String(m.seq);
  const when = new Date(m.ts || Date.now());
  const t = el('time', null, when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  t.dateTime = when.toISOString();
  li.append(t, el('span', 'user', m.user || S.user));
  if (m.deleted) {
    li.classList.add('deleted');
    li.append(el('span', 'text', '(deleted)'));
  } else {
    li.append(el('span', 'text', m.text));
    if (mentions(m.text, S.user) && m.user !== S.user)
      li.classList.add('mention');
  }
  return li;
}

// docs/protocol.md, "Mentions": @name as a whole word, or name: at the start.
function mentions(text, user) {
  const u = user.toLowerCase();
  const t = (text || '').toLowerCase();
  const head = t.trimStart();
  if (head.startsWith(u + ':') || head.startsWith(u + ','))
    return true;
  const word = /[a-z0-9_]/;
  for (let i = t.indexOf('@' + u); i >= 0; i = t.indexOf('@' + u, i + 1)) {
    const before = i > 0 ? t[i - 1] : '';
    const after = t[i + 1 + u.length] || '';
    if (!word.test(before) && !word.test(after))
      return true;
  }
  return false;
}

function renderRoom() {
  const r = S.current ? room(S.current) : null;
  $('room-title').textContent = r ? r.name : '';
  $('room-topic').textContent = r ? r.topic : '';
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren();
  if (r) {
    const seqs = [...r.messages.keys()].sort((a, b) => a - b);
    for (const s of seqs)
      list.append(messageItem(r.messages.get(s), false));
    for (const m of S.outbox.values())
      if (m.room === r.name)
        list.append(messageItem(m, true));
    $('older').hidden = !(r.more && r.oldest > 1);
  }
  if (atBottom)
    list.scrollTop = list.scrollHeight;
  renderTyping();
  renderMembers();
}

function renderTyping() {
  const r = S.current ? room(S.current) : null;
  const who = r ? [...r.typing] : [];
  $('typing').textContent = who.length === 0 ? ''
    : who.length === 1 ? `${who[0]} is typing…` : `${who.join(', ')} are typing…`;
}

function renderMembers() {
  const list = $('members');
  list.replaceChildren();
  const r = S.current ? room(S.current) : null;
  if (!r)
    return;
  const names = [...r.members.keys()].sort();
  for (const n of names) {
    const m = r.members.get(n);
    const status = m.status || 'offline';
    const li = el('li', `presence ${status}`, n);
    li.dataset.user = n;
    li.dataset.status = status;
    if (m.text)
      li.append(el('span', 'hint', ` — ${m.text}`));
    list.append(li);
  }
}

function renderDocs() {
  const list = $('docs');
  list.replaceChildren();
  for (const d of S.docs) {
    const li = el('li', null, `${d.name} (${d.watching || 0} watching)`);
    li.addEventListener('click', () => openDoc(d.name));
    list.append(li);
  }
}

function renderDoc() {
  const d = S.doc;
  $('doc-pane').hidden = !d;
  if (!d)
    return;
  $('doc-title').textContent = `${d.room}/${d.name}`;
  $('doc-rev').textContent = d.open ? `rev ${d.rev}` : 'opening…';
  $('doc-text').textContent = d.text.join('');
}

function renderNotes() {
  $('notes-unread').textContent = S.notesUnread ? `(${S.notesUnread})` : '';
  const list = $('notifications');
  list.replaceChildren();
  const notes = [...S.notes.values()].sort((a, b) => b.id - a.id).slice(0, 50);
  for (const n of notes) {
    const li = el('li', n.read ? '' : 'unread');
    li.dataset.id = String(n.id);
    li.append(el('div', 'title', n.title), el('div', 'body', n.message || ''));
    if (n.room)
      li.addEventListener('click', () => joinRoom(n.room));
    list.append(li);
  }
  const perm = $('notify-permission');
  perm.hidden = !('Notification' in window) || Notification.permission !== 'default';
}

/* ---- wiring ---- */

function wire() {
  $('signin-form').addEventListener('submit', signIn);
  $('send-form').addEventListener('submit', sendMessage);
  $('composer').addEventListener('input', onInput);
  $('join-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    joinRoom($('join-room').value);
    $('join-room').value = '';
  });
  $('directory-button').addEventListener('click',
    () => send({ type: 'ROOMS', cid: newCid('r'), limit: 50 }));
  $('older').addEventListener('click', () => {
    const r = room(S.current);
    send({ type: 'HISTORY', room: r.name, before: r.oldest, limit: 50, cid: newCid('h') });
  });
  $('doc-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    openDoc($('doc-name').value.trim());
  });
  $('doc-close').addEventListener('click', closeDoc);
  $('notify-permission').addEventListener('click', () => {
    if ('Notification' in window)
      Notification.requestPermission().then(renderNotes);
  });
  $('notes-read').addEventListener('click', () => {
    const ids = [...S.notes.keys()];
    if (ids.length)
      send({ type: 'MARK_ALL_READ', upto: Math.max(...ids), cid: newCid('m') });
  });
  $('signout').addEventListener('click', signOut);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && S.current)
      markRead(room(S.current));
  });
  const saved = sessionStorage.getItem('confab.signin');
  if (saved) {
    try {
      const s = JSON.parse(saved);
      start(s.user, s.token);
      return;
    } catch (e) { /* sign in again */ }
  }
  const u = params.get('user');
  if (u)
    $('user').value = u;
}

wire();
