/**
 * The one place the SageMaker emulator touches the local XGBoost implementation
 * (`local/xgboost/`), so the rest of the emulator reads as SageMaker control-plane code.
 */
export { trainXgboost } from '../../xgboost/train.js';
export { loadXgboostModel } from '../../xgboost/model.js';
export type { XgboostModel } from '../../xgboost/model.js';
export { packModelArchive, unpackModelArchive } from '../../xgboost/model-archive.js';
