/**
 * Local SNS: topics are records under `<stateDir>/sns/topics/`, and every published message is
 * one JSON line in `<stateDir>/sns/outbox.jsonl` (what a subscriber would have received).
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from './emulator.js';
import { writeJsonAtomic } from '../state/atomic-write.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
/** SNS message size limit (256 KiB). */
const MAX_MESSAGE_BYTES = 262_144;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export interface SnsOutboxEntry {
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, unknown>;
  Timestamp: string;
}

export function snsOutboxPath(stateDir: string): string {
  return join(stateDir, 'sns', 'outbox.jsonl');
}

export function topicArn(name: string): string {
  return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
}

export class SnsEmulator implements AwsServiceEmulator {
  readonly service = 'sns';
  readonly actions = ['CreateTopic', 'ListTopics', 'Publish'] as const;

  constructor(private readonly stateDir: string) {}

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (action) {
      case 'CreateTopic':
        return { TopicArn: await this.createTopic(String(input.Name ?? '')) };
      case 'ListTopics':
        return { Topics: (await this.topicNames()).map((name) => ({ TopicArn: topicArn(name) })) };
      case 'Publish':
        return this.publish(input);
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  /** Idempotent, like SNS: creating an existing topic returns its ARN. */
  async createTopic(name: string): Promise<string> {
    if (!TOPIC_NAME.test(name)) {
      throw new AwsServiceError('InvalidParameter', `Invalid parameter: Topic Name ${JSON.stringify(name)}; expected 1-256 letters, digits, _ or -`);
    }
    await writeJsonAtomic(this.topicPath(name), { TopicArn: topicArn(name), Name: name });
    return topicArn(name);
  }

  /** Messages published so far, oldest first. */
  async outbox(): Promise<SnsOutboxEntry[]> {
    const text = await readFile(snsOutboxPath(this.stateDir), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as SnsOutboxEntry);
  }

  private topicPath(name: string): string {
    return join(this.stateDir, 'sns', 'topics', `${name}.json`);
  }

  private async topicNames(): Promise<string[]> {
    const files = await readdir(join(this.stateDir, 'sns', 'topics')).catch(() => []);
    return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  }

  private async publish(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const arn = input.TopicArn ?? input.TargetArn;
    if (typeof arn !== 'string') {
      throw new AwsServiceError('InvalidParameter', `Invalid parameter: TopicArn or TargetArn is required (PhoneNumber is not supported locally), got ${JSON.stringify(arn)}`);
    }
    const match = /^arn:aws:sns:[a-z0-9-]+:\d{12}:([A-Za-z0-9_.-]+)$/.exec(arn);
    if (!match) throw new AwsServiceError('InvalidParameter', `Invalid parameter: TopicArn ${JSON.stringify(arn)} is not an SNS topic ARN`);
    const name = match[1]!;
    if (!(await this.topicNames()).includes(name)) {
      throw new AwsServiceError('NotFound', `Topic does not exist: ${arn}`, { httpStatusCode: 404 });
    }
    if (typeof input.Message !== 'string' || input.Message.length === 0) {
      throw new AwsServiceError('InvalidParameter', 'Invalid parameter: Message must be a non-empty string');
    }
    // The 256 KB (262,144 bytes) limit covers the message and its attributes (SNS Developer Guide,
    // "Amazon SNS message publishing": payload size); AWS answers InvalidParameter with this text.
    if (publishBytes(input) > MAX_MESSAGE_BYTES) {
      throw new AwsServiceError('InvalidParameter', 'Invalid parameter: Message too long');
    }
    const entry: SnsOutboxEntry = { MessageId: randomUUID(), TopicArn: arn, Message: input.Message, Timestamp: new Date().toISOString() };
    if (typeof input.Subject === 'string') entry.Subject = input.Subject;
    if (input.MessageAttributes && typeof input.MessageAttributes === 'object') entry.MessageAttributes = input.MessageAttributes as Record<string, unknown>;
    await mkdir(join(this.stateDir, 'sns'), { recursive: true });
    // One appendFile = one O_APPEND write: concurrent publishers never interleave a line.
    await appendFile(snsOutboxPath(this.stateDir), `${JSON.stringify(entry)}\n`);
    return { MessageId: entry.MessageId };
  }
}

/** Message plus attribute names, types and values, in UTF-8 bytes. */
export function publishBytes(input: Record<string, unknown>): number {
  let total = Buffer.byteLength(String(input.Message ?? ''));
  const attributes = (input.MessageAttributes ?? {}) as Record<string, { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array | string }>;
  for (const [name, attribute] of Object.entries(attributes)) {
    total += Buffer.byteLength(name) + Buffer.byteLength(attribute?.DataType ?? '') + Buffer.byteLength(attribute?.StringValue ?? '');
    const binary = attribute?.BinaryValue;
    if (binary !== undefined) total += typeof binary === 'string' ? Buffer.byteLength(binary) : binary.byteLength;
  }
  return total;
}

