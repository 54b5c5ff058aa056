"""The journal the stand-in awsglue/pyspark/boto3 modules write: one JSON line per read, SQL
statement, temp view, write and S3 put, to the file named by GLUE_STANDIN_JOURNAL."""
import json
import os


def record(entry):
    with open(os.environ["GLUE_STANDIN_JOURNAL"], "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")


def known_columns(view):
    """Columns of a view, as the test measured them on DuckDB (GLUE_STANDIN_COLUMNS, JSON)."""
    return json.loads(os.environ.get("GLUE_STANDIN_COLUMNS", "{}")).get(view, [])
