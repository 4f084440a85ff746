/**
 * Why a file or folder could not be read, in words, for messages that name the path already: a
 * file-system error as the system words it without its code, syscall and path ("not a
 * directory"), a few in the project's words; zlib's errors, named by a code (Z_DATA_ERROR), as
 * not valid gzip data with zlib's reason; anything else (a zstd decoder's "invalid zstd data",
 * DuckDB's first line) by its message. `missing` words ENOENT ("no such file", or "... or folder").
 */
export function readErrorReason(error: unknown, missing = 'no such file'): string {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
  if (code === 'ENOENT') return missing;
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES') return 'permission denied';
  if (typeof code === 'string' && code.startsWith('Z_')) return `not valid gzip data: ${message}`;
  if (typeof code === 'string' && syscall !== undefined) return message.replace(`${code}: `, '').replace(/, \w+ '.*'$/, '');
  return message;
}
