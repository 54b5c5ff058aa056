from pyspark.sql import SparkSession


class GlueContext:
    def __init__(self, spark_context):
        self.spark_session = SparkSession(spark_context)
