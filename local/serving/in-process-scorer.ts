/**
 * The BasketScorer of `pricesense serve`: the model the server holds (the local endpoint's, or the
 * EKS pod's), scored in-process (the same model and version that /invocations answers with),
 * instead of InvokeEndpoint.
 */
import { ModelUnavailableError, type BasketScorer, type Scored } from '../../tasks/core/predict/basket-scorer.js';
import type { ServedModel } from './model-server.js';

export class InProcessScorer implements BasketScorer {
  constructor(
    private readonly current: () => ServedModel | undefined,
    private readonly noModelMessage = 'no model is deployed to the local endpoint yet: run the pipeline (pricesense run) with rollout to the endpoint',
  ) {}

  async score(features: Float64Array): Promise<Scored> {
    const served = this.current();
    if (!served) throw new ModelUnavailableError(this.noModelMessage);
    if (served.model.numFeatures !== features.length) {
      throw new ModelUnavailableError(`the deployed model ${served.version} expects ${served.model.numFeatures} features, /predict computes ${features.length}: the model was trained on a different feature list`);
    }
    const probabilities = served.model.predictProba(features, 1);
    return { probabilities: Array.from(probabilities), modelVersion: served.version };
  }
}
