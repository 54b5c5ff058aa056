/**
 * The Glue Data Catalog of the gold zone and the Athena workgroup that queries it: the pricesense
 * database, its gold_baskets and silver_stats tables (Parquet under gold/run_id=<id>/<folder>/,
 * one partition per run through partition projection: every run is queryable without crawlers or
 * MSCK REPAIR), and the workgroup whose SSE-KMS results land in the artifacts bucket.
 *
 * Created in the stack's own scope (not a child construct) so the logical IDs stay those of the
 * deployed stack (a new ID would replace the database and tables).
 */
import { type Stack, aws_athena as athena, aws_glue as glue, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import { GOLD_BASKET_COLUMNS, SILVER_STATS_COLUMNS } from '../../workflow/gold-baskets-schema.js';
import { ATHENA_WORKGROUP, GLUE_DATABASE, GOLD_BASKETS_TABLE, SILVER_STATS_TABLE } from '../../workflow/resource-names.js';
import { ATHENA_RESULTS_PREFIX } from '../../workflow/s3-layout.js';

export interface GoldCatalogProps {
  goldBucket: s3.IBucket;
  /** Holds the Athena query results (under ATHENA_RESULTS_PREFIX). */
  artifactsBucket: s3.IBucket;
  key: kms.IKey;
}

/** The Glue database, the gold tables; then the Athena workgroup. */
export function createGoldCatalog(stack: Stack, props: GoldCatalogProps): void {
  const { goldBucket: gold } = props;
  const database = new glue.CfnDatabase(stack, 'GlueDatabase', { catalogId: stack.account, databaseInput: { name: GLUE_DATABASE, description: 'pricesense gold tables' } });
  const goldRunTable = (id: string, name: string, folder: string, columns: Array<{ name: string; type: string }>): void => {
    new glue.CfnTable(stack, id, {
      catalogId: stack.account,
      databaseName: GLUE_DATABASE,
      tableInput: {
        name,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: 'run_id', type: 'string' }],
        parameters: {
          classification: 'parquet',
          'projection.enabled': 'true',
          'projection.run_id.type': 'injected',
          'storage.location.template': `s3://${gold.bucketName}/gold/run_id=\${run_id}/${folder}/`,
        },
        storageDescriptor: {
          location: `s3://${gold.bucketName}/gold/`,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          columns,
        },
      },
    }).addResourceDependency(database);
  };
  goldRunTable('GoldBasketsTable', GOLD_BASKETS_TABLE, 'baskets', GOLD_BASKET_COLUMNS.map(([name, type]) => ({ name, type })));
  // The raw -> silver counts of each run, one row, for the rejected-share data-quality rule.
  goldRunTable('SilverStatsTable', SILVER_STATS_TABLE, 'silver_stats', SILVER_STATS_COLUMNS.map((name) => ({ name, type: 'bigint' })));

  new athena.CfnWorkGroup(stack, 'AthenaWorkGroup', {
    name: ATHENA_WORKGROUP,
    description: 'pricesense data-quality queries',
    recursiveDeleteOption: true,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
      resultConfiguration: {
        outputLocation: `s3://${props.artifactsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
      },
    },
  });
}
