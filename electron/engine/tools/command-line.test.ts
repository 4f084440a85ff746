import { describe, expect, it } from 'vitest';
import { splitCommandLine } from './command-line.js';

describe('splitCommandLine (POSIX)', () => {
  it('splits on blanks', () => {
    expect(splitCommandLine('  node  path/to/server.js\t/some/dir ')).toEqual(['node', 'path/to/server.js', '/some/dir']);
    expect(splitCommandLine('npx -y @scope/server arg')).toEqual(['npx', '-y', '@scope/server', 'arg']);
    expect(splitCommandLine('')).toEqual([]);
  });

  it('honours single and double quotes and backslashes', () => {
    expect(splitCommandLine(`node 'my dir/s.js' "a b" c\\ d`)).toEqual(['node', 'my dir/s.js', 'a b', 'c d']);
    expect(splitCommandLine(`x "say \\"hi\\" \\$HOME \\n" 'it''s' ""`)).toEqual(['x', 'say "hi" $HOME \\n', 'its', '']);
    expect(splitCommandLine(`a'b'"c"d`)).toEqual(['abcd']);
    expect(splitCommandLine(`'\\'`)).toEqual(['\\']);
  });

  it('rejects unterminated quotes and a trailing backslash', () => {
    expect(() => splitCommandLine(`node 'oops`)).toThrow(/unterminated ' quote/);
    expect(() => splitCommandLine(`node "oops`)).toThrow(/unterminated " quote/);
    expect(() => splitCommandLine('node oops\\')).toThrow(/trailing backslash/);
  });
});

describe('splitCommandLine (windows)', () => {
  it('keeps backslashes in paths', () => {
    expect(splitCommandLine(String.raw`node C:\srv\index.js "C:\My Dir\"x"`, { windows: true })).toEqual([
      'node',
      String.raw`C:\srv\index.js`,
      String.raw`C:\My Dir"x`,
    ]);
  });
});
