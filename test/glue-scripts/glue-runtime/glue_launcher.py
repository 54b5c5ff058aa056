"""Runs a Glue script the way a Glue Python job does, with stand-in awsglue/pyspark/boto3.

usage: glue_launcher.py <workdir> <script file> <extra-py-files, comma-separated> -- <job arguments...>

The script and --extra-py-files are the files under the names the synthesized job gives them
(S3 object names of CDK assets): a .py extra file goes on sys.path as itself (importable only by
its own file name), a .zip goes on sys.path as an archive (its top-level modules importable).
--extra-files were placed in <workdir>, the job's working directory, by the caller.
"""
import os
import runpy
import sys

STANDINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "standins")


def main():
    separator = sys.argv.index("--")
    workdir, script, extra_py = sys.argv[1:separator]
    job_args = sys.argv[separator + 1:]
    os.chdir(workdir)
    py_dir = os.path.join(workdir, "extra-py-files")
    os.makedirs(py_dir, exist_ok=True)
    sys.path.insert(0, STANDINS)
    sys.path.insert(1, py_dir)
    for path in filter(None, extra_py.split(",")):
        if path.endswith(".zip"):
            sys.path.insert(2, path)
        else:
            os.replace(path, os.path.join(py_dir, os.path.basename(path)))
    sys.argv = [script] + job_args
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
