class SparkContext:
    _active = None

    @classmethod
    def getOrCreate(cls):
        if cls._active is None:
            cls._active = SparkContext()
        return cls._active
