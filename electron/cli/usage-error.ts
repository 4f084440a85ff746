/** Bad usage or a bad input file: the CLI prints the message on one line and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
