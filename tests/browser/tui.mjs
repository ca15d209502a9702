// The real confab client as the browser's other user: started in a private
// tmux server (its own socket in the test's directory, no config read),
// typed at with send-keys, its screen read with capture-pane. The tmux
// server is ended with kill-server and then by PID if it lingers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// The PIDs below pid: its children, theirs, and so on.
function descendants(pid) {
  let kids = [];
  try {
    for (const t of fs.readdirSync(`/proc/${pid}/task`))
      kids.push(...fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/)
        .filter(Boolean).map(Number));
  } catch (e) {
    return [];
  }
  return [...kids, ...kids.flatMap(descendants)];
}

export class Confab {
  // confab: its binary; dir: a directory of the test's own.
  constructor(confab, dir, name) {
    this.confab = confab;
    this.dir = dir;
    this.name = name;
    this.sock = path.join(dir, `tmux-${name}.sock`);
    this.pid = null;
  }

  tmux(args, input) {
    const r = spawnSync('tmux', ['-S', this.sock, '-f', '/dev/null', ...args],
      { input, timeout: 10000, encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`tmux ${args[0]}: ${r.error || r.stderr}`);
    return r.stdout;
  }

  start(port, user, extra = []) {
    const home = path.join(this.dir, 'home-' + this.name);
    fs.mkdirSync(home, { recursive: true });
    const cmd = `env HOME=${home} XDG_STATE_HOME=${home}/state XDG_CONFIG_HOME=${home}/config ` +
      `XDG_DATA_HOME=${home}/data TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ` +
      `${this.confab} --server ws://127.0.0.1:${port}/ --user ${user} ${extra.join(' ')}; ` +
      'echo confab-exited-$?; sleep 600';
    this.tmux(['new-session', '-d', '-s', this.name, '-x', '120', '-y', '32', cmd]);
    this.pid = Number(this.tmux(['display-message', '-p', '-t', this.name, '#{pid}']).trim());
    this.panePid = Number(this.tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}']).trim());
  }

  screen() {
    return this.tmux(['capture-pane', '-p', '-t', this.name]);
  }

  // Until the screen shows text (a fixed string), or an error at the deadline.
  async wait(text, timeoutMs = 10000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (s.includes(text))
        return s;
      if (Date.now() > end)
        throw new Error(`confab ${this.name} never showed "${text}"; its screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  type(text) {
    this.tmux(['send-keys', '-t', this.name, '-l', '--', text]);
  }

  key(k) {
    this.tmux(['send-keys', '-t', this.name, k]);
  }

  say(text) {
    this.type(text);
    this.key('Enter');
  }

  // Ends the tmux server (and with it confab, by its hangup); the server's
  // PID is signalled if it is still there after the deadline.
  async stop(timeoutMs = 5000) {
    if (this.pid === null)
      return;
    const pids = [this.pid, this.panePid, ...descendants(this.panePid)];
    this.pid = null;
    spawnSync('tmux', ['-S', this.sock, 'kill-server'], { timeout: 5000 });
    const end = Date.now() + timeoutMs;
    for (const pid of pids)
      for (;;) {
        try {
          process.kill(pid, 0);
        } catch (e) {
          break; // gone
        }
        if (Date.now() > end) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch (e) { /* gone meanwhile */ }
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
  }
}
