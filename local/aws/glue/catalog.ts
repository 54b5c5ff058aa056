/**
 * The local Glue Data Catalog: databases and tables as JSON files under
 * `<stateDir>/glue/catalog/`, written atomically. The Athena emulator reads tables from here,
 * as Athena reads the Glue catalog.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../state/atomic-write.js';
import { AwsServiceError } from '../emulator.js';
import { RequestValidator, SERVICE_VALIDATION } from '../request-validation.js';

const glue = new RequestValidator(SERVICE_VALIDATION.glue);

export interface CatalogTable {
  DatabaseName: string;
  Name: string;
  TableType?: string;
  Parameters?: Record<string, string>;
  PartitionKeys?: Array<{ Name: string; Type?: string }>;
  StorageDescriptor?: { Location?: string; Columns?: Array<{ Name: string; Type?: string }>; [key: string]: unknown };
  CreateTime: string;
  [key: string]: unknown;
}

export interface CatalogDatabase {
  Name: string;
  Description?: string;
  CreateTime: string;
  [key: string]: unknown;
}

/** Glue names are 1-255 characters; the catalog keeps them lower case as Glue does. */
function catalogName(kind: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || /[/\\]/.test(value)) {
    throw glue.error(`${kind} must be a name of 1-255 characters without slashes, got ${JSON.stringify(value)}`);
  }
  return value.toLowerCase();
}

export class GlueCatalog {
  constructor(private readonly stateDir: string) {}

  private databasePath(name: string): string {
    return join(this.stateDir, 'glue', 'catalog', catalogName('DatabaseName', name), '_database.json');
  }

  private tablePath(database: string, table: string): string {
    return join(this.stateDir, 'glue', 'catalog', catalogName('DatabaseName', database), `${catalogName('Name', table)}.json`);
  }

  async createDatabase(input: Record<string, unknown>): Promise<void> {
    const databaseInput = input.DatabaseInput as Record<string, unknown> | undefined;
    const name = catalogName('DatabaseInput.Name', databaseInput?.Name);
    const path = this.databasePath(name);
    if (existsSync(path)) throw new AwsServiceError('AlreadyExistsException', `Database ${name} already exists.`);
    await writeJsonAtomic(path, { ...databaseInput, Name: name, CreateTime: new Date().toISOString() });
  }

  getDatabase(name: unknown): CatalogDatabase {
    const path = this.databasePath(catalogName('Name', name));
    if (!existsSync(path)) throw new AwsServiceError('EntityNotFoundException', `Database ${String(name)} not found.`);
    return JSON.parse(readFileSync(path, 'utf8')) as CatalogDatabase;
  }

  async createTable(input: Record<string, unknown>): Promise<void> {
    const database = catalogName('DatabaseName', input.DatabaseName);
    this.getDatabase(database);
    const tableInput = input.TableInput as Record<string, unknown> | undefined;
    const name = catalogName('TableInput.Name', tableInput?.Name);
    const path = this.tablePath(database, name);
    if (existsSync(path)) throw new AwsServiceError('AlreadyExistsException', `Table ${database}.${name} already exists.`);
    await writeJsonAtomic(path, { ...tableInput, Name: name, DatabaseName: database, CreateTime: new Date().toISOString() });
  }

  getTable(database: unknown, name: unknown): CatalogTable {
    const path = this.tablePath(catalogName('DatabaseName', database), catalogName('Name', name));
    if (!existsSync(path)) throw new AwsServiceError('EntityNotFoundException', `Table ${String(name)} not found in database ${String(database)}.`);
    return JSON.parse(readFileSync(path, 'utf8')) as CatalogTable;
  }

  /** Every table of every database. */
  listTables(): CatalogTable[] {
    const root = join(this.stateDir, 'glue', 'catalog');
    if (!existsSync(root)) return [];
    return readdirSync(root).flatMap((database) =>
      readdirSync(join(root, database))
        .filter((file) => file.endsWith('.json') && file !== '_database.json')
        .map((file) => JSON.parse(readFileSync(join(root, database, file), 'utf8')) as CatalogTable),
    );
  }
}
