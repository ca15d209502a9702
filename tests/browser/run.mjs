// The web client in a real headless Chromium (Debian's, driven by
// playwright-core) against a real confabd on a free loopback port, with a
// raw WebSocket client (peer.mjs) as the other user:
//   - the static route: types, ETag/304, the policy, HEAD, 405, and what it
//     must not serve (traversal, links, directories, dot files, unknown);
//   - alice in the page over WebSocket and bob chat both ways, typing,
//     presence, a mention's notification (in the page and the browser's
//     Notification), a shared document followed through DOC_OPs, and a
//     message of markup shown as text;
//   - carol in a page whose WebSocket cannot open falls back to SSE + POST
//     and chats both ways; confabd is killed and started again, her
//     EventSource comes back and every message shows exactly once.
// Every wait has a deadline; confabd and Chromium are ended by PID.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Peer } from './peer.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONFABD = process.env.CONFABD;
const WEB = process.env.WEB_DIR || path.join(here, '..', '..', 'web');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'correct horse battery';
const SKIP = 77;

let server = null;
let browser = null;
let browserPid = null; // Chromium's, found among this process's children
let tmp = null;
let failed = false;

function log(...a) {
  console.log(`[${(process.uptime()).toFixed(1)}s]`, ...a);
}

async function cleanup() {
  if (browser)
    await Promise.race([browser.close().catch(() => {}),
      new Promise((r) => setTimeout(r, 3000))]);
  if (browserPid !== null) {
    try {
      process.kill(browserPid, 'SIGKILL');
    } catch (e) { /* gone already */ }
  }
  await stopServer();
  if (tmp && !failed)
    fs.rmSync(tmp, { recursive: true, force: true });
  else if (tmp)
    console.error('test files kept in ' + tmp);
}

function fail(msg) {
  throw new Error(msg);
}

function check(cond, msg) {
  if (!cond)
    fail(msg);
}

async function until(what, fn, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v)
      return v;
    if (Date.now() > end)
      fail(`timed out (${timeoutMs} ms) waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function children() {
  const dir = `/proc/${process.pid}/task`;
  const out = new Set();
  for (const t of fs.readdirSync(dir))
    for (const c of fs.readFileSync(`${dir}/${t}/children`, 'utf8').trim().split(/\s+/))
      if (c)
        out.add(Number(c));
  return out;
}

async function startServer(port, extra = [], db = 'confab.db') {
  const portFile = path.join(tmp, 'port');
  fs.rmSync(portFile, { force: true });
  const out = fs.openSync(path.join(tmp, 'confabd.log'), 'a');
  server = spawn(CONFABD, ['--listen', `127.0.0.1:${port}`, '--db', path.join(tmp, db),
    '--port-file', portFile, '--web-dir', path.join(tmp, 'web'), '--rate', '0', ...extra],
  { stdio: ['ignore', out, out] });
  const s = server;
  await until('confabd to listen', () => {
    if (s.exitCode !== null)
      fail('confabd exited: ' + fs.readFileSync(path.join(tmp, 'confabd.log'), 'utf8').slice(-500));
    return fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim();
  });
  return Number(fs.readFileSync(portFile, 'utf8').trim());
}

// Ends confabd; its exit code (null when a signal ended it).
async function stopServer(signal = 'SIGKILL') {
  const s = server;
  server = null;
  if (!s || s.exitCode !== null || s.signalCode !== null)
    return s ? s.exitCode : null;
  const gone = new Promise((r) => s.once('exit', (code) => r(code)));
  s.kill(signal);
  const code = await Promise.race([gone, new Promise((r) => setTimeout(() => r('hung'), 10000))]);
  if (code === 'hung')
    s.kill('SIGKILL');
  return code;
}

function addUser(name) {
  const r = spawnSync(CONFABD, ['user', 'add', name, '--db', path.join(tmp, 'confab.db')],
    { input: PASSWORD + '\n', timeout: 20000 });
  check(r.status === 0, `confabd user add ${name}: ${r.stderr}`);
}

async function token(port, user) {
  const r = await fetch(`http://127.0.0.1:${port}/login`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password: PASSWORD }), signal: AbortSignal.timeout(10000) });
  check(r.status === 200, `POST /login ${user}: ${r.status}`);
  return (await r.json()).token;
}

