/** Local AWS Glue (see glue/glue-emulator.ts); the runtime loads it from this path. */
export { GlueEmulator, type GlueEmulatorOptions, type GlueJobOptions } from './glue/glue-emulator.js';
export { GlueCatalog, type CatalogTable } from './glue/catalog.js';
