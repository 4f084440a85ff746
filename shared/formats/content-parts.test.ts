import { describe, expect, it } from 'vitest';
import { contentAsText, dataUrlInfo, partPlaceholder } from './content-parts.js';
import { exportText } from './export.js';
import { importText } from './import.js';
import type { Trajectory } from './trajectory.js';

// A 12 KB PNG as a data: URL (the bytes do not matter, only their count).
const png = `data:image/png;base64,${Buffer.alloc(12 * 1024).toString('base64')}`;
const withImage: Trajectory = {
  id: 'img', model: 'm', reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 },
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'What is in the picture?' }, { type: 'image_url', image_url: { url: png, detail: 'auto' } }, { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] },
    { role: 'assistant', content: 'A cat.' },
  ],
};

describe('content parts', () => {
  it('describes a non-text part by its type, media type and size', () => {
    expect(dataUrlInfo(png)).toEqual({ mediaType: 'image/png', bytes: 12 * 1024 });
    expect(partPlaceholder({ type: 'image_url', image_url: { url: png } })).toBe('[image: image/png, 12 KB]');
    expect(partPlaceholder({ type: 'image_url', image_url: { url: 'https://example.org/a.png' } })).toBe('[image: https://example.org/a.png]');
    expect(partPlaceholder({ type: 'input_audio', input_audio: {} })).toBe('[audio]');
    expect(contentAsText(withImage.messages[0]!.content)).toBe('What is in the picture?\n[image: image/png, 12 KB]\n[audio]');
  });

  it('keeps every part through the JSON exports and a placeholder in the text-only ones', () => {
    const back = importText(exportText([withImage], 'openai-jsonl'), 'back.jsonl').trajectories[0]!;
    expect(back.messages[0]!.content).toEqual(withImage.messages[0]!.content);
    expect(JSON.parse(exportText([withImage], 'agent-result')).messages[0].content).toEqual(withImage.messages[0]!.content);
    const sharegpt = JSON.parse(exportText([withImage], 'sharegpt')) as { conversations: Array<{ from: string; value: string }> };
    expect(sharegpt.conversations.find((c) => c.from === 'human')!.value).toBe('What is in the picture?[image: image/png, 12 KB][audio]');
    const markdown = exportText([withImage], 'markdown');
    expect(markdown).toContain('[image: image/png, 12 KB]');
    expect(markdown).not.toContain('base64');
    const html = exportText([withImage], 'html');
    expect(html).toContain('[image: image/png, 12 KB]');
    expect(html).not.toContain('base64,');
  });
});
