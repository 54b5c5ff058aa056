/**
 * Custom CloudWatch metrics of detect-drift (namespace METRICS_NAMESPACE, dimension `service` =
 * detect-drift; FeaturePsi also has `feature`). The drift alarm and the dashboard refer to these.
 */
export const DriftMetric = {
  MaxPsi: 'MaxFeaturePsi',
  FeaturePsi: 'FeaturePsi',
  FeatureDimension: 'feature',
  Samples: 'DriftSamples',
} as const;
