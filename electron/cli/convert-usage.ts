// Apart from the command, so that `trajdbg convert --help` loads no importer.
export const CONVERT_USAGE = `Usage: trajdbg convert IN (--list | --to FORMAT --out OUT) [--index N]

Reads the trajectories of IN, any trajectory file the debugger opens (AgentResult JSON, chat
message lists, JSONL of messages, hermes-agent exports and the other formats it imports). JSONL is
read and written line by line, so files of any size convert in little memory. Bad JSONL lines are
reported on stderr as FILE:LINE as they are met, and skipped.
  --list         print one line per trajectory: index, id, model, turns, tool calls, tool errors,
                 finished (the agent ended the run itself), and the stop reason the
                 file records, if any (tab-separated)
  --to FORMAT    agent-result  the reference AgentResult: one JSON for one trajectory, else JSONL
                 openai-jsonl  one {"messages": [...]} per line, each message with its chat
                               fields only (and "tools" when the file lists them)
                 sharegpt      hermes-agent's ShareGPT trajectory JSONL
                 html          a report of one trajectory to open in a browser (no app needed)
                 markdown      the same report as Markdown
  --out OUT      the file to write: a temporary file beside it, renamed onto OUT when complete
                 (OUT is left as it was if anything fails)
  --index N      only the trajectory at index N (from 0, as --list numbers them); html and
                 markdown need it when IN holds more than one trajectory`;
