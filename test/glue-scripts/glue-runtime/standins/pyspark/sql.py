"""Stand-in for the slice of pyspark.sql the Glue scripts use. Nothing is computed: every
DataFrame carries its lineage (the view or read it came from, filters, order, columns) and every
read, SQL statement and write goes to the journal."""
import sys
import types as _module_types

from journal import known_columns, record


class Column:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return "%s = '%s'" % (self.name, other)

    __hash__ = object.__hash__


class Row(dict):
    def asDict(self):
        return dict(self)

    def __getitem__(self, key):
        return dict.get(self, key)


class DataFrame:
    def __init__(self, source, view=None, where=None, order=None, columns=None):
        self._source = source
        self._view = view
        self._where = where
        self._order = order
        self._columns = columns

    def _copy(self, **changes):
        fields = dict(source=self._source, view=self._view, where=self._where, order=self._order, columns=self._columns)
        fields.update(changes)
        return DataFrame(**fields)

    @property
    def columns(self):
        return list(self._columns) if self._columns is not None else known_columns(self._view)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return Column(name)

    def createOrReplaceTempView(self, name):
        entry = dict(self._source)
        entry["view"] = name
        record(entry)
        self._view = name

    def cache(self):
        return self

    def where(self, condition):
        return self._copy(where=condition)

    filter = where

    def orderBy(self, *columns):
        return self._copy(order=list(columns))

    def select(self, *columns):
        flat = list(columns[0]) if len(columns) == 1 and isinstance(columns[0], (list, tuple)) else list(columns)
        return self._copy(columns=flat)

    def coalesce(self, partitions):
        return self

    def repartition(self, partitions, *columns):
        return self

    def count(self):
        return 0

    def collect(self):
        # Aggregates (counts) collect one row; value lists (encodings) none: values are never computed.
        return [Row()] if self._view and self._view.endswith("_stats") else []

    @property
    def write(self):
        return DataFrameWriter(self)


class DataFrameWriter:
    def __init__(self, frame):
        self._frame = frame
        self._mode = None
        self._options = {}
        self._partition_by = []

    def mode(self, mode):
        self._mode = mode
        return self

    def option(self, key, value):
        self._options[key] = value
        return self

    def partitionBy(self, *columns):
        self._partition_by = list(columns)
        return self

    def _record(self, fmt, uri):
        frame = self._frame
        record({
            "op": "write", "format": fmt, "uri": uri, "view": frame._view, "mode": self._mode,
            "where": frame._where, "order": frame._order, "columns": frame._columns,
            "partitionBy": self._partition_by, "header": self._options.get("header"),
        })

    def parquet(self, uri):
        self._record("parquet", uri)

    def csv(self, uri):
        self._record("csv", uri)


class DataFrameReader:
    def __init__(self):
        self._options = {}

    def option(self, key, value):
        self._options[key] = value
        return self

    def csv(self, uri):
        return DataFrame({"op": "read", "format": "csv", "uri": uri, "options": dict(self._options)})

    def parquet(self, uri):
        return DataFrame({"op": "read", "format": "parquet", "uri": uri, "options": dict(self._options)})


class SparkSession:
    def __init__(self, spark_context=None):
        self.sparkContext = spark_context

    @property
    def read(self):
        return DataFrameReader()

    def sql(self, text):
        return DataFrame({"op": "sql", "sql": text})

    def createDataFrame(self, rows, schema=None):
        # A literal frame (silver's counts as one row): no view, nothing to journal until it is written.
        return DataFrame({"op": "create"}, columns=None)


class _Field:
    def __init__(self, name, data_type, nullable=True):
        self.name = name


class _Struct:
    def __init__(self, fields):
        self.fields = list(fields)


class _LongType:
    pass


# `from pyspark.sql.types import ...`: this stand-in is one module, so its types submodule is registered by hand.
types = _module_types.ModuleType("pyspark.sql.types")
types.StructType = _Struct
types.StructField = _Field
types.LongType = _LongType
sys.modules["pyspark.sql.types"] = types
