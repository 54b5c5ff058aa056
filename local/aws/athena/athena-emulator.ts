/**
 * Local Amazon Athena: StartQueryExecution / GetQueryExecution / GetQueryResults running
 * SELECT queries on DuckDB over the Parquet of Glue catalog tables in the local S3. Shapes and
 * error names follow @aws-sdk/client-athena: states QUEUED -> RUNNING -> SUCCEEDED | FAILED, the
 * header row first in the first page of results, results also written as CSV to the output
 * location (`<OutputLocation><QueryExecutionId>.csv`, as Athena does).
 */
import { randomUUID } from 'node:crypto';
import { DuckDbSession } from '../../etl/duckdb-session.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { GlueCatalog } from '../glue/catalog.js';
import { localObjectPath, parseS3Uri } from '../s3-location.js';
import { bindExecutionParameters } from './execution-parameters.js';
import { QueryStore, type ColumnInfo, type QueryRecord, type StoredResultSet } from './query-store.js';
import { createTableViews, type AthenaTable } from './table-views.js';

export interface AthenaWorkGroupOptions {
  name: string;
  /** s3://bucket/prefix/ where results go when the request gives none. */
  outputLocation: string;
}

export interface AthenaEmulatorOptions {
  stateDir: string;
  /** Tables besides those of the local Glue catalog (which are always visible). */
  tables?: Array<{ database: string; name: string; location: string; partitionKeys: string[]; locationTemplate?: string }>;
  workGroups?: AthenaWorkGroupOptions[];
}

const ACTIONS = ['StartQueryExecution', 'GetQueryExecution', 'GetQueryResults', 'StopQueryExecution'] as const;
const MAX_QUERY_LENGTH = 262_144;
const MAX_RESULTS = 1000;
/** Where results go when neither the request nor the workgroup names a location. */
export const DEFAULT_OUTPUT_LOCATION = 's3://pricesense-local-athena-results/';

function athenaType(duckDbType: string): { type: string; precision: number; scale: number } {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckDbType);
  if (decimal) return { type: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  const known: Record<string, [string, number]> = {
    VARCHAR: ['varchar', 2147483647],
    DOUBLE: ['double', 17],
    FLOAT: ['float', 17],
    BIGINT: ['bigint', 19],
    HUGEINT: ['bigint', 19],
    INTEGER: ['integer', 10],
    SMALLINT: ['smallint', 5],
    TINYINT: ['tinyint', 3],
    BOOLEAN: ['boolean', 0],
    DATE: ['date', 0],
    TIMESTAMP: ['timestamp', 3],
  };
  const [type, precision] = known[duckDbType] ?? [duckDbType.toLowerCase(), 0];
  return { type, precision, scale: 0 };
}

function varChar(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item));
  return String(value);
}

function statementType(sql: string): QueryRecord['StatementType'] {
  const first = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase();
  if (first === 'SELECT' || first === 'WITH' || first === 'VALUES' || first === 'INSERT') return 'DML';
  if (first === 'SHOW' || first === 'DESCRIBE' || first === 'EXPLAIN') return 'UTILITY';
  return 'DDL';
}

function csvField(value: string | null): string {
  return value === null ? '' : `"${value.replaceAll('"', '""')}"`;
}

