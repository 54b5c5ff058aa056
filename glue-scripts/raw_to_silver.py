"""Glue job pricesense-raw-to-silver: raw CSV -> typed, cleaned, deduplicated silver Parquet.

Steps:
  1. Read the arguments --run_id, --raw_uri, --silver_uri (getResolvedOptions).
  2. Read the raw CSV (header, every column a string) as the temp view raw_lines.
  3. Run sql/raw_to_silver/*.sql in order (01 types every line, 02 keeps valid lines and
     removes exact duplicates, 03 counts), each result a temp view.
  4. Write silver_lines as Parquet partitioned by STORE_REGION and BASKET_TYPE to --silver_uri,
     replacing what a previous attempt of this run wrote.
  5. Write the counts as <silver_uri>_stats.json.
"""
import json
import os
import re
import sys
import zipfile


# --- SQL steps: the convention local/etl/sql-steps.ts follows (kept in each script so the
# job needs no --extra-py-files): sql/<job>/NN_<name>.sql run in file-name order and each
# result becomes the temp view <name>.
STEP_FILE = re.compile(r"^(\d{2})_([a-z][a-z0-9_]*)\.sql$")


def find_sql_root(script_dir):
    """The sql/ folder: next to the script, or unpacked from the zip Glue copied via --extra-files."""
    beside = os.path.join(script_dir, "sql")
    if os.path.isdir(beside):
        return beside
    for candidate in (os.getcwd(), "/tmp"):
        for name in sorted(os.listdir(candidate)):
            if not name.endswith(".zip"):
                continue
            path = os.path.join(candidate, name)
            with zipfile.ZipFile(path) as archive:
                if any(member.startswith("raw_to_silver/") for member in archive.namelist()):
                    target = os.path.join("/tmp", "pricesense-sql")
                    archive.extractall(target)
                    return target
    raise FileNotFoundError("glue-scripts/sql not found beside the script nor in an --extra-files zip")


def load_steps(sql_dir):
    """[(name, sql)] in execution order."""
    steps = []
    for file_name in sorted(os.listdir(sql_dir)):
        if not file_name.endswith(".sql"):
            continue
        match = STEP_FILE.match(file_name)
        if not match:
            raise ValueError("SQL step %s must be named NN_<snake_case_name>.sql" % file_name)
        with open(os.path.join(sql_dir, file_name), encoding="utf-8") as handle:
            steps.append((match.group(2), handle.read()))
    return steps


def run_steps(spark, sql_dir, cache=True):
    """Runs every step, registers each result as a temp view, returns {name: DataFrame}."""
    frames = {}
    for name, sql in load_steps(sql_dir):
        try:
            frame = spark.sql(sql)
        except Exception as error:  # the file name makes the Glue error message actionable
            raise RuntimeError("step %s.sql failed: %s" % (name, error)) from error
        if cache:
            frame = frame.cache()
        frame.createOrReplaceTempView(name)
        frames[name] = frame
    return frames


ARGUMENTS = ["run_id", "raw_uri", "silver_uri"]


def read_raw(spark, raw_uri):
    return spark.read.option("header", "true").option("inferSchema", "false").option("quote", '"').option("escape", '"').csv(raw_uri)


def write_stats(uri, stats):
    import boto3  # available in every Glue runtime

    bucket, _, prefix = uri[len("s3://"):].partition("/")
    boto3.client("s3").put_object(Bucket=bucket, Key=prefix + "_stats.json", Body=json.dumps(stats, indent=2).encode("utf-8"), ContentType="application/json")


def transform(spark, raw_uri, sql_dir):
    """Steps 2-3: returns (silver DataFrame, counts dict)."""
    read_raw(spark, raw_uri).createOrReplaceTempView("raw_lines")
    frames = run_steps(spark, os.path.join(sql_dir, "raw_to_silver"))
    counts = frames["silver_stats"].collect()[0].asDict()
    return frames["silver_lines"], {key: int(value or 0) for key, value in counts.items()}


def main():
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext

    args = getResolvedOptions(sys.argv, ["JOB_NAME"] + ARGUMENTS)
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)

    sql_dir = find_sql_root(os.path.dirname(os.path.abspath(__file__)))
    silver, counts = transform(spark, args["raw_uri"], sql_dir)
    silver.write.mode("overwrite").partitionBy("STORE_REGION", "BASKET_TYPE").parquet(args["silver_uri"])
    counts["run_id"] = args["run_id"]
    write_stats(args["silver_uri"], counts)
    job.commit()


if __name__ == "__main__":
    main()
