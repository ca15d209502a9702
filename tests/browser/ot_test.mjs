// web/ot.js: operations applied as the server applies them, lengths in
// code points, and operations that do not fit refused.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const web = process.env.WEB_DIR ||
  path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const { apply, codePoints } = await import(pathToFileURL(path.join(web, 'ot.js')).href);

const run = (text, op) => apply(codePoints(text), op).join('');

assert.equal(run('', ['abc']), 'abc');
assert.equal(run('', []), '');
assert.equal(run('0123456789', [5, 'x', -2, 3]), '01234x789');
assert.equal(run('hello 🌍 doc', [6, 'big ', 2, 'world', -3]), 'hello big 🌍 world');
assert.equal(run('a😀b', [1, -1, 1]), 'ab');          // one code point, two UTF-16 units
assert.equal(run('é👩‍💻', [1, -3]), 'é');            // a ZWJ sequence is 3 code points
assert.equal(run('abc', [-3, 'xyz']), 'xyz');
for (const [text, op] of [['abc', [2]], ['abc', [4]], ['abc', [-4]], ['abc', [1, -3]],
  ['', [1]], ['abc', [3, '']], ['abc', [3, 0]], ['abc', [1.5, 1.5]], ['abc', 'abc'],
  ['abc', [3, null]]])
  assert.throws(() => run(text, op), undefined, JSON.stringify([text, op]));
console.log('ot.js: ok');
