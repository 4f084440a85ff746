import fc from 'fast-check';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInside, openWorkspaceRoot, PathEscapeError, resolveInWorkspace, type WorkspaceRoot } from './workspace-path.js';

let base: string;
let root: WorkspaceRoot;
let outside: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), 'trajdbg-ws-')));
  const workspace = path.join(base, 'ws');
  outside = path.join(base, 'outside');
  await mkdir(path.join(workspace, 'a', 'b'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'secret');
  await writeFile(path.join(workspace, 'a', 'file.txt'), 'inside');
  await symlink(path.join(workspace, 'a'), path.join(workspace, 'in'));
  await symlink(outside, path.join(workspace, 'out'));
  await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'secret-link'));
  await symlink(path.join(outside, 'nowhere', 'new.txt'), path.join(workspace, 'dangling'));
  await symlink('../../outside', path.join(workspace, 'a', 'relative-out'));
  root = await openWorkspaceRoot(workspace);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const escapes = (userPath: string) => expect(resolveInWorkspace(root, userPath)).rejects.toThrow(new PathEscapeError(userPath).message);

describe('resolveInWorkspace', () => {
  it('resolves relative and absolute paths inside the workspace', async () => {
    expect(await resolveInWorkspace(root, 'a/file.txt')).toBe(path.join(root.real, 'a', 'file.txt'));
    expect(await resolveInWorkspace(root, path.join(root.real, 'a/b/../file.txt'))).toBe(path.join(root.real, 'a', 'file.txt'));
    expect(await resolveInWorkspace(root, 'new/dir/file.txt')).toBe(path.join(root.real, 'new', 'dir', 'file.txt'));
    expect(await resolveInWorkspace(root, 'in/file.txt')).toBe(path.join(root.real, 'a', 'file.txt'));
    expect(await resolveInWorkspace(root, '.')).toBe(root.real);
  });

  it('rejects `..` escapes, absolute paths outside and symlinks leading out', async () => {
    await escapes('../outside/secret.txt');
    await escapes('a/../../outside/secret.txt');
    await escapes('..');
    await escapes(path.join(outside, 'secret.txt'));
    await escapes('/etc/passwd');
    await escapes('out/secret.txt');
    await escapes('out');
    await escapes('secret-link');
    await escapes('dangling');
    await escapes('a/relative-out/secret.txt');
    await escapes('out/not-yet/new.txt');
    await escapes('a\0b');
  });

  it('never resolves a generated relative path outside the workspace', async () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '', 'a', 'b', 'in', 'out', 'dangling', 'secret-link', 'relative-out', 'é', '日本', '..a', 'ws'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).filter((s) => !s.includes('/') && !s.includes('\0')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 8 }), async (segments) => {
        const userPath = segments.join('/');
        const lexical = path.resolve(root.real, userPath);
        try {
          const resolved = await resolveInWorkspace(root, userPath);
          expect(isInside(root.real, resolved)).toBe(true);
          expect(isInside(root.real, lexical)).toBe(true);
          const real = await realpath(resolved).catch(() => resolved);
          expect(isInside(root.real, real)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(PathEscapeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('isInside', () => {
  it('compares path components, not prefixes', () => {
    expect(isInside('/w/ws', '/w/ws')).toBe(true);
    expect(isInside('/w/ws', '/w/ws/..a')).toBe(true);
    expect(isInside('/w/ws', '/w/ws2')).toBe(false);
    expect(isInside('/w/ws', '/w')).toBe(false);
  });
});