// One request written as is (no client tidies the path), the whole answer.
function raw(port, request, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const parts = [];
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error('no answer to ' + request.split('\r\n')[0]));
    }, timeoutMs);
    s.on('data', (d) => parts.push(d));
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(t);
      const text = Buffer.concat(parts).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const head = text.slice(0, end);
      const lines = head.split('\r\n');
      const headers = {};
      for (const l of lines.slice(1)) {
        const c = l.indexOf(':');
        headers[l.slice(0, c).toLowerCase()] = l.slice(c + 1).trim();
      }
      resolve({ status: Number(lines[0].split(' ')[1]), headers, body: text.slice(end + 4) });
    });
    s.write(request);
  });
}

function get(port, target, extra = '', method = 'GET') {
  return raw(port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}` +
    'Connection: close\r\n\r\n');
}

async function staticRoute(port) {
  const index = await get(port, '/');
  check(index.status === 200, 'GET / ' + index.status);
  check(index.headers['content-type'] === 'text/html; charset=utf-8', 'type of / ' + index.headers['content-type']);
  const csp = index.headers['content-security-policy'] || '';
  check(csp.includes("default-src 'self'") && csp.includes("script-src 'self'") &&
    csp.includes(`connect-src 'self' ws://127.0.0.1:${port} wss://127.0.0.1:${port}`) &&
    !csp.includes('unsafe'), 'the policy of /: ' + csp);
  check(index.headers['x-content-type-options'] === 'nosniff', 'nosniff on /');
  check(index.body.includes('src="app.js"'), 'the page loads app.js');
  const etag = index.headers.etag;
  check(etag && index.headers['last-modified'], 'ETag and Last-Modified on /');
  const again = await get(port, '/index.html', `If-None-Match: ${etag}\r\n`);
  check(again.status === 304 && again.body === '', 'If-None-Match: ' + again.status);
  const other = await get(port, '/', 'If-None-Match: "0000"\r\n');
  check(other.status === 200, 'another ETag gets the file');
  const js = await get(port, '/app.js', '', 'HEAD');
  check(js.status === 200 && js.headers['content-type'] === 'text/javascript; charset=utf-8' &&
    Number(js.headers['content-length']) > 1000 && js.body === '', 'HEAD /app.js');
  const css = await get(port, '/app.css');
  check(css.status === 200 && css.headers['content-type'] === 'text/css; charset=utf-8', 'GET /app.css');
  const post = await get(port, '/', '', 'POST');
  check(post.status === 405 && post.headers.allow === 'GET, HEAD', 'POST / ' + post.status);
  const secret = fs.readFileSync(path.join(tmp, 'secret.txt'), 'utf8').trim();
  for (const t of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/web/../../secret.txt',
    '//etc/passwd', '/..', '/./index.html', '/link.txt', '/dir.html', '/.hidden.txt',
    '/nope.js', '/index.htm', '/confab.db', '/app.js/', '/dir.html/x.txt']) {
    const r = await get(port, t);
    check(r.status === 404 || r.status === 400, `GET ${t}: ${r.status}`);
    check(!r.body.includes(secret) && !r.body.includes('root:'), `GET ${t} gave away a file`);
  }
  const known = await get(port, '/link.txt');
  check(known.status === 404, 'a link is not followed');
  log('static route: ok');
}

async function signIn(page, user) {
  await page.fill('#user', user);
  await page.fill('#password', PASSWORD);
  await page.click('#signin-button');
}

async function status(page, text) {
  await page.waitForFunction((t) => document.getElementById('status').textContent === t,
    text, { timeout: 10000 });
}

