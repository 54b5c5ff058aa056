"""Glue job pricesense-raw-to-silver: raw CSV -> typed, cleaned, deduplicated silver Parquet.

Steps:
  1. Read the arguments --run_id, --raw_uri, --silver_uri (getResolvedOptions).
  2. Read the raw CSV (header, every column a string) as the temp view raw_lines.
  3. Run sql/raw_to_silver/*.sql in order (01 types every line; 02 keeps the valid lines; 03 groups
     the lines whose hash repeats, exactly, to remove duplicates; 04 finds inconsistent baskets;
     05 keeps each valid line once, in consistent baskets; 06 counts), each result a temp view.
  4. Write silver_lines as Parquet partitioned by STORE_REGION and BASKET_TYPE to --silver_uri,
     replacing what a previous attempt of this run wrote.
  5. Write the counts as <silver_uri>_stats.json.
"""
import json
import os
import sys

from sql_steps import find_sql_root, run_steps  # shipped with --extra-py-files

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