export class AthenaEmulator implements AwsServiceEmulator {
  readonly service = 'athena';
  readonly actions: readonly string[] = ACTIONS;
  private readonly store: QueryStore;
  private readonly catalog: GlueCatalog;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: AthenaEmulatorOptions) {
    this.store = new QueryStore(options.stateDir);
    this.catalog = new GlueCatalog(options.stateDir);
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (action) {
      case 'StartQueryExecution':
        return this.startQueryExecution(input);
      case 'GetQueryExecution':
        return { QueryExecution: this.view(this.requireQuery(input.QueryExecutionId)) };
      case 'GetQueryResults':
        return this.getQueryResults(input);
      case 'StopQueryExecution':
        return this.stopQueryExecution(input);
      default:
        throw unsupportedAction(this.service, action, ACTIONS);
    }
  }

  /** Resolves when every query started by this instance has finished. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Tables given in the options plus every table of the local Glue catalog. */
  tables(): AthenaTable[] {
    const fromCatalog = this.catalog.listTables().flatMap((table): AthenaTable[] => {
      const location = table.StorageDescriptor?.Location;
      if (typeof location !== 'string') return [];
      return [
        {
          database: table.DatabaseName,
          name: table.Name,
          location,
          partitionKeys: (table.PartitionKeys ?? []).map((key) => key.Name),
          locationTemplate: table.Parameters?.['storage.location.template'],
        },
      ];
    });
    return [...(this.options.tables ?? []), ...fromCatalog];
  }

  private requireQuery(id: unknown): QueryRecord {
    if (typeof id !== 'string' || id.length === 0) {
      throw new AwsServiceError('InvalidRequestException', `QueryExecutionId must be a non-empty string, got ${JSON.stringify(id)}`);
    }
    const record = this.store.read(id);
    if (!record) throw new AwsServiceError('InvalidRequestException', `QueryExecution ${id} was not found`);
    return record;
  }

  private outputLocation(input: Record<string, unknown>, workGroup: string): string {
    const fromRequest = (input.ResultConfiguration as Record<string, unknown> | undefined)?.OutputLocation;
    if (fromRequest !== undefined) {
      if (typeof fromRequest !== 'string' || !fromRequest.startsWith('s3://')) {
        throw new AwsServiceError('InvalidRequestException', `ResultConfiguration.OutputLocation must be an S3 URI like s3://bucket/prefix/, got ${JSON.stringify(fromRequest)}`);
      }
      return fromRequest.endsWith('/') ? fromRequest : `${fromRequest}/`;
    }
    const configured = this.options.workGroups?.find((group) => group.name === workGroup)?.outputLocation ?? DEFAULT_OUTPUT_LOCATION;
    return configured.endsWith('/') ? configured : `${configured}/`;
  }

  private async startQueryExecution(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const query = input.QueryString;
    if (typeof query !== 'string' || query.trim().length === 0 || query.length > MAX_QUERY_LENGTH) {
      throw new AwsServiceError('InvalidRequestException', `QueryString must be 1-${MAX_QUERY_LENGTH} characters of SQL, got ${JSON.stringify(typeof query === 'string' ? query.slice(0, 80) : query)}`);
    }
    const parameters = input.ExecutionParameters ?? [];
    if (!Array.isArray(parameters) || !parameters.every((value) => typeof value === 'string' && value.length > 0)) {
      throw new AwsServiceError('InvalidRequestException', `ExecutionParameters must be a list of non-empty strings, got ${JSON.stringify(parameters)}`);
    }
    const bound = bindExecutionParameters(query, parameters as string[]);
    const workGroup = typeof input.WorkGroup === 'string' && input.WorkGroup.length > 0 ? input.WorkGroup : 'primary';
    const context = input.QueryExecutionContext as Record<string, unknown> | undefined;
    const record: QueryRecord = {
      QueryExecutionId: randomUUID(),
      Query: query,
      StatementType: statementType(query),
      WorkGroup: workGroup,
      Database: typeof context?.Database === 'string' ? context.Database : undefined,
      ExecutionParameters: parameters.length > 0 ? (parameters as string[]) : undefined,
      OutputLocation: this.outputLocation(input, workGroup),
      State: 'QUEUED',
      SubmissionDateTime: new Date().toISOString(),
      DataScannedInBytes: 0,
      EngineExecutionTimeInMillis: 0,
      TotalExecutionTimeInMillis: 0,
      pid: process.pid,
    };
    await this.store.write(record);
    const execution = this.execute(record, bound).finally(() => this.inFlight.delete(execution));
    this.inFlight.add(execution);
    return { QueryExecutionId: record.QueryExecutionId };
  }

  private async execute(record: QueryRecord, sql: string): Promise<void> {
    const submitted = Date.parse(record.SubmissionDateTime);
    const engineStart = Date.now();
    await this.store.write({ ...record, State: 'RUNNING' });
    let finished: QueryRecord;
    try {
      if (record.StatementType !== 'DML') {
        throw new Error(`the local Athena runs SELECT queries only; this is a ${record.StatementType} statement`);
      }
      const { results, scanned } = await this.runOnDuckDb(record, sql);
      await this.store.writeResults(record.QueryExecutionId, results);
      await this.writeResultCsv(record, results);
      finished = { ...record, State: 'SUCCEEDED', DataScannedInBytes: scanned };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      finished = { ...record, State: 'FAILED', StateChangeReason: message };
    }
    const end = Date.now();
    if (this.store.read(record.QueryExecutionId)?.State === 'CANCELLED') return;
    await this.store.write({
      ...finished,
      CompletionDateTime: new Date(end).toISOString(),
      EngineExecutionTimeInMillis: end - engineStart,
      TotalExecutionTimeInMillis: end - submitted,
    });
  }

  private async runOnDuckDb(record: QueryRecord, sql: string): Promise<{ results: StoredResultSet; scanned: number }> {
    const session = await DuckDbSession.open();
    try {
      const sizes = await createTableViews(session, this.options.stateDir, this.tables());
      if (record.Database) {
        const database = record.Database.toLowerCase();
        await session.run(`CREATE SCHEMA IF NOT EXISTS "${database.replaceAll('"', '""')}"`);
        await session.run(`SET search_path = '${database.replaceAll("'", "''")},main'`);
      }
      const reader = await session.connection.runAndReadAll(sql);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      const columns: ColumnInfo[] = names.map((name, index) => {
        const { type, precision, scale } = athenaType(String(types[index]));
        return { CatalogName: 'hive', SchemaName: '', TableName: '', Name: name, Label: name, Type: type, Precision: precision, Scale: scale, Nullable: 'UNKNOWN', CaseSensitive: type === 'varchar' };
      });
      const rows = reader.getRowsJS().map((row) => row.map(varChar));
      const lowered = sql.toLowerCase();
      let scanned = 0;
      for (const [table, bytes] of sizes) if (lowered.includes(table.split('.')[1]!)) scanned += bytes;
      return { results: { columns, rows }, scanned };
    } finally {
      session.close();
    }
  }

  private async writeResultCsv(record: QueryRecord, results: StoredResultSet): Promise<void> {
    const { bucket, key } = parseS3Uri(`${record.OutputLocation}${record.QueryExecutionId}.csv`);
    const lines = [results.columns.map((column) => csvField(column.Name)).join(','), ...results.rows.map((row) => row.map(csvField).join(','))];
    await writeFileAtomic(localObjectPath(this.options.stateDir, bucket, key), `${lines.join('\n')}\n`);
  }

  private async stopQueryExecution(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const record = this.requireQuery(input.QueryExecutionId);
    if (record.State === 'QUEUED' || record.State === 'RUNNING') {
      await this.store.write({ ...record, State: 'CANCELLED', StateChangeReason: 'Query was cancelled by user', CompletionDateTime: new Date().toISOString() });
    }
    return {};
  }

  private view(record: QueryRecord): Record<string, unknown> {
    return {
      QueryExecutionId: record.QueryExecutionId,
      Query: record.Query,
      StatementType: record.StatementType,
      ResultConfiguration: { OutputLocation: `${record.OutputLocation}${record.QueryExecutionId}.csv` },
      QueryExecutionContext: record.Database ? { Database: record.Database } : undefined,
      Status: {
        State: record.State,
        StateChangeReason: record.StateChangeReason,
        SubmissionDateTime: new Date(record.SubmissionDateTime),
        CompletionDateTime: record.CompletionDateTime ? new Date(record.CompletionDateTime) : undefined,
      },
      Statistics: {
        DataScannedInBytes: record.DataScannedInBytes,
        EngineExecutionTimeInMillis: record.EngineExecutionTimeInMillis,
        TotalExecutionTimeInMillis: record.TotalExecutionTimeInMillis,
      },
      WorkGroup: record.WorkGroup,
      ExecutionParameters: record.ExecutionParameters,
    };
  }

  private getQueryResults(input: Record<string, unknown>): Record<string, unknown> {
    const record = this.requireQuery(input.QueryExecutionId);
    if (record.State === 'QUEUED' || record.State === 'RUNNING') {
      throw new AwsServiceError('InvalidRequestException', `Query has not yet finished. Current state: ${record.State}`);
    }
    if (record.State !== 'SUCCEEDED') {
      throw new AwsServiceError('InvalidRequestException', `Query did not finish successfully. Final query state: ${record.State}${record.StateChangeReason ? ` (${record.StateChangeReason})` : ''}`);
    }
    const maxResults = input.MaxResults === undefined ? MAX_RESULTS : Number(input.MaxResults);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
      throw new AwsServiceError('InvalidRequestException', `MaxResults must be a whole number from 1 to ${MAX_RESULTS}, got ${JSON.stringify(input.MaxResults)}`);
    }
    const results = this.store.readResults(record.QueryExecutionId) ?? { columns: [], rows: [] };
    const header = results.columns.map((column) => column.Name);
    // Row 0 is the header, as in Athena; tokens count rows of that combined list.
    const all: Array<Array<string | null>> = [header, ...results.rows];
    const offset = input.NextToken === undefined ? 0 : Number.parseInt(String(input.NextToken), 10);
    if (!Number.isInteger(offset) || offset < 0 || offset > all.length) {
      throw new AwsServiceError('InvalidRequestException', `NextToken ${JSON.stringify(input.NextToken)} was not returned by GetQueryResults for ${record.QueryExecutionId}`);
    }
    const page = all.slice(offset, offset + maxResults);
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: page.map((row) => ({ Data: row.map((value) => (value === null ? {} : { VarCharValue: value })) })),
        ResultSetMetadata: { ColumnInfo: results.columns },
      },
      NextToken: offset + maxResults < all.length ? String(offset + maxResults) : undefined,
    };
  }
}
