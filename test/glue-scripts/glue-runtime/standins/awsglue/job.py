from journal import record


class Job:
    def __init__(self, glue_context):
        self.glue_context = glue_context

    def init(self, name, args):
        record({"op": "job.init", "name": name})

    def commit(self):
        record({"op": "job.commit"})
