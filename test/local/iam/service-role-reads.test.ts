/**
 * The objects a service role reads are found by key: a Glue job run's role is authorized for
 * every object of its input zone, and finding them computes no ETag (the MD5 of each file DuckDB
 * wrote, which ListObjectsV2 would compute and store).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalAws } from '../../../local/aws/registry.js';
import { S3Emulator } from '../../../local/aws/s3/s3-emulator.js';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { IamEnforcement } from '../../../local/iam/enforcement.js';
import { localResourceNames } from '../../../local/template/index.js';
import { GlueJob, GlueJobArgument } from '../../../workflow/resource-names.js';
import { synthForTest } from '../../support/synth.js';

const synthesized = synthForTest();

interface Statement {
  Action: string | string[];
  Resource?: unknown;
}

/** The template without s3:GetObject* for the Glue role on the silver bucket. */
function glueMayNotReadSilver(): object {
  const template = structuredClone(synthesized.template) as { Resources: Record<string, { Type: string; Properties: { PolicyDocument: { Statement: Statement[] } } }> };
  const [, policy] = Object.entries(template.Resources).find(([id]) => id.startsWith('GlueJobRoleDefaultPolicy'))!;
  for (const statement of policy.Properties.PolicyDocument.Statement) {
    if (Array.isArray(statement.Action) && JSON.stringify(statement.Resource).includes('SilverBucket')) statement.Action = statement.Action.filter((action) => !action.startsWith('s3:GetObject'));
  }
  return template;
}

function setUp(template: object) {
  const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-role-reads-'));
  const names = localResourceNames(template);
  const bucketOf = (prefix: string) => [...names.values()].find((r) => r.type === 'AWS::S3::Bucket' && r.name.startsWith(prefix))!.name;
  const silver = bucketOf('silverbucket');
  const s3 = new S3Emulator(stateDir);
  // Written as DuckDB writes silver: straight to the file, no sidecar.
  const key = 'silver/run_id=r1/STORE_REGION=E01/part-0.parquet';
  const path = localObjectPath(stateDir, silver, key);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'PAR1 not really parquet');
  const started: unknown[] = [];
  const localAws = new LocalAws()
    .register(s3)
    .register({
      service: 'glue',
      actions: ['GetJob', 'StartJobRun'],
      call: async (action, input) => {
        if (action === 'GetJob') return { Job: { Name: input.JobName, Command: { ScriptLocation: 'local://silver_to_gold.py' }, DefaultArguments: {} } };
        started.push(input);
        return { JobRunId: 'jr_started' };
      },
    });
  const enforcement = new IamEnforcement({
    names,
    stateMachineArn: names.get(synthesized.stateMachineLogicalId)!.arn,
    localAws,
    listObjectKeys: (bucket, prefix) => s3.walkKeys(bucket, prefix),
  });
  const start = () =>
    enforcement.stateMachineAws.call('glue', 'StartJobRun', {
      JobName: GlueJob.SilverToGold,
      Arguments: { [GlueJobArgument.RunId]: 'r1', [GlueJobArgument.SilverUri]: `s3://${silver}/silver/run_id=r1/`, [GlueJobArgument.GoldUri]: `s3://${bucketOf('goldbucket')}/gold/run_id=r1/` },
    });
  const sidecar = join(stateDir, 's3-meta', silver, `${key}.meta.json`);
  return { start, started, silver, key, sidecar, enforcement };
}

describe('a Glue job run reading its input zone', () => {
  it('starts when its role may read the objects, without computing their ETags', async () => {
    const { start, started, sidecar } = setUp(synthesized.template);

    expect(await start()).toEqual({ JobRunId: 'jr_started' });

    expect(started).toHaveLength(1);
    expect(existsSync(sidecar)).toBe(false);
  });

  it('fails naming the object its role may not read', async () => {
    const { start, started, silver, key, enforcement } = setUp(glueMayNotReadSilver());

    const { JobRunId } = await start();
    const run = (await enforcement.stateMachineAws.call('glue', 'GetJobRun', { JobName: GlueJob.SilverToGold, RunId: JobRunId })) as { JobRun: { JobRunState: string; ErrorMessage: string } };

    // AWS starts the run and it fails reading; it is never handed to the local Glue.
    expect(started).toEqual([]);
    expect(run.JobRun.JobRunState).toBe('FAILED');
    expect(run.JobRun.ErrorMessage).toContain(`GlueJobRunnerSession is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::${silver}/${key}`);
  });
});
