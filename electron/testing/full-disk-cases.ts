import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '#shared/formats/export.js';
import type { RunEvent } from '#shared/run/events.js';
import { main } from '../cli/main.js';
import { createEngine } from '../engine/loop/engine.js';
import { exportTrajectories } from '../engine/persistence/export-file.js';
import { fileRecentFiles } from '../engine/persistence/recent-files.js';
import { memorySecretStore } from '../engine/persistence/settings.js';
import { createApiService } from '../engine/service/api-service.js';
import { appendToRunFile, createRunFile, readRunFile } from '../engine/persistence/run-file.js';
import { caseConfig, loadConformanceCases, scriptedModel, scriptedTools } from './conformance.js';
import { corpusPath } from './corpus.js';
import { loadScript, startScriptedServer } from '../scripted-server/scripted-server.js';
import type { FullDisk } from './full-disk.js';

// What must hold when the disk fills up, run on a real tmpfs (as root, in CI) and on a simulated
// disk that refuses writes past its capacity (everywhere).

const HERMES = corpusPath('hermes-agent_session_export.jsonl');

/** The full-disk tests, on `disk` (skipped, saying why, when it has no folder). */
export function describeFullDisk(title: string, disk: FullDisk): void {
  describe.skipIf(!disk.dir)(title, () => {
    const dir = disk.dir!;
    // Each test starts on an empty disk, whatever the one before left.
    beforeEach(() => {
      for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true });
    });

    it.each(EXPORT_FORMATS)('convert --to %s fails, names the file and leaves the old one as it was', async (format) => {
      const out = join(dir, `out.${format}`);
      writeFileSync(out, 'old\n');
      // Leave a few KB free: even a one-trajectory report does not fit.
      writeFileSync(join(dir, 'filler'), Buffer.alloc(48 * 1024));
      const errors: string[] = [];
      const index = format === 'html' || format === 'markdown' ? ['--index', '1'] : [];
      expect(await main(['convert', HERMES, '--to', format, '--out', out, ...index], (line) => errors.push(line))).toBe(1);
      expect(errors.join('\n')).toContain(out);
      expect(errors.join('\n')).toMatch(/ENOSPC|no space/i);
      expect(readFileSync(out, 'utf8')).toBe('old\n');
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('convert --to openai-jsonl of the whole file does not fit and fails', async () => {
      const out = join(dir, 'all.jsonl');
      writeFileSync(out, 'old\n');
      const errors: string[] = [];
      expect(await main(['convert', HERMES, '--to', 'openai-jsonl', '--out', out], (line) => errors.push(line))).toBe(1);
      expect(errors.join('\n')).toContain(out);
      expect(readFileSync(out, 'utf8')).toBe('old\n');
    });

    it("serve mode's export rejects, naming the file, and keeps the old one", async () => {
      const out = join(dir, 'export.jsonl');
      writeFileSync(out, 'old\n');
      await expect(exportTrajectories({ path: HERMES }, 'sharegpt', out)).rejects.toThrow(new RegExp(`${out.replace(/[.]/g, '\\.')}.*(ENOSPC|no space)`));
      expect(readFileSync(out, 'utf8')).toBe('old\n');
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('a run that fills the disk ends failed with its end event naming the file and ENOSPC, and a later run appended is read back', async () => {
      const c = loadConformanceCases().find((x) => x.name === 'trunc_0_3')!;
      const path = join(dir, 'run.jsonl');
      const runOn = (sink: ReturnType<typeof createRunFile>, userText: string) => {
        const messages = structuredClone(c.messages);
        messages.push({ role: 'user', content: userText });
        const run = createEngine({ model: scriptedModel(c.model), tools: scriptedTools(c.tools, c.tools_out), sink }).start({ messages, config: caseConfig(c) });
        const events: RunEvent[] = [];
        run.subscribe((e) => events.push(e));
        return { run, events, done: run.done.then((o) => (sink.close(), o)) };
      };
      disk.leaveOnePage();
      const writer = createRunFile(path);
      // run_started fits in the page; the next event that repeats the messages does not.
      const first = runOn(writer, 'x'.repeat(2500));
      const outcome = await first.done;
      expect(outcome.reason).toBe('failed');
      expect(outcome.error).toContain(path);
      expect(outcome.error).toMatch(/ENOSPC/);
      const end = first.events.at(-1)!;
      expect(end.type).toBe('run_finished');
      expect(end.type === 'run_finished' && end.error).toContain(path);
      expect(writer.error?.message).toContain(path);
      // The disk stopped the write mid-line.
      expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(false);

      // Room again: a retry appended to the same file is not joined to the fragment.
      for (const f of readdirSync(dir)) if (f.startsWith('filler-')) rmSync(join(dir, f));
      const retry = runOn(appendToRunFile(path), 'again');
      expect((await retry.done).reason).not.toBe('failed');
      const read = readRunFile(path);
      expect(read.runs.map((r) => r.runId)).toEqual([first.run.runId, retry.run.runId]);
      expect(read.runs[1]!.events).toHaveLength(retry.events.length);
      expect(read.problems).toHaveLength(1);
      expect(read.problems[0]!.message).toMatch(new RegExp(`${path.replace(/[.]/g, '\\.')}:\\d+: not a whole event`));
    });

    it('a file opens when the recent files list cannot be saved; the failure is reported once, and the last list saved is kept whole', async () => {
      const listPath = join(dir, 'recent-files.json');
      const old = `${JSON.stringify({ files: [{ path: '/data/before.jsonl', openedAt: 1 }] })}\n`;
      writeFileSync(listPath, old);
      disk.leaveOnePage();
      const warnings: string[] = [];
      const recentFiles = fileRecentFiles(listPath, { warn: (line) => warnings.push(line) });
      const api = createApiService({ mode: 'serve', version: 'test', settings: { load: () => null, save: () => {} }, secrets: memorySecretStore(), runsDir: join(dir, 'runs'), recentFiles });
      try {
        // A list longer than the page left, then a file opened.
        for (let i = 0; i < 20; i++) recentFiles.add(`/data/${'a-long-folder-name/'.repeat(12)}${i}.jsonl`);
        const status = await api.handlers['file.open']({ path: HERMES });
        expect(status.path).toBe(HERMES);
        expect(status.error ?? null).toBeNull();
        expect((await api.handlers['file.recent']({})).files[0]!.path).toBe(HERMES);
        await recentFiles.saved();
      } finally {
        await api.close();
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`the recent files list was not saved: could not write ${listPath} (ENOSPC: no space left on device); it was left as it was`);
      // The last list that fit, whole: the file before, or a save before the list outgrew the disk.
      const kept = (JSON.parse(readFileSync(listPath, 'utf8')) as { files: Array<{ path: string }> }).files.map((f) => f.path);
      expect(kept.at(-1)).toBe('/data/before.jsonl');
      expect(kept).not.toContain(HERMES);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('trajdbg run whose run file fills the disk fails naming the file, and never says it wrote it', async () => {
      const server = await startScriptedServer({ script: loadScript([{ message: { content: 'Done.' } }]) });
      const runFile = join(dir, 'cli-run.jsonl');
      disk.leaveOnePage();
      const errors: string[] = [];
      try {
        expect(await main(['run', '--base-url', server.url, '--model', 'scripted', '--api-key', 'sk-test', '--user', 'y'.repeat(6000), '--run-file', runFile], (line) => errors.push(line))).toBe(1);
      } finally {
        await server.close();
      }
      const printed = errors.join('\n');
      expect(printed).toContain(`could not write the run file ${runFile} (ENOSPC: no space left on device)`);
      expect(printed).not.toContain(`wrote ${runFile}`);
    });
  });
}
