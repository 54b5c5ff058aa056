"""SQL steps shared by both Glue jobs, the convention local/etl/sql-steps.ts follows on DuckDB:
sql/<job>/NN_<name>.sql run in file-name order and each result becomes the temp view <name>.
Glue puts this module on the path through the jobs' --extra-py-files argument, which names a zip
with this file at its root (a bare .py asset would arrive under its hash name and could not be
imported as sql_steps: aws/aws-cdk#20481); locally it sits beside the scripts.
"""
import os
import re
import tempfile
import zipfile


STEP_FILE = re.compile(r"^(\d{2})_([a-z][a-z0-9_]*)\.sql$")


def find_sql_root(script_dir):
    """The sql/ folder: next to the script, or unpacked from the zip Glue copied via --extra-files
    into the job's working directory (the zip's name is the CDK asset hash, so it is found by content)."""
    beside = os.path.join(script_dir, "sql")
    if os.path.isdir(beside):
        return beside
    # /tmp on Glue; TMPDIR lets a local emulation keep its files to itself.
    for candidate in dict.fromkeys((os.getcwd(), tempfile.gettempdir())):
        for name in sorted(os.listdir(candidate)):
            if not name.endswith(".zip"):
                continue
            path = os.path.join(candidate, name)
            with zipfile.ZipFile(path) as archive:
                if any(member.startswith("raw_to_silver/") for member in archive.namelist()):
                    target = tempfile.mkdtemp(prefix="pricesense-sql-")
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
