/**
 * The RawToSilver and SilverToGold Glue jobs: each one's script, the sql/ folder and the
 * sql_steps.py module are CDK file assets the job role reads; with the private network the jobs
 * run through its Glue connection and the role may attach their network interfaces.
 *
 * Created in the stack's own scope (not a child construct) so the logical IDs stay those of the
 * deployed stack. The role's statements keep their order: network interfaces, then each job's
 * asset reads.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Stack, aws_glue as glue, aws_s3_assets as assets } from 'aws-cdk-lib';
import type { GlueConfig } from '../../workflow/config.js';
import { GlueJob, GlueJobArgument } from '../../workflow/resource-names.js';
import { GLUE_CONNECTION_NAME, type PrivateNetwork } from '../network/private-network.js';
import type { GlueJobSecurity } from './glue-job-security.js';

export interface GlueJobsProps extends GlueJobSecurity {
  glue: GlueConfig;
  /** Folder of raw_to_silver.py, silver_to_gold.py, sql/ and sql_steps.py. */
  glueScriptsDir: string;
  network?: PrivateNetwork;
}

export function createGlueJobs(stack: Stack, props: GlueJobsProps): void {
  const { role: glueRole, securityConfiguration, network } = props;
  const glueJob = (id: string, name: string, script: string) => {
    const path = join(props.glueScriptsDir, script);
    if (!existsSync(path)) throw new Error(`The Glue script ${path} does not exist: job ${name} runs it.`);
    const asset = new assets.Asset(stack, `${id}Script`, { path });
    asset.grantRead(glueRole);
    const sqlDir = join(props.glueScriptsDir, 'sql');
    const sqlAsset = existsSync(sqlDir) ? new assets.Asset(stack, `${id}Sql`, { path: sqlDir }) : undefined;
    sqlAsset?.grantRead(glueRole);
    // The SQL-step runner both jobs `import sql_steps` (glue-scripts/sql_steps.py). A single-file
    // asset would reach Glue as <hash>.py, not importable under its name (aws/aws-cdk#20481); a
    // directory asset holding only that file is zipped with sql_steps.py at the archive root, and
    // Glue puts an --extra-py-files zip on sys.path. (Chosen over a BucketDeployment under an
    // explicit key: no custom-resource Lambda, and the hash still versions the module per deploy.)
    const stepsPath = join(props.glueScriptsDir, 'sql_steps.py');
    const stepsAsset = existsSync(stepsPath)
      ? new assets.Asset(stack, `${id}SqlSteps`, { path: props.glueScriptsDir, exclude: ['*', '!sql_steps.py'] })
      : undefined;
    stepsAsset?.grantRead(glueRole);
    const job = new glue.CfnJob(stack, id, {
      name,
      role: glueRole.roleArn,
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: asset.s3ObjectUrl },
      glueVersion: props.glue.glueVersion,
      workerType: props.glue.workerType,
      numberOfWorkers: props.glue.numberOfWorkers,
      timeout: props.glue.timeoutMinutes,
      maxRetries: 0,
      executionProperty: { maxConcurrentRuns: 2 },
      securityConfiguration: securityConfiguration.name,
      defaultArguments: {
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-metrics': 'true',
        '--job-language': 'python',
        ...(sqlAsset ? { '--extra-files': sqlAsset.s3ObjectUrl } : {}),
        ...(stepsAsset ? { '--extra-py-files': stepsAsset.s3ObjectUrl } : {}),
        [GlueJobArgument.RunId]: 'unset',
      },
      ...(network ? { connections: { connections: [GLUE_CONNECTION_NAME] } } : {}),
    });
    if (network) job.node.addDependency(network.glueConnection);
    return job;
  };
  network?.grantNetworkInterfaces(glueRole, 'glue');
  glueJob('RawToSilverJob', GlueJob.RawToSilver, 'raw_to_silver.py');
  glueJob('SilverToGoldJob', GlueJob.SilverToGold, 'silver_to_gold.py');
}
