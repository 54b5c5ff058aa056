"""Glue job pricesense-silver-to-gold: silver line items -> gold baskets, XGBoost CSV, features.

Steps:
  1. Read the arguments --run_id, --silver_uri, --gold_uri (getResolvedOptions).
  2. Read silver Parquet (partition columns included) as the temp view silver_lines.
  3. Run sql/silver_to_gold/*.sql in order (01 category encodings, 02 reference prices,
     03 basket facts, 04-05 customer history from earlier weeks, 06 gold baskets, 07 model
     matrix, 08 customer features, 09 counts), each result a temp view.
  4. Write under --gold_uri: baskets/ Parquet; xgboost/train/ and xgboost/validation/ as
     headerless label-first CSV; xgboost/test/features/ and xgboost/test/labels/ in the same
     basket order; customer_features/ CSV with header, at most 10,000 rows per file.
  5. Write serving/feature_list.json, serving/category_encodings.json,
     serving/reference_prices.json (the model's reference prices) and _stats.json.
  6. Copy the raw -> silver counts of the run (silver's _stats.json) to silver_stats/ as one
     Parquet row: the Glue table silver_stats, which the data-quality query reads to check the
     share of raw rows rejected in silver. No counts, nothing written (the rule then fails).
"""
import json
import math
import os
import sys

from sql_steps import find_sql_root, run_steps  # shipped with --extra-py-files

ARGUMENTS = ["run_id", "silver_uri", "gold_uri"]
MODEL_MATRIX_KEYS = ("basket_id", "split", "label")
CUSTOMER_FEATURE_FILE_ROWS = 10000
CUSTOMER_COLUMNS = [
    "customer_id", "event_time", "prior_baskets", "prior_spend_mean", "prior_items_mean",
    "prior_share_la", "prior_share_mm", "prior_share_um", "last_shop_week", "prior_price_ratio_mean",
]

# The columns of the Glue table silver_stats (workflow/gold-baskets-schema.ts SILVER_STATS_COLUMNS),
# named as sql/raw_to_silver/06_silver_stats.sql names them.
SILVER_STATS_COLUMNS = [
    "rows_in", "invalid_shop_week", "invalid_shop_date", "invalid_weekday_or_hour", "invalid_quantity",
    "invalid_spend", "missing_required_code", "invalid_code", "control_character", "rows_valid",
    "duplicates_removed", "inconsistent_basket", "rows_out",
]


def read_silver_counts(silver_uri):
    import boto3  # available in every Glue runtime

    bucket, _, prefix = silver_uri[len("s3://"):].partition("/")
    client = boto3.client("s3")
    try:
        body = client.get_object(Bucket=bucket, Key=prefix + "_stats.json")["Body"].read()
    except client.exceptions.NoSuchKey:
        return None
    return json.loads(body)


def write_silver_stats(spark, counts, gold_uri):
    """Step 6."""
    if counts is None:
        return
    from pyspark.sql.types import LongType, StructField, StructType

    schema = StructType([StructField(name, LongType(), True) for name in SILVER_STATS_COLUMNS])
    row = tuple(None if counts.get(name) is None else int(counts[name]) for name in SILVER_STATS_COLUMNS)
    spark.createDataFrame([row], schema).coalesce(1).write.mode("overwrite").parquet(gold_uri + "silver_stats/")


def put_json(uri, value):
    import boto3  # available in every Glue runtime

    bucket, _, key = uri[len("s3://"):].partition("/")
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=json.dumps(value, indent=2).encode("utf-8"), ContentType="application/json")


def write_single_csv(frame, uri, header=False):
    """One ordered CSV file: sort, then one partition keeps the order."""
    frame.coalesce(1).write.mode("overwrite").option("header", "true" if header else "false").csv(uri)


def transform(spark, silver_uri, sql_dir):
    """Steps 2-3: returns the DataFrames by step name."""
    spark.read.parquet(silver_uri).createOrReplaceTempView("silver_lines")
    return run_steps(spark, os.path.join(sql_dir, "silver_to_gold"))


def write_outputs(frames, gold_uri, run_id):
    """Steps 4-5."""
    matrix = frames["model_matrix"]
    features = [column for column in matrix.columns if column not in MODEL_MATRIX_KEYS]
    frames["gold_baskets"].orderBy("basket_id").write.mode("overwrite").parquet(gold_uri + "baskets/")
    for split, folder in (("train", "xgboost/train/"), ("validation", "xgboost/validation/")):
        rows = matrix.where(matrix.split == split).orderBy("basket_id").select(["label"] + features)
        write_single_csv(rows, gold_uri + folder)
    test = matrix.where(matrix.split == "test").orderBy("basket_id")
    write_single_csv(test.select(features), gold_uri + "xgboost/test/features/")
    write_single_csv(test.select("label"), gold_uri + "xgboost/test/labels/")

    customers = frames["customer_features"].select(CUSTOMER_COLUMNS)
    count = customers.count()
    files = max(1, math.ceil(count / CUSTOMER_FEATURE_FILE_ROWS))
    (customers.repartition(files, "customer_id").write.mode("overwrite")
        .option("header", "true").option("maxRecordsPerFile", CUSTOMER_FEATURE_FILE_ROWS)
        .csv(gold_uri + "customer_features/"))

    put_json(gold_uri + "serving/feature_list.json", features)
    encodings = {}
    for row in frames["category_encodings"].orderBy("feature", "code").collect():
        encodings.setdefault(row["feature"], {})[row["category"]] = int(row["code"])
    put_json(gold_uri + "serving/category_encodings.json", encodings)
    references = {"product": {}, "group": {}}
    for row in frames["reference_prices"].orderBy("level", "code").collect():
        references[row["level"]][row["code"]] = float(row["reference_price"])
    put_json(gold_uri + "serving/reference_prices.json", references)
    stats = {key: int(value or 0) for key, value in frames["gold_stats"].collect()[0].asDict().items()}
    stats.update({"run_id": run_id, "features": features, "customer_feature_files": files})
    put_json(gold_uri + "_stats.json", stats)


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
    frames = transform(spark, args["silver_uri"], sql_dir)
    write_outputs(frames, args["gold_uri"], args["run_id"])
    write_silver_stats(spark, read_silver_counts(args["silver_uri"]), args["gold_uri"])
    job.commit()


if __name__ == "__main__":
    main()
