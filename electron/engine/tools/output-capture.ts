/**
 * Bounded capture of a command's combined output: keeps the first and the last half of the cap
 * and counts what was dropped in between, so memory stays bounded whatever the command prints.
 */
export class OutputCapture {
  private readonly headCap: number;
  private readonly tailCap: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(capBytes: number) {
    const cap = Math.max(0, Math.floor(capBytes));
    this.headCap = Math.ceil(cap / 2);
    this.tailCap = cap - this.headCap;
  }

  /** Appends a chunk in arrival order. */
  push(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.headCap - this.headBytes;
    if (room > 0) {
      const taken = chunk.subarray(0, room);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length > 0) this.pushTail(chunk);
  }

  /** The captured text, UTF-8 decoded, with a `[output truncated: N bytes omitted]` note if capped. */
  text(): string {
    const head = Buffer.concat(this.head);
    const tail = Buffer.concat(this.tail);
    if (this.total === head.length + tail.length) return Buffer.concat([head, tail]).toString('utf8');
    const headEnd = utf8BoundaryBefore(head, head.length);
    const tailStart = utf8BoundaryAfter(tail, 0);
    const omitted = this.total - headEnd - (tail.length - tailStart);
    const note = `\n[output truncated: ${omitted} bytes omitted]\n`;
    return head.subarray(0, headEnd).toString('utf8') + note + tail.subarray(tailStart).toString('utf8');
  }

  private pushTail(chunk: Buffer): void {
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes > this.tailCap && this.tail.length > 0) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailBytes - this.tailCap;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
      }
    }
  }
}

/** The largest index <= end that does not split a UTF-8 sequence of `bytes`. */
export function utf8BoundaryBefore(bytes: Buffer, end: number): number {
  let leadIndex = end - 1;
  while (leadIndex >= 0 && leadIndex > end - 4 && isContinuation(bytes[leadIndex])) leadIndex--;
  const lead = bytes[leadIndex];
  if (lead === undefined || lead < 0xc0) return end;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return end - leadIndex >= needed ? end : leadIndex;
}

/** The smallest index >= start that begins a UTF-8 sequence (skips orphan continuation bytes). */
export function utf8BoundaryAfter(bytes: Buffer, start: number): number {
  let index = start;
  while (index < bytes.length && index < start + 3 && isContinuation(bytes[index])) index++;
  return index;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}
