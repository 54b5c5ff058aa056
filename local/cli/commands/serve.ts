/**
 * `pricesense serve`: /ping, /invocations, /predict and /metrics on one port, over the local twin
 * (default) or, with --aws, over real AWS as the EKS container runs it.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../../../workflow/config.js';
import { parseReferencePrices, StaticReferencePrices } from '../../../tasks/core/predict/reference-prices.js';
import { CUSTOMER_FEATURE_GROUP } from '../../../workflow/resource-names.js';
import { DEFAULT_INFERENCE_TABLE, startServe } from '../../serving/serve-app.js';
import { startAwsServe } from '../../serving/aws/aws-backend.js';
import { AwsServeConfigError, AwsServeEnv, readAwsServeConfig, type AwsServeConfig } from '../../serving/aws/serve-config.js';
import { LOCAL_RESOURCES_FILE } from '../../serving/local-resources.js';
import { resolveStateDir } from '../state-dir.js';
import { UsageError } from '../usage-error.js';
import { noPositionals, parseOptions } from '../parse-options.js';
import { DEFAULT_SERVE_HOST, DEFAULT_SERVE_PORT } from '../serve-address.js';


export const summary = 'serve the deployed model: /ping, /invocations, /predict and /metrics on 127.0.0.1 (local twin, or --aws as the EKS container)';

export const usage = `usage: pricesense serve [--json] [--port P] [--host H] [--state-dir DIR] [--endpoint NAME]
                       [--feature-group NAME] [--inference-table NAME] [--poll-ms MS]
                       [--reference-prices FILE]
       pricesense serve --aws [--json] [--port P] [--host H] [--feature-group NAME]
                       [--inference-table NAME] [--reference-prices FILE]

  --aws                  serve against real AWS, as the EKS container does (see below);
                         without it serve runs on the local twin in the state directory

  --port P               TCP port (default 8080, the SageMaker container port; 0 = any free port)
  --host H               address to bind (default 127.0.0.1: only this machine can connect)
  --state-dir DIR        local state directory (default $PRICESENSE_STATE_DIR or .pricesense)
  --endpoint NAME        local SageMaker endpoint whose live model is served
  --feature-group NAME   customer history feature group
  --inference-table NAME local DynamoDB table of inference records
  --poll-ms MS           how often to check the endpoint for a rollout (default 1000)
  --reference-prices FILE reference_prices.json to score with (default: the one of the gold run
                         named by the live model's registry entry; needed for a model deployed
                         without one)

Without these three flags serve uses what \`pricesense run\` deployed in the state directory
(${LOCAL_RESOURCES_FILE}, written when the run bootstraps), else the defaults: endpoint
${DEFAULT_CONFIG.endpointName}, feature group ${CUSTOMER_FEATURE_GROUP}, table ${DEFAULT_INFERENCE_TABLE}.

Follows rollouts: when the pipeline deploys a new model to the endpoint, the server swaps it in
without dropping requests. Stops on Ctrl-C (SIGINT) or SIGTERM.

With --aws (the serving image's default command; credentials from the standard AWS chain, on EKS
the pod's IRSA role) serve reads, once at start:
  ${AwsServeEnv.ModelDir}        directory holding the extracted model.tar.gz (xgboost-model)
  ${AwsServeEnv.ModelPackageArn}  its registered model package: must be Approved; names the gold run
  ${AwsServeEnv.GoldBucket}      bucket of gold/run_id=<run>/serving/reference_prices.json
                               (both not needed with --reference-prices FILE)
  ${AwsServeEnv.Region} (or ${AwsServeEnv.DefaultRegion})
  ${AwsServeEnv.FeatureGroup}    customer history feature group (Feature Store GetRecord;
                               default ${CUSTOMER_FEATURE_GROUP}; --feature-group wins)
  ${AwsServeEnv.InferenceTable}  DynamoDB table for inference records (PutItem, written behind;
                               empty = no inference log; --inference-table wins)
  ${AwsServeEnv.ModelDataUrl}              optional: the archive's S3 URI, checked against the package
A missing or wrong variable is a usage error (exit 2) naming it; a failing AWS call at start
(package not Approved, reference prices unreadable, access denied) exits 1 with its error.
--state-dir, --endpoint and --poll-ms are local-twin options and are refused with --aws.`;

function wholeNumber(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
        port: { type: 'string' },
        host: { type: 'string' },
        'state-dir': { type: 'string' },
        endpoint: { type: 'string' },
        'feature-group': { type: 'string' },
        'inference-table': { type: 'string' },
        'poll-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
        'reference-prices': { type: 'string' },
        aws: { type: 'boolean', default: false },
      });
  noPositionals(positionals);
  if (values.aws) {
    for (const local of ['state-dir', 'endpoint', 'poll-ms'] as const) {
      if (values[local] !== undefined) throw new UsageError(`--${local} is an option of the local twin: --aws serves the model in $${AwsServeEnv.ModelDir} against AWS`);
    }
  } else if (process.env[AwsServeEnv.ModelDir]) {
    // The variable only means something to --aws: serving the local twin instead would be a silent surprise.
    throw new UsageError(`${AwsServeEnv.ModelDir} is set but --aws is not: pass --aws to serve that model against AWS, or unset ${AwsServeEnv.ModelDir} to serve the local twin`);
  }
  const port = wholeNumber('port', values.port, 65_535);
  const pollMs = wholeNumber('poll-ms', values['poll-ms'], 3_600_000);
  if (pollMs === 0) throw new UsageError('--poll-ms must be at least 1');
  if (values.host !== undefined && values.host.trim() === '') throw new UsageError('--host must be an address such as 127.0.0.1, got ""');
  const log = (line: string) => console.error(`[serve] ${line}`);

  let referencePrices;
  if (values['reference-prices'] !== undefined) {
    const file = values['reference-prices'];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--reference-prices ${JSON.stringify(file)} cannot be read: ${(error as Error).message}`);
    }
    referencePrices = new StaticReferencePrices(parseReferencePrices(text, file));
  }

  let awsConfig: AwsServeConfig | undefined;
  if (values.aws) {
    try {
      awsConfig = readAwsServeConfig(process.env, {
        featureGroupName: values['feature-group'],
        inferenceTableName: values['inference-table'],
        referencePricesFile: values['reference-prices'],
      });
    } catch (error) {
      if (error instanceof AwsServeConfigError) throw new UsageError(error.message);
      throw error;
    }
  }
  const stateDir = awsConfig ? undefined : resolveStateDir(values['state-dir']);

  let app;
  try {
    if (awsConfig) app = await startAwsServe({ config: awsConfig, host: values.host, port: port ?? DEFAULT_SERVE_PORT, log });
    else {
      app = await startServe({
        stateDir: stateDir!,
        host: values.host,
        port: port ?? DEFAULT_SERVE_PORT,
        endpointName: values.endpoint,
        featureGroupName: values['feature-group'],
        inferenceTableName: values['inference-table'],
        pollMs,
        log,
        ...(referencePrices ? { referencePrices } : {}),
      });
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      console.error(`pricesense serve: port ${port ?? DEFAULT_SERVE_PORT} is already in use on ${values.host ?? DEFAULT_SERVE_HOST}: pick another with --port`);
      return 1;
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      console.error(`pricesense serve: cannot bind ${JSON.stringify(values.host)}: not an address of this machine`);
      return 1;
    }
    throw error;
  }
  const backend = stateDir === undefined ? { aws: true } : { stateDir };
  if (values.json) console.log(JSON.stringify({ listening: app.url, routes: ['/ping', '/invocations', '/predict', '/metrics'], ...backend }));
  else console.log(`pricesense serve: listening on ${app.url} (/ping /invocations /predict /metrics), ${stateDir === undefined ? 'against AWS' : `state ${stateDir}`}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  if (values.json) console.log(JSON.stringify({ stopped: true }));
  else console.log('pricesense serve: stopped');
  return 0;
}
