/** Athena query records and result sets, persisted under `<stateDir>/athena/` with atomic writes. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../state/atomic-write.js';

export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface QueryRecord {
  QueryExecutionId: string;
  Query: string;
  StatementType: 'DML' | 'DDL' | 'UTILITY';
  WorkGroup: string;
  Database?: string;
  ExecutionParameters?: string[];
  OutputLocation: string;
  State: QueryState;
  StateChangeReason?: string;
  SubmissionDateTime: string;
  CompletionDateTime?: string;
  DataScannedInBytes: number;
  EngineExecutionTimeInMillis: number;
  TotalExecutionTimeInMillis: number;
  pid: number;
}

export interface ColumnInfo {
  CatalogName: string;
  SchemaName: string;
  TableName: string;
  Name: string;
  Label: string;
  Type: string;
  Precision: number;
  Scale: number;
  Nullable: 'UNKNOWN';
  CaseSensitive: boolean;
}

export interface StoredResultSet {
  columns: ColumnInfo[];
  /** Values as Athena's VarCharValue strings; null for SQL NULL. */
  rows: Array<Array<string | null>>;
}

export class QueryStore {
  constructor(private readonly stateDir: string) {}

  private path(kind: 'queries' | 'results', id: string): string {
    return join(this.stateDir, 'athena', kind, `${id}.json`);
  }

  read(id: string): QueryRecord | undefined {
    const path = this.path('queries', id);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as QueryRecord) : undefined;
  }

  async write(record: QueryRecord): Promise<void> {
    await writeJsonAtomic(this.path('queries', record.QueryExecutionId), record);
  }

  readResults(id: string): StoredResultSet | undefined {
    const path = this.path('results', id);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StoredResultSet) : undefined;
  }

  async writeResults(id: string, results: StoredResultSet): Promise<void> {
    await writeJsonAtomic(this.path('results', id), results);
  }
}