async function sendFromPage(page, text) {
  await page.fill('#composer', text);
  await page.press('#composer', 'Enter');
}

function shown(page, text, timeout = 10000) {
  return page.waitForFunction((t) => [...document.querySelectorAll('#messages .msg:not(.pending) .text')]
    .some((e) => e.textContent === t), text, { timeout });
}

async function countShown(page, text) {
  return page.evaluate((t) => [...document.querySelectorAll('#messages .msg .text')]
    .filter((e) => e.textContent === t).length, text);
}

async function watch(page, name) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|ERR_CONNECTION_REFUSED|EventSource|WebSocket/.test(m.text()))
      errors.push(`${name} console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
    window.__notes = [];
    const N = window.Notification;
    if (N) {
      const Wrapped = function (title, opts) {
        window.__notes.push(title);
        return new N(title, opts);
      };
      Object.defineProperty(Wrapped, 'permission', { get: () => N.permission });
      Wrapped.requestPermission = (...a) => N.requestPermission(...a);
      window.Notification = Wrapped;
    }
  });
  return errors;
}

async function main() {
  if (!CONFABD)
    fail('CONFABD must point at confabd');
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`SKIP: no ${CHROMIUM} (scripts/deps installs chromium)`);
    return SKIP;
  }
  if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
    log('installing playwright-core (npm ci)');
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit',
      timeout: 120000, env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
    if (r.status !== 0) {
      console.log('SKIP: npm could not install playwright-core');
      return SKIP;
    }
  }
  const { chromium } = await import(path.join(here, 'node_modules', 'playwright-core', 'index.mjs'));

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-browser-'));
  // the served directory: the client's files, and what must not be served
  fs.mkdirSync(path.join(tmp, 'web'));
  for (const f of fs.readdirSync(WEB))
    fs.copyFileSync(path.join(WEB, f), path.join(tmp, 'web', f));
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'the secret next door\n');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(tmp, 'web', 'link.txt'));
  fs.mkdirSync(path.join(tmp, 'web', 'dir.html'));
  fs.writeFileSync(path.join(tmp, 'web', '.hidden.txt'), 'the secret next door\n');
  for (const u of ['alice', 'bob', 'carol'])
    addUser(u);

  let port = await startServer(0);
  const origin = `http://127.0.0.1:${port}`;
  await staticRoute(port);

  const before = children();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], timeout: 30000 });

  const started = [...children()].filter((p) => !before.has(p) && p !== server.pid);
  check(started.length === 1, 'cannot tell Chromium\'s PID: ' + started.join(' '));
  browserPid = started[0];

  // ---- alice over WebSocket ----
  const ctxA = await browser.newContext();
  await ctxA.grantPermissions(['notifications'], { origin });
  const alice = await ctxA.newPage();
  const errA = await watch(alice, 'alice');
  await alice.goto(origin + '/', { timeout: 10000 });
  await signIn(alice, 'alice');
  await status(alice, 'connected (ws)');
  log('alice: connected (ws)');

  let bob = new Peer(port);
  await bob.login('bob', await token(port, 'bob'), ['lobby']);

  const mark = bob.frames.length;
  await sendFromPage(alice, 'hello from the browser');
  await bob.wait((f) => f.type === 'MESSAGE' && f.user === 'alice' && f.text === 'hello from the browser',
    'alice\'s message', 10000, mark);
  bob.send({ type: 'MESSAGE', cid: 'b1', room: 'lobby', text: 'hi alice, from bob' });
  await shown(alice, 'hi alice, from bob');
  log('ws: both ways');

  bob.send({ type: 'TYPING', room: 'lobby', active: true });
  await alice.waitForFunction(() => document.getElementById('typing').textContent === 'bob is typing…',
    null, { timeout: 10000 });
  await alice.waitForSelector('#members li[data-user="bob"][data-status="online"]', { timeout: 10000 });
  await alice.waitForSelector('#members li[data-user="alice"][data-status="online"]', { timeout: 10000 });
  log('typing and presence: ok');

  const evil = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><b>bold</b>';
  bob.send({ type: 'MESSAGE', cid: 'b2', room: 'lobby', text: evil });
  await shown(alice, evil);
  const inert = await alice.evaluate(() => ({
    pwned: window.__pwned,
    nodes: document.querySelectorAll('#messages script, #messages img, #messages b').length,
  }));
  check(inert.pwned === undefined && inert.nodes === 0, 'markup in a message ran: ' + JSON.stringify(inert));
  log('markup shown as text');

  bob.send({ type: 'MESSAGE', cid: 'b3', room: 'lobby', text: '@alice look at this' });
  await alice.waitForFunction(() => [...document.querySelectorAll('#notifications li .body')]
    .some((e) => e.textContent === '@alice look at this'), null, { timeout: 10000 });
  await until('the browser notification', () => alice.evaluate(() => window.__notes.includes('bob in lobby')));
  log('notification: in the page and the Notification API');

  await alice.fill('#doc-name', 'notes');
  await alice.press('#doc-name', 'Enter');
  await alice.waitForFunction(() => document.getElementById('doc-rev').textContent === 'rev 0', null,
    { timeout: 10000 });
  bob.send({ type: 'DOC_OPEN', room: 'lobby', doc: 'notes' });
  await bob.wait((f) => f.type === 'DOC_STATE' && f.doc === 'notes', 'DOC_STATE');
  bob.send({ type: 'DOC_OP', cid: 'e1', room: 'lobby', doc: 'notes', rev: 0, op: ['hello 🌍 doc'] });
  await bob.wait((f) => f.type === 'ACK' && f.cid === 'e1', 'ACK e1');
  bob.send({ type: 'DOC_OP', cid: 'e2', room: 'lobby', doc: 'notes', rev: 1, op: [6, 'big ', 2, 'world', -3] });
  await bob.wait((f) => f.type === 'ACK' && f.cid === 'e2', 'ACK e2');
  await alice.waitForFunction(() => document.getElementById('doc-text').textContent === 'hello big 🌍 world' &&
    document.getElementById('doc-rev').textContent === 'rev 2', null, { timeout: 10000 });
  log('document: followed through its operations');

  // rooms: joined from the page, an unread count on the one not shown
  await alice.fill('#join-room', 'dev');
  await alice.press('#join-room', 'Enter');
  await alice.waitForSelector('#rooms li.current[data-room="dev"]', { timeout: 10000 });
  await until('alice in dev', () => alice.evaluate(() => window.confab.rooms.get('dev')?.joined));
  bob.send({ type: 'JOIN', room: 'dev' });
  await bob.wait((f) => f.type === 'JOINED' && f.room === 'dev', 'JOINED dev');
  await alice.click('#rooms li[data-room="lobby"]');
  await alice.waitForSelector('#rooms li.current[data-room="lobby"]', { timeout: 10000 });
  bob.send({ type: 'MESSAGE', cid: 'd1', room: 'dev', text: 'one for dev' });
  bob.send({ type: 'MESSAGE', cid: 'd2', room: 'dev', text: 'two for dev' });
  await alice.waitForFunction(() =>
    document.querySelector('#rooms li[data-room="dev"] .badge')?.textContent === '2', null, { timeout: 10000 });
  check(await countShown(alice, 'one for dev') === 0, 'a message of dev shown in lobby');
  await alice.click('#rooms li[data-room="dev"]');
  await shown(alice, 'two for dev');
  check(await alice.$('#rooms li[data-room="dev"] .badge') === null, 'the badge stays on the room shown');
  await alice.click('#rooms li[data-room="lobby"]');
  log('rooms: joined, unread counted, switched');

  // ---- carol: no WebSocket in her page, so SSE + POST ----
  const ctxC = await browser.newContext();
  const carol = await ctxC.newPage();
  const errC = await watch(carol, 'carol');
  await carol.addInitScript(() => {
    // as behind a proxy that strips Upgrade: every WebSocket fails
    window.__wsTries = 0;
    window.WebSocket = class {
      constructor() {
        window.__wsTries += 1;
        this.readyState = 3;
        setTimeout(() => {
          if (this.onerror)
            this.onerror(new Event('error'));
          if (this.onclose)
            this.onclose({ code: 1006 });
        }, 10);
      }
      send() {}
      close() {}
    };
    window.WebSocket.OPEN = 1;
  });
  await carol.goto(origin + '/', { timeout: 10000 });
  await carol.fill('#user', 'carol');
  await carol.fill('#password', 'not her password');
  await carol.click('#signin-button');
  await carol.waitForFunction(() => document.getElementById('signin-error').textContent ===
    'wrong user name or password', null, { timeout: 10000 });
  await signIn(carol, 'carol');
  await status(carol, 'connected (sse)');
  check(await carol.evaluate(() => window.__wsTries) >= 1, 'carol tried no WebSocket first');
  log('carol: fell back to sse');
  let m2 = bob.frames.length;
  await sendFromPage(carol, 'carol over sse');
  await bob.wait((f) => f.type === 'MESSAGE' && f.user === 'carol' && f.text === 'carol over sse',
    'carol\'s message', 10000, m2);
  bob.send({ type: 'MESSAGE', cid: 'b4', room: 'lobby', text: 'bob to carol' });
  await shown(carol, 'bob to carol');
  await shown(carol, evil); // her JOINED brought the room's latest
  log('sse: both ways');

  // ---- confabd killed and started again ----
  bob.close();
  await stopServer('SIGKILL');
  await status(carol, 'reconnecting (sse)');
  await status(alice, 'reconnecting (ws)');
  port = await startServer(port);
  bob = new Peer(port);
  await bob.login('bob', await token(port, 'bob'), ['lobby']);
  const after = ['after the restart 1', 'after the restart 2', 'after the restart 3'];
  for (const [i, t] of after.entries())
    bob.send({ type: 'MESSAGE', cid: 'r' + i, room: 'lobby', text: t });
  for (const t of after)
    await shown(carol, t, 20000);
  await status(carol, 'connected (sse)');
  for (const t of after)
    await shown(alice, t, 20000);
  m2 = bob.frames.length;
  await sendFromPage(carol, 'carol after the restart');
  await bob.wait((f) => f.type === 'MESSAGE' && f.user === 'carol' && f.text === 'carol after the restart',
    'carol\'s message after the restart', 10000, m2);
  await shown(carol, 'carol after the restart');
  for (const t of ['hello from the browser', 'hi alice, from bob', 'bob to carol', 'carol over sse',
    ...after, 'carol after the restart']) {
    check(await countShown(carol, t) === 1, `carol shows "${t}" ${await countShown(carol, t)} times`);
    check(await countShown(alice, t) <= 1, `alice shows "${t}" more than once`);
  }
  const cs = await carol.evaluate(() => ({ ...window.confab.stats, transport: window.confab.transport.name }));
  check(cs.dupes === 0, `carol's stream brought ${cs.dupes} messages twice`);
  check(cs.sessions >= 2 && cs.transport === 'sse', 'carol: ' + JSON.stringify(cs));
  // the EventSource came back by itself (with Last-Event-ID), not opened anew
  check(cs.reopened === 0, 'carol\'s EventSource gave up: ' + JSON.stringify(cs));
  const as = await alice.evaluate(() => window.confab.stats);
  check(as.dupes === 0, `alice's WebSocket brought ${as.dupes} messages twice`);
  log('restart: every message once', JSON.stringify(cs));

  // ---- forced SSE by the query ----
  const ctxD = await browser.newContext();
  const dave = await ctxD.newPage();
  const errD = await watch(dave, 'dave');
  await dave.addInitScript(() => {
    window.__wsTries = 0;
    const W = window.WebSocket;
    window.WebSocket = function (...a) {
      window.__wsTries += 1;
      return new W(...a);
    };
  });
  await dave.goto(origin + '/?transport=sse', { timeout: 10000 });
  await signIn(dave, 'bob');
  await status(dave, 'connected (sse)');
  await shown(dave, 'carol after the restart');
  check(await dave.evaluate(() => window.__wsTries) === 0, '?transport=sse opened a WebSocket');
  log('?transport=sse: no WebSocket');
  // signing out ends the token: the page is back at its form
  const daveToken = await dave.evaluate(() => window.confab.token);
  await dave.click('#signout');
  await dave.waitForSelector('#signin:not([hidden])', { timeout: 10000 });
  const gone = await fetch(`${origin}/events?token=${encodeURIComponent(daveToken)}&rooms=lobby`,
    { headers: { Accept: 'text/event-stream' }, signal: AbortSignal.timeout(5000) });
  check(gone.status === 401, 'the token still opens sessions after signing out: ' + gone.status);
  log('sign-out: the token is ended');

  for (const p of [alice, carol, dave]) {
    const v = await p.evaluate(() => window.__csp);
    check(v.length === 0, 'the policy blocked: ' + v.join(', '));
  }
  const errors = [...errA, ...errC, ...errD];
  check(errors.length === 0, 'page errors: ' + errors.join('; '));
  bob.close();
  // carol's token ended elsewhere: her stream is closed with 4003 and her
  // page is back at its form
  const carolToken = await carol.evaluate(() => window.confab.token);
  const out = await fetch(`${origin}/logout`, { method: 'POST',
    headers: { Authorization: 'Bearer ' + carolToken }, signal: AbortSignal.timeout(5000) });
  check(out.status === 200, 'POST /logout ' + out.status);
  await carol.waitForSelector('#signin:not([hidden])', { timeout: 10000 });
  check(await carol.evaluate(() => document.getElementById('signin-error').textContent) ===
    'signed out: sign in again', 'carol is not told she was signed out');
  log('a token ended elsewhere: back at the form');

  // a clean stop (a sanitized build checks for leaks on the way out)
  let code = await stopServer('SIGTERM');
  check(code === 0, 'confabd did not stop cleanly: ' + code + '\n' +
    fs.readFileSync(path.join(tmp, 'confabd.log'), 'utf8').slice(-2000));

  // a server without accounts: a name is enough
  port = await startServer(0, ['--auth', 'none'], 'open.db');
  const ctxE = await browser.newContext();
  const erin = await ctxE.newPage();
  const errE = await watch(erin, 'erin');
  await erin.goto(`http://127.0.0.1:${port}/`, { timeout: 10000 });
  await erin.fill('#user', 'erin');
  await erin.click('#signin-button');
  await status(erin, 'connected (ws)');
  await sendFromPage(erin, 'no password here');
  await shown(erin, 'no password here');
  check(errE.length === 0, 'page errors: ' + errE.join('; '));
  log('--auth none: signed in with a name');

  await browser.close();
  browser = null;
  browserPid = null; // closed: its PID is no longer ours to signal
  code = await stopServer('SIGTERM');
  check(code === 0, 'confabd --auth none did not stop cleanly: ' + code + '\n' +
    fs.readFileSync(path.join(tmp, 'confabd.log'), 'utf8').slice(-2000));
  return 0;
}

const overall = setTimeout(() => {
  console.error('FAIL: the whole test took over 150 s');
  failed = true;
  cleanup().finally(() => process.exit(1));
}, 150000);

let rc = 1;
try {
  rc = await main();
  if (rc === 0)
    log('PASS');
} catch (e) {
  failed = true;
  console.error('FAIL:', e.message);
  rc = 1;
}
clearTimeout(overall);
await cleanup();
process.exit(rc);
