/** A word-level diff of two texts, for the version history (what changed between two saves). */
export type DiffOp = { op: "equal" | "insert" | "delete"; text: string };

/** Above this many cells the LCS table is skipped: the changed middle is shown as one replacement. */
const MAX_CELLS = 4_000_000;

const split = (s: string) => s.match(/\s+|[^\s]+/g) ?? [];

function push(out: DiffOp[], op: DiffOp["op"], text: string) {
  if (!text) return;
  const prev = out.at(-1);
  if (prev && prev.op === op) prev.text += text;
  else out.push({ op, text });
}

export function diffWords(a: string, b: string): DiffOp[] {
  const x = split(a);
  const y = split(b);
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf])
    suf++;
  const xs = x.slice(pre, x.length - suf);
  const ys = y.slice(pre, y.length - suf);
  const out: DiffOp[] = [];
  push(out, "equal", x.slice(0, pre).join(""));
  if (xs.length * ys.length > MAX_CELLS) {
    push(out, "delete", xs.join(""));
    push(out, "insert", ys.join(""));
  } else {
    const n = xs.length;
    const m = ys.length;
    // lcs[i][j]: length of the longest common subsequence of xs[i..] and ys[j..].
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      const row = lcs[i] as Uint32Array;
      const next = lcs[i + 1] as Uint32Array;
      for (let j = m - 1; j >= 0; j--)
        row[j] =
          xs[i] === ys[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (xs[i] === ys[j]) {
        push(out, "equal", xs[i] as string);
        i++;
        j++;
      } else if (((lcs[i + 1] as Uint32Array)[j] as number) >= ((lcs[i] as Uint32Array)[j + 1] as number)) {
        push(out, "delete", xs[i++] as string);
      } else {
        push(out, "insert", ys[j++] as string);
      }
    }
    while (i < n) push(out, "delete", xs[i++] as string);
    while (j < m) push(out, "insert", ys[j++] as string);
  }
  push(out, "equal", x.slice(x.length - suf).join(""));
  return out;
}
