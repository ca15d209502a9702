// Applying a confab.v1 document operation (ot.js's TextOperation as JSON):
// a positive integer retains that many code points, a string inserts
// itself, a negative integer deletes that many code points; together they
// walk the whole document. A document is held as an array of code points
// so that lengths count as the server counts them.

export function codePoints(text) {
  return Array.from(text);
}

// The document after op, or an Error thrown when op does not fit it.
export function apply(doc, op) {
  if (!Array.isArray(op))
    throw new Error('an operation is an array');
  const out = [];
  let at = 0;
  for (const c of op) {
    if (typeof c === 'string') {
      if (c === '')
        throw new Error('empty insert');
      for (const cp of c)
        out.push(cp);
    } else if (Number.isInteger(c) && c > 0) {
      if (at + c > doc.length)
        throw new Error('retain past the end');
      for (let i = 0; i < c; i++)
        out.push(doc[at + i]);
      at += c;
    } else if (Number.isInteger(c) && c < 0) {
      if (at - c > doc.length)
        throw new Error('delete past the end');
      at -= c;
    } else {
      throw new Error('bad component');
    }
  }
  if (at !== doc.length)
    throw new Error('the operation does not cover the document');
  return out;
}
