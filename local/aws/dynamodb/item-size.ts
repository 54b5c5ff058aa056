/** DynamoDB's 400 KB item limit, counted as DynamoDB counts it. */
import { dynamodb } from './validation.js';

/** DynamoDB's item size limit: 400 KB, attribute names included (Developer Guide, "Service, account, and table quotas"). */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * An item's size as DynamoDB counts it (Developer Guide, "Item sizes and formats"): UTF-8 bytes
 * of each attribute name plus its value — strings as UTF-8, binaries as raw bytes, numbers about
 * one byte per two significant digits plus one, booleans and nulls one byte, lists and maps three
 * bytes plus one per element on top of their contents.
 */
export function itemBytes(item: Record<string, unknown>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) total += Buffer.byteLength(name) + attributeBytes(value);
  return total;
}

function numberBytes(text: string): number {
  const digits = text.replace(/^[-+]/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

function binaryBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  return typeof value === 'string' ? Buffer.from(value, 'base64').byteLength : 0;
}

function attributeBytes(value: unknown): number {
  const attribute = (value ?? {}) as Record<string, unknown>;
  if (typeof attribute.S === 'string') return Buffer.byteLength(attribute.S);
  if (attribute.N !== undefined) return numberBytes(String(attribute.N));
  if (attribute.B !== undefined) return binaryBytes(attribute.B);
  if (attribute.BOOL !== undefined || attribute.NULL !== undefined) return 1;
  if (Array.isArray(attribute.SS)) return attribute.SS.reduce((n: number, item) => n + Buffer.byteLength(String(item)), 0);
  if (Array.isArray(attribute.NS)) return attribute.NS.reduce((n: number, item) => n + numberBytes(String(item)), 0);
  if (Array.isArray(attribute.BS)) return attribute.BS.reduce((n: number, item) => n + binaryBytes(item), 0);
  if (Array.isArray(attribute.L)) return 3 + attribute.L.reduce((n: number, item) => n + 1 + attributeBytes(item), 0);
  if (attribute.M && typeof attribute.M === 'object') {
    const entries = Object.entries(attribute.M as Record<string, unknown>);
    return 3 + entries.reduce((n, [name, item]) => n + 1 + Buffer.byteLength(name) + attributeBytes(item), 0);
  }
  return 0;
}

export function checkItemSize(item: Record<string, unknown>): void {
  // AWS's message, as the SDK surfaces it (ValidationException).
  if (itemBytes(item) > MAX_ITEM_BYTES) throw dynamodb.error('Item size has exceeded the maximum allowed size');
}
