"""Stand-in boto3: S3 put_object goes to the journal (what the scripts write besides Spark output);
get_object reads the local twin's object under GLUE_STANDIN_S3_ROOT (silver's _stats.json), if any."""
import io
import json
import os

from journal import record


class _NoSuchKey(Exception):
    pass


class _Exceptions:
    NoSuchKey = _NoSuchKey


class _S3:
    exceptions = _Exceptions()

    def get_object(self, Bucket, Key):
        root = os.environ.get("GLUE_STANDIN_S3_ROOT")
        path = os.path.join(root, Bucket, Key) if root else None
        if path is None or not os.path.isfile(path):
            raise _NoSuchKey("The specified key does not exist: s3://%s/%s" % (Bucket, Key))
        with open(path, "rb") as handle:
            return {"Body": io.BytesIO(handle.read())}

    def put_object(self, Bucket, Key, Body, ContentType=None):
        record({"op": "put", "uri": "s3://%s/%s" % (Bucket, Key), "contentType": ContentType, "json": json.loads(Body)})


def client(service):
    if service != "s3":
        raise ValueError("stand-in boto3 serves s3 only, not %s" % service)
    return _S3()
