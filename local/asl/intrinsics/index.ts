export { evaluateIntrinsic, isIntrinsicCall, type IntrinsicOptions, type PathResolver } from './evaluate-intrinsic.js';
export { IntrinsicFailureError } from './intrinsic-failure-error.js';
export { INTRINSIC_FUNCTIONS } from './function-table.js';
export { stepFunctionsJsonataFunctions } from './jsonata-functions.js';
