"""Stand-in for awsglue.utils: getResolvedOptions as Glue's does it (argparse over sys.argv,
every requested option required, unknown ones ignored). A missing option exits the job with
argparse's "the following arguments are required" error, as on Glue."""
import argparse


def getResolvedOptions(args, options):
    parser = argparse.ArgumentParser(prog=args[0] if args else "script", add_help=False)
    for option in options:
        parser.add_argument("--" + option, required=True)
    parsed, _unknown = parser.parse_known_args(args[1:])
    return vars(parsed)
