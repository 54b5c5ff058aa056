/** Local DynamoDB: the emulator, its AttributeValue types and the item size rule. */
export { DynamoDbEmulator } from './dynamodb-emulator.js';
export type { AttributeValue, Item } from './attribute-values.js';
export { itemBytes, MAX_ITEM_BYTES } from './item-size.js';
