/** Local Amazon Athena (see athena/athena-emulator.ts); the runtime loads it from this path. */
export { AthenaEmulator, DEFAULT_OUTPUT_LOCATION, type AthenaEmulatorOptions, type AthenaWorkGroupOptions } from './athena/athena-emulator.js';
export { bindExecutionParameters, placeholderOffsets } from './athena/execution-parameters.js';
