// A small confab.v1 client over a raw WebSocket (RFC 6455), for the
// browser tests: the other user the page chats with. Node's own modules
// only: the handshake, masked text frames out, frames in (fragments put
// together), every received frame kept so that a test can wait for one.
import net from 'node:net';
import crypto from 'node:crypto';

export class Peer {
  constructor(port) {
    this.port = port;
    this.frames = [];
    this.waiters = [];
    this.buf = Buffer.alloc(0);
    this.parts = [];
    this.open = false;
  }

  connect(timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const key = crypto.randomBytes(16).toString('base64');
      const sock = net.connect(this.port, '127.0.0.1');
      this.sock = sock;
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error('WebSocket handshake timed out'));
      }, timeoutMs);
      let head = Buffer.alloc(0);
      const onHead = (d) => {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0)
          return;
        sock.off('data', onHead);
        clearTimeout(timer);
        const status = head.subarray(0, end).toString().split('\r\n')[0];
        if (!/^HTTP\/1\.1 101 /.test(status)) {
          sock.destroy();
          reject(new Error('upgrade refused: ' + status));
          return;
        }
        this.open = true;
        sock.on('data', (x) => this.onData(x));
        this.onData(head.subarray(end + 4));
        resolve();
      };
      sock.on('data', onHead);
      sock.on('error', (e) => {
        clearTimeout(timer);
        this.open = false;
        reject(e);
      });
      sock.on('close', () => {
        this.open = false;
      });
      sock.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\n` +
        'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
        'Sec-WebSocket-Protocol: confab.v1\r\n\r\n');
    });
  }

  onData(d) {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.buf.length < 2)
        return;
      const op = this.buf[0] & 0x0f, fin = (this.buf[0] & 0x80) !== 0;
      let len = this.buf[1] & 0x7f, at = 2;
      if (len === 126) {
        if (this.buf.length < 4)
          return;
        len = this.buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (this.buf.length < 10)
          return;
        len = Number(this.buf.readBigUInt64BE(2));
        at = 10;
      }
      if (this.buf.length < at + len)
        return;
      const payload = this.buf.subarray(at, at + len);
      this.buf = this.buf.subarray(at + len);
      if (op === 0x8) {
        this.sock.end();
        return;
      }
      if (op === 0x9) {
        this.write(0xa, payload);
        continue;
      }
      if (op === 0x1 || op === 0x0) {
        this.parts.push(Buffer.from(payload));
        if (fin) {
          const text = Buffer.concat(this.parts).toString('utf8');
          this.parts = [];
          this.deliver(JSON.parse(text));
        }
      }
    }
  }

  deliver(f) {
    this.frames.push(f);
    for (const w of [...this.waiters])
      if (w.test(f)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(f);
      }
  }

  write(op, payload) {
    const mask = crypto.randomBytes(4);
    const n = payload.length;
    const head = n < 126 ? Buffer.from([0x80 | op, 0x80 | n])
      : n < 65536 ? Buffer.from([0x80 | op, 0x80 | 126, n >> 8, n & 255])
        : null;
    if (!head)
      throw new Error('frame too big for this test client');
    const body = Buffer.from(payload);
    for (let i = 0; i < n; i++)
      body[i] ^= mask[i & 3];
    this.sock.write(Buffer.concat([head, mask, body]));
  }

  send(frame) {
    this.write(0x1, Buffer.from(JSON.stringify(frame), 'utf8'));
  }

  // The first frame, received already (after `from`) or within timeoutMs,
  // for which test is true.
  wait(test, what, timeoutMs = 10000, from = 0) {
    const had = this.frames.slice(from).find(test);
    if (had)
      return Promise.resolve(had);
    return new Promise((resolve, reject) => {
      const w = { test, resolve };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`peer: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  async login(user, token, rooms) {
    await this.connect();
    this.send({ type: 'HELLO', user, token });
    await this.wait((f) => f.type === 'WELCOME', 'WELCOME');
    for (const r of rooms) {
      this.send({ type: 'JOIN', room: r });
      await this.wait((f) => f.type === 'JOINED' && f.room === r, 'JOINED ' + r);
    }
  }

  close() {
    if (this.sock)
      this.sock.destroy();
    this.open = false;
  }
}
