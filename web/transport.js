// The two ways the page reaches confabd, behind one interface:
//   open(), send(frame), close(), name
// and callbacks on the owner: onFrame(frame), onUp(), onDown(info).
// WebSocket (subprotocol confab.v1) first; where it cannot be opened, the
// same session over Server-Sent Events (GET /events) with the page's frames
// sent by POST /send (docs/protocol.md, "Server-Sent Events and long
// polling").

export class WsTransport {
  constructor(owner, hello) {
    this.owner = owner;
    this.hello = hello; // () => the HELLO frame for a new session
    this.name = 'ws';
    this.ws = null;
    this.everOpened = false;
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      ws = new WebSocket(`${scheme}//${location.host}/`, 'confab.v1');
    } catch (e) {
      setTimeout(() => this.owner.onDown({ neverOpened: true }), 0);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.everOpened = true;
      ws.send(JSON.stringify(this.hello()));
      this.owner.onUp();
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string')
        return;
      let f;
      try {
        f = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      this.owner.onFrame(f);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws)
        return;
      this.ws = null;
      this.owner.onDown({ neverOpened: !opened && !this.everOpened, code: ev.code });
    };
  }

  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  close() {
    const ws = this.ws;
    this.ws = null;
    if (ws)
      ws.close(1000);
  }
}

// An EventSource reconnects by itself and sends Last-Event-ID, so that the
// server resumes every room where the stream stood: nothing missed, nothing
// twice. Should the browser give the stream up (a refusal, not a cut), it
// is opened again here with the last id as its rooms.
export class SseTransport {
  constructor(owner, params) {
    this.owner = owner;
    this.params = params; // () => {user, token, rooms}
    this.name = 'sse';
    this.es = null;
    this.key = null;
    this.queue = [];
    this.lastId = '';
    this.sending = false;
    this.everOpened = false;
    this.stopped = false;
  }

  url(rooms) {
    const p = this.params();
    const q = new URLSearchParams();
    q.set('user', p.user);
    if (p.token)
      q.set('token', p.token);
    if (rooms)
      q.set('rooms', rooms);
    return '/events?' + q.toString();
  }

  open() {
    this.stopped = false;
    const p = this.params();
    const rooms = this.lastId && this.lastId !== '-' ? this.lastId : p.rooms;
    const es = new EventSource(this.url(rooms));
    this.es = es;
    es.addEventListener('session', (ev) => {
      let s;
      try {
        s = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      this.key = s.session;
      this.everOpened = true;
      this.owner.onUp();
      this.flush();
    });
    es.onmessage = (ev) => {
      if (ev.lastEventId)
        this.lastId = ev.lastEventId;
      let f;
      try {
        f = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      this.owner.onFrame(f);
    };
    es.addEventListener('close', (ev) => {
      this.key = null;
      let c = {};
      try {
        c = JSON.parse(ev.data);
      } catch (e) { /* keep {} */ }
      if (c.code === 4003) {
        this.close();
        this.owner.onDown({ code: 4003 });
      }
    });
    es.onerror = () => {
      if (this.es !== es)
        return;
      this.key = null;
      if (es.readyState === EventSource.CLOSED) {
        this.es = null;
        this.owner.onDown({ neverOpened: !this.everOpened, gaveUp: true });
      } else {
        this.owner.onDown({ retrying: true });
      }
    };
  }

  // Why the browser gave the stream up: an EventSource does not say, so
  // the same request is made once more to read its status (401: the token
  // is not good); the stream, should it open, is dropped at once.
  async refusal() {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 5000);
    try {
      const r = await fetch(this.url(this.params().rooms), { signal: ac.signal,
        headers: { Accept: 'text/event-stream' }, cache: 'no-store' });
      return r.status;
    } catch (e) {
      return 0;
    } finally {
      clearTimeout(timer);
      ac.abort();
    }
  }

  send(frame) {
    if (this.stopped)
      return false;
    this.queue.push(frame);
    this.flush();
    return true;
  }

  // One POST at a time, in order, each carrying all that waits.
  flush() {
    if (this.sending || !this.key || this.queue.length === 0)
      return;
    const batch = this.queue.splice(0, 50);
    this.sending = true;
    fetch('/send?session=' + encodeURIComponent(this.key), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
      credentials: 'omit',
      cache: 'no-store',
    }).then((r) => {
      // 404: the session ended; what was sent with it is the owner's to
      // send again on the next session (its outbox)
      if (r.status === 429)
        this.queue.unshift(...batch);
    }).catch(() => {}).finally(() => {
      this.sending = false;
      if (this.queue.length)
        setTimeout(() => this.flush(), 200);
    });
  }

  close() {
    this.stopped = true;
    this.key = null;
    this.queue = [];
    const es = this.es;
    this.es = null;
    if (es)
      es.close();
  }
}
