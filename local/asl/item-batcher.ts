/** Groups Map items into `{Items, BatchInput}` batches by count and by serialized size. */
export function batchItems(items: unknown[], options: { maxItems?: number; maxBytes?: number; batchInput?: unknown }): unknown[] {
  const batches: unknown[] = [];
  let current: unknown[] = [];
  let currentBytes = 0;
  const flush = (): void => {
    if (current.length === 0) return;
    batches.push(options.batchInput === undefined ? { Items: current } : { Items: current, BatchInput: options.batchInput });
    current = [];
    currentBytes = 0;
  };
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    const countFull = options.maxItems !== undefined && current.length >= options.maxItems;
    const sizeFull = options.maxBytes !== undefined && current.length > 0 && currentBytes + bytes > options.maxBytes;
    if (countFull || sizeFull) flush();
    current.push(item);
    currentBytes += bytes;
  }
  flush();
  return batches;
}
