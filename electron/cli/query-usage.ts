import { ROLLOUT_COLUMN_NAMES } from '#shared/formats/rollout-row.js';

export const QUERY_USAGE = `Usage: trajdbg query SET... [--where EXPR] [--columns A,B] [--order-by COL [--desc]]
                     [--search TEXT] [--limit N] [--format table|jsonl|parquet] [--out FILE]

Queries a rollout set where it lies: SET is one or more folders, globs ('runs/**/*.jsonl.gz') or
files of .jsonl, .jsonl.gz, .jsonl.zst or .parquet shards, taken as one table. Each rollout's
columns are computed once by the importers and kept in an index in $XDG_CACHE_HOME/trajdbg
(else ~/.cache/trajdbg), keyed by each shard's path, size and mtime: a second query reads only what
is new. Unreadable shards and bad lines are reported on stderr.
  --where EXPR     a SQL expression over the columns (DuckDB), e.g. "tool_errors > 0 AND reward < 0.5"
                   or "list_contains(tool_names, 'terminal')" or "(tool_errors_by_tool->>'terminal')::INT > 0"
  --columns A,B    the columns to print (default: rid, id, model, turns, tool_errors, finished, reward, step, source)
  --order-by COL   sort by a column (--desc: descending); default: set order
  --search TEXT    rows whose id, model, first user message or stop reason contain TEXT
  --limit N        at most N rows (default 50; 0 for all with jsonl or parquet)
  --format F       table (default), jsonl (one row object per line) or parquet (needs --out)
  --out FILE       write the rows to FILE instead of stdout
  --cache-dir DIR  where the index is kept

Columns: ${ROLLOUT_COLUMN_NAMES.join(', ')}`;
