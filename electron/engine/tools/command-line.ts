/**
 * Splits a command line into argv with POSIX shell quoting ('…' literal, "…" and \ escapes, no expansion);
 * `windows: true` keeps backslashes literal except before a double quote (so C:\dir works).
 */
export function splitCommandLine(line: string, options: { windows?: boolean } = {}): string[] {
  const state: SplitState = { words: [], word: '', inWord: false, index: 0, line, windows: options.windows ?? false };
  while (state.index < line.length) step(state);
  if (state.inWord) state.words.push(state.word);
  return state.words;
}

interface SplitState {
  words: string[];
  word: string;
  inWord: boolean;
  index: number;
  line: string;
  windows: boolean;
}

const BLANK = /[ \t\r\n]/;

function step(state: SplitState): void {
  const char = state.line[state.index] as string;
  if (BLANK.test(char)) {
    if (state.inWord) state.words.push(state.word);
    state.word = '';
    state.inWord = false;
    state.index++;
    return;
  }
  state.inWord = true;
  if (char === "'") singleQuoted(state);
  else if (char === '"') doubleQuoted(state);
  else if (char === '\\') backslash(state);
  else {
    state.word += char;
    state.index++;
  }
}

function singleQuoted(state: SplitState): void {
  const end = state.line.indexOf("'", state.index + 1);
  if (end < 0) throw new Error(`unterminated ' quote in command line: ${state.line}`);
  state.word += state.line.slice(state.index + 1, end);
  state.index = end + 1;
}

function doubleQuoted(state: SplitState): void {
  const escapable = state.windows ? '"' : '\\"$`';
  let index = state.index + 1;
  for (;;) {
    const char = state.line[index];
    if (char === undefined) throw new Error(`unterminated " quote in command line: ${state.line}`);
    if (char === '"') break;
    const next = state.line[index + 1];
    if (char === '\\' && next !== undefined && (escapable.includes(next) || (!state.windows && next === '\n'))) {
      if (next !== '\n') state.word += next;
      index += 2;
    } else {
      state.word += char;
      index++;
    }
  }
  state.index = index + 1;
}

function backslash(state: SplitState): void {
  const next = state.line[state.index + 1];
  if (state.windows && next !== '"') {
    state.word += '\\';
    state.index++;
    return;
  }
  if (next === undefined) throw new Error(`trailing backslash in command line: ${state.line}`);
  if (next !== '\n') state.word += next;
  state.index += 2;
}
