/**
 * The Glue Data Catalog of the gold zone: the pricesense database and its gold_baskets and
 * silver_stats tables (Parquet under gold/run_id=<id>/<folder>/, one partition per run through
 * partition projection: every run is queryable without crawlers or MSCK REPAIR).
 *
 * Created in the stack's own scope (not a child construct) so the logical IDs stay those of the
 * deployed stack (a new ID would replace the database and tables).
 */
import { type Stack, aws_glue as glue, type aws_s3 as s3 } from 'aws-cdk-lib';
import { GOLD_BASKET_COLUMNS, SILVER_STATS_COLUMNS } from '../../workflow/gold-baskets-schema.js';
import { GLUE_DATABASE, GOLD_BASKETS_TABLE, SILVER_STATS_TABLE } from '../../workflow/resource-names.js';

export function createGoldTables(stack: Stack, gold: s3.IBucket): void {
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
}
