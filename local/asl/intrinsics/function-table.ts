import type { IntrinsicImplementation } from './intrinsic-call.js';
import {
  statesArray,
  statesArrayContains,
  statesArrayGetItem,
  statesArrayLength,
  statesArrayPartition,
  statesArrayRange,
  statesArrayUnique,
} from './functions/array-functions.js';
import { statesBase64Decode, statesBase64Encode, statesHash } from './functions/encoding-functions.js';
import { statesJsonMerge, statesJsonToString, statesStringToJson } from './functions/json-functions.js';
import { statesMathAdd, statesMathRandom } from './functions/math-functions.js';
import { statesFormat, statesStringSplit } from './functions/string-functions.js';
import { statesUuid } from './functions/uuid-function.js';

/** Every intrinsic function of the Amazon States Language, by its name in the definition. */
export const INTRINSIC_FUNCTIONS: Readonly<Record<string, IntrinsicImplementation>> = {
  'States.Format': statesFormat,
  'States.StringToJson': statesStringToJson,
  'States.JsonToString': statesJsonToString,
  'States.Array': statesArray,
  'States.ArrayPartition': statesArrayPartition,
  'States.ArrayContains': statesArrayContains,
  'States.ArrayRange': statesArrayRange,
  'States.ArrayGetItem': statesArrayGetItem,
  'States.ArrayLength': statesArrayLength,
  'States.ArrayUnique': statesArrayUnique,
  'States.Base64Encode': statesBase64Encode,
  'States.Base64Decode': statesBase64Decode,
  'States.Hash': statesHash,
  'States.JsonMerge': statesJsonMerge,
  'States.MathRandom': statesMathRandom,
  'States.MathAdd': statesMathAdd,
  'States.StringSplit': statesStringSplit,
  'States.UUID': statesUuid,
};
